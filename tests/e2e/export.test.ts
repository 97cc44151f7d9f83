/**
 * The gated excerpt export from the viewers (issue 6 §5): absent under the default policy; under a
 * signed `justify` policy, a PDF page (PNG) and the table rows in view (CSV) leave only with a
 * justification and the reviewer's passphrase (step-up), and each decision is in the access log.
 */
import { generateEd25519 } from '../../src-shared/node/crypto';
import { DEFAULT_POLICY, type Policy } from '../../src-shared/policy';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PASSPHRASE, createVaultThroughUi, openArtifact, unlockThroughUi } from './flows';
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
});
