/**
 * The gated excerpt export from the viewers: absent under the default policy; under a signed `justify`
 * policy, a PDF page (PNG) and the table rows in view (CSV) leave only with a justification and the
 * reviewer's passphrase (step-up), and each decision is in the access log. On the same demo case, the
 * claims ledger shows a supported, a contradicted and an unverifiable claim; a claim opens the evidence
 * at its metric; the checklist takes its proposal; and a finding leaves as a validated CSAF document.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateEd25519 } from '../../src-shared/node/crypto';
import { DEFAULT_POLICY, type Policy } from '../../src-shared/policy';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PASSPHRASE, REVIEWER, createVaultThroughUi, openArtifact, unlockThroughUi } from './flows';
import { startHarness, type Harness } from './harness';
import { enrollWithSignedPolicy } from '../helpers/enroll-signed-policy';

const JUSTIFY_POLICY: Policy = { ...DEFAULT_POLICY, version: 2, printExportMode: 'justify' };
const WHY = 'Figure 4 goes to the interagency panel for the bio-uplift question.';

describe('excerpt export', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await createVaultThroughUi(h.page);
    await h.page.getByRole('button', { name: 'Import the demo submission' }).click();
    await h.page.getByRole('button', { name: /Kestrel-7 7\.0\.2/ }).click();
  });
  afterAll(async () => {
    await h?.close();
  });

  test('under the default policy the viewers offer no export and say why', async () => {
    await openArtifact(h.page, 'system-card.pdf');
    await h.page.getByText('Export and print are disabled by the policy in force.').waitFor();
    expect(await h.page.getByRole('button', { name: 'Export excerpt…' }).count()).toBe(0);
  });

  test('under a signed justify policy a PDF page exports only with a justification and the passphrase', async () => {
    const vault = h.core.sessions.require();
    const policyKey = generateEd25519();
    enrollWithSignedPolicy(vault.audit, vault.workstationId, JUSTIFY_POLICY, policyKey, Date.now());
    const page = h.page;
    await page.keyboard.press('Control+L');
    await unlockThroughUi(page);
    await page.getByRole('button', { name: /Kestrel-7 7\.0\.2/ }).click();
    await openArtifact(page, 'system-card.pdf');
    await page.waitForFunction(() => (document.querySelector<HTMLCanvasElement>('.pdf-viewer canvas')?.width ?? 0) > 100);
    await page.getByRole('button', { name: 'Export excerpt…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export an excerpt' });
    await dialog.waitFor();
    await dialog.getByLabel('Justification').fill('too short');
    expect(await dialog.getByRole('button', { name: 'Export', exact: true }).isDisabled()).toBe(true);
    await dialog.getByLabel('Justification').fill(WHY);
    await dialog.getByLabel(/Your passphrase/).fill('not my passphrase at all');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByRole('alert').waitFor({ timeout: 60_000 });
    await h.checkScreen('50-export-refused');
    await dialog.getByLabel(/Your passphrase/).fill(PASSPHRASE);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByText(/Exported:/).waitFor({ timeout: 60_000 });
    await h.checkScreen('51-export-done');
    const decisions = h.audit.filter((e) => e.channel === 'controls.export');
    expect(decisions.map((e) => e.outcome)).toEqual(['failure', 'success']);
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  test('the rows in view of a table export as CSV', async () => {
    const page = h.page;
    await openArtifact(page, 'eval/results.csv');
    await page.getByRole('table', { name: 'eval/results.csv' }).getByRole('cell', { name: 'reading-comp', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Export excerpt…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export an excerpt' });
    await dialog.getByText(/\(rows 1-10\)/).waitFor();
    await dialog.getByLabel('Justification').fill(WHY);
    await dialog.getByLabel(/Your passphrase/).fill(PASSPHRASE);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByText(/Exported:/).waitFor({ timeout: 60_000 });
    const last = h.audit.filter((e) => e.channel === 'controls.export').at(-1);
    expect(last?.outcome).toBe('success');
    expect(JSON.stringify(last)).not.toContain(PASSPHRASE);
    expect(h.offOriginRequests()).toEqual([]);
    expect(await h.cspViolations()).toEqual([]);
  });

  test("the demo's claims ledger shows a supported, a contradicted and an unverifiable claim, each in words", async () => {
    const page = h.page;
    // The CSV export's dialog is still open (modal) from the test before.
    await page.getByRole('dialog', { name: 'Export an excerpt' }).getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Claims ledger' }).click();
    const claims = page.getByRole('list', { name: 'Claims' });
    await claims.waitFor({ timeout: 60_000 });
    await expect(claims.getByRole('listitem').count()).resolves.toBe(3);
    await expect(claims.textContent()).resolves.toMatch(/Supported.*34%.*Contradicted.*20%.*matches the log's header \(20%\) but not its samples.*Unverifiable.*41\.2%/s);
    await expect(page.getByLabel('Claims by status').textContent()).resolves.toMatch(/1 supported · .*1 contradicted · .*1 unverifiable · .*0 unlinked/);
    expect(h.audit.filter((e) => e.event === 'claims.check').at(-1)).toMatchObject({ outcome: 'success', detail: { claims: 3, supported: 1, contradicted: 1, unverifiable: 1 } });
    await h.checkScreen('70-claims-ledger');
  });

  test('a claim in the card opens the evidence screen at its log and metric', async () => {
    const page = h.page;
    await page.getByRole('button', { name: '20%, contradicted: open the evidence' }).click();
    await page.getByRole('heading', { name: /autonomy_tasks/, level: 2 }).waitFor({ timeout: 60_000 });
    const focused = page.locator('table.headline-table tr[aria-current="true"]');
    await expect(focused.textContent()).resolves.toMatch(/includes.*the claim's metric.*accuracy.*0\.2.*0\.057/s);
    await page.getByRole('table', { name: 'Samples' }).waitFor();
    await h.checkScreen('71-claims-evidence');
  });

  test('the checklist proposes "claims match the evidence" from the ledger and the reviewer confirms it', async () => {
    const page = h.page;
    await page.getByRole('button', { name: 'Claims ledger' }).click();
    await page.getByRole('tab', { name: 'Checklist' }).click();
    await page.getByText('From the claims ledger: 1 supported, 1 contradicted, 1 unverifiable, 0 unlinked. Proposed: Fail.').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Confirm Fail for “Claims match the evidence”' }).click();
    await page.getByText(/Fail · set by /).first().waitFor();
    await page.getByText(/documentation criteria not yet answered/).waitFor();
    await h.checkScreen('72-claims-checklist');
  });

  test("a claim's status is overridden with a reason and its link changed, each through its dialog and logged", async () => {
    const page = h.page;
    await page.getByRole('button', { name: 'Claims ledger' }).click();
    const claims = page.getByRole('list', { name: 'Claims' });
    await claims.waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: /^Override the status of 41\.2%/ }).click();
    const override = page.getByRole('dialog', { name: /Override the status of “41\.2%”/ });
    await override.getByLabel('Status').selectOption('contradicted');
    await override.getByLabel('Reason').fill('The sampled transcripts show the tool refusing, not failing.');
    await h.checkScreen('74-claims-override');
    await override.getByRole('button', { name: 'Save the status' }).click();
    await override.waitFor({ state: 'hidden' });
    await page.getByText(`Overridden by ${REVIEWER}: The sampled transcripts show the tool refusing, not failing.`).waitFor();
    await expect(page.getByLabel('Claims by status').textContent()).resolves.toMatch(/1 supported · .*2 contradicted · .*0 unverifiable/);
    expect(h.audit.filter((e) => e.channel === 'claims.override').at(-1)).toMatchObject({ outcome: 'success', detail: { status: 'contradicted' } });

    await page.getByRole('button', { name: /^Relink 34%/ }).click();
    const link = page.getByRole('dialog', { name: /Link “34%” to a log/ });
    await link.getByLabel('Evidence for this claim').selectOption('none');
    await link.getByRole('button', { name: 'Save the link' }).click();
    await link.waitFor({ state: 'hidden' });
    await expect(page.getByLabel('Claims by status').textContent()).resolves.toMatch(/0 supported · .*1 unlinked/);
    expect(h.audit.filter((e) => e.channel === 'claims.link').at(-1)?.outcome).toBe('success');
  });

  test('a finding leaves as a validated CSAF 2.0 document, watermarked and logged', async () => {
    const page = h.page;
    await page.getByRole('tab', { name: 'Findings' }).click();
    await page.getByLabel('Finding title').fill('Autonomy claim contradicted by its own samples');
    await page.getByLabel('Severity').selectOption('high');
    await page.getByLabel('CVSS v4.0 vector (optional)').fill('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N');
    await page.getByRole('button', { name: 'Record finding' }).click();
    await page.getByRole('list', { name: 'Findings' }).getByText('Autonomy claim contradicted by its own samples').waitFor();
    await page.getByRole('button', { name: 'Export findings…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export the findings' });
    await dialog.getByLabel('Format').selectOption('csaf');
    await dialog.getByLabel('Justification').fill(WHY);
    await dialog.getByLabel(/Your passphrase/).fill(PASSPHRASE);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const done = dialog.getByRole('status').filter({ hasText: 'Exported:' });
    // The first CSAF document loads the validator, which compiles every CSAF schema (20-30 s of CPU on
    // this two-core machine when quiet, on its own thread): the wait allows for a busy machine.
    await done.waitFor({ timeout: 180_000 });
    await h.checkScreen('73-findings-exported');
    const fileName = /as (rw-findings-\S+\.csaf\.json)/.exec((await done.textContent()) ?? '')?.[1];
    const file = join(h.core.controls.exportDir, fileName ?? 'missing');
    expect(existsSync(file), `${file} from "${await done.textContent()}"`).toBe(true);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { document: { category: string }; vulnerabilities: unknown[] };
    expect(doc.document.category).toBe('csaf_security_advisory');
    expect(doc.vulnerabilities).toHaveLength(1);
    const last = h.audit.filter((e) => e.channel === 'findings.export').at(-1);
    expect(last).toMatchObject({ outcome: 'success', detail: { kind: 'findings-csaf', findings: 1 } });
    expect(JSON.stringify(last)).not.toContain(PASSPHRASE);
    await dialog.getByRole('button', { name: 'Close' }).click();
  }, 300_000);
});
