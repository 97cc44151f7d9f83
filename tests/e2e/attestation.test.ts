/**
 * The attestation tab on the demo submission: choose a verdict, write the release summary, read the
 * preview's summary and open the exact Statement that would leave, sign with the passphrase again, and see the item
 * pending in "Awaiting transfer". A wrong passphrase gives a readable error and adds nothing; with no
 * server named by the policy, "Send now" says so in words. The tab is screenshotted and checked with axe.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createVaultThroughUi, PASSPHRASE } from './flows';
import { startHarness, type Harness } from './harness';

const SUMMARY = 'Release approved for the evaluated deployment scope; two medium findings remain open (see §4).';
const PREDICATE_TYPE = 'https://reviewer-workstation.dev/review-outcome/v1';

describe('attestation on the demo submission', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await createVaultThroughUi(h.page);
    const page = h.page;
    await page.getByRole('button', { name: 'Import the demo submission' }).click();
    await page.getByRole('button', { name: /Kestrel-7 7\.0\.2/ }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: /Kestrel-7 7\.0\.2/ }).click();
    await page.getByRole('heading', { name: 'Kestrel-7 7.0.2', level: 1 }).waitFor();
  });
  afterAll(async () => {
    await h?.close();
  });

  const outboxItems = () => h.page.getByRole('region', { name: 'Awaiting transfer' }).getByRole('listitem');

  test('the tab opens with nothing awaiting transfer, offline', async () => {
    const page = h.page;
    await page.getByRole('tab', { name: 'Attestation' }).click();
    await page.getByRole('heading', { name: 'Attestation', level: 2 }).waitFor();
    await page.getByText('Nothing signed yet.').waitFor();
    expect(await outboxItems().count()).toBe(0);
    await h.checkScreen('40-attestation-empty');
  });

  test('the verdict radios are keyboard reachable and the summary shows its character count', async () => {
    const page = h.page;
    await page.getByRole('radio', { name: 'No objection' }).focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.getByRole('radio', { name: 'Concerns' }).isChecked()).toBe(true);
    await page.getByRole('radio', { name: 'No objection' }).check();
    await page.getByLabel('Release summary').fill(SUMMARY);
    await page.getByText(`${SUMMARY.length} of 4000 characters`).waitFor();
  });

  test('the preview reads as a summary, with exactly the Statement that would leave one click away', async () => {
    const page = h.page;
    await page.getByRole('button', { name: 'Preview what will leave' }).click();
    const summary = page.getByRole('region', { name: 'What this attestation says' });
    await summary.waitFor();
    const words = await summary.innerText();
    expect(words).toMatch(/Verdict\s+No objection/);
    expect(words).toMatch(/Findings\s+none/);
    expect(words).toMatch(/Checklist\s+0 of \d+ items reviewed \(rubric /);
    expect(words).toContain(SUMMARY);
    const pre = page.getByRole('region', { name: 'Exactly what leaves this workstation' });
    expect(await pre.isVisible()).toBe(false);
    await h.checkScreen('41-attestation-summary');
    await summary.getByText('Show the raw statement').click();
    await pre.waitFor();
    const text = await pre.innerText();
    expect(text).toContain(SUMMARY);
    expect(text).toContain(PREDICATE_TYPE);
    const statement = JSON.parse(text) as { predicateType: string; predicate: { releaseSummary: string; verdict: string } };
    expect(statement.predicateType).toBe(PREDICATE_TYPE);
    expect(statement.predicate.releaseSummary).toBe(SUMMARY);
    expect(statement.predicate.verdict).toBe('no-objection');
    await h.checkScreen('41-attestation-preview');
  });

  test('a wrong passphrase gives a readable error and adds nothing to the outbox', async () => {
    const page = h.page;
    const before = h.audit.length;
    await page.getByLabel(/^Passphrase/).fill('not the passphrase at all');
    await page.getByRole('button', { name: 'Sign attestation' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('AUTH_FAILED');
    expect(await page.getByLabel(/^Passphrase/).inputValue()).toBe('');
    expect(await alert.innerText()).not.toMatch(/INTERNAL/);
    const signs = h.audit.slice(before).filter((e) => e.channel === 'attest.sign');
    expect(signs.length).toBeGreaterThan(0);
    expect(signs.every((e) => e.outcome !== 'success')).toBe(true);
    // Make the outbox list fetch again (Send now invalidates it) and see it is still empty.
    const lists = h.audit.filter((e) => e.channel === 'outbox.list').length;
    await page.getByRole('button', { name: 'Send now' }).click();
    await expect.poll(() => h.audit.filter((e) => e.channel === 'outbox.list').length).toBeGreaterThan(lists);
    await page.getByText('Nothing signed yet.').waitFor();
    expect(await outboxItems().count()).toBe(0);
  });

  test('signing with the passphrase lists the item as pending in "Awaiting transfer"', async () => {
    const page = h.page;
    await page.getByLabel(/^Passphrase/).fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Sign attestation' }).click();
    await page.getByRole('status').filter({ hasText: 'Attestation signed' }).waitFor({ timeout: 60_000 });
    await expect.poll(() => outboxItems().count()).toBe(1);
    expect(await outboxItems().first().innerText()).toContain('Pending transfer');
    expect(await page.getByRole('alert').count()).toBe(0);
    await h.checkScreen('42-attestation-signed');
  });

  test('"Send now" with no server named by the policy says so in words', async () => {
    const page = h.page;
    await page.getByRole('button', { name: 'Send now' }).click();
    await page.getByRole('status').filter({ hasText: 'No server is named by the policy' }).waitFor();
    expect(await outboxItems().first().innerText()).toContain('Pending transfer');
  });

  test('"Export to removable media" asks where (a folder in the preview) and says where it wrote', async () => {
    const page = h.page;
    const drive = mkdtempSync(join(tmpdir(), 'rw-e2e-usb-'));
    await page.getByLabel('Folder to write the bundle to (full path)').fill(join(drive, 'missing'));
    await page.getByRole('button', { name: 'Export to removable media' }).click();
    await page.getByRole('alert').filter({ hasText: 'There is no folder at that path.' }).waitFor();
    await page.getByLabel('Folder to write the bundle to (full path)').fill(drive);
    await page.getByRole('button', { name: 'Export to removable media' }).click();
    const status = page.getByRole('status').filter({ hasText: /Wrote \d+ item\(s\) and \d+ file\(s\) to the bundle “bundle-\d{8}T\d{6}Z-[0-9a-f]{6}” at / });
    await status.waitFor();
    const [bundle] = readdirSync(drive);
    expect(await status.innerText()).toContain(join(drive, bundle!));
    expect(readdirSync(join(drive, bundle!)).sort()).toEqual(['attestations.intoto.jsonl', 'manifest.dsse.json', 'witness-request.txt']);
    expect(h.audit.filter((e) => e.event === 'sync.export.request').map((e) => e.outcome)).toEqual(['failure', 'success']);
    await h.checkScreen('43-attestation-exported');
    // Empty: the workstation's own export folder, named in words rather than by path.
    await page.getByLabel('Folder to write the bundle to (full path)').fill('');
    await page.getByRole('button', { name: 'Export to removable media' }).click();
    await page.getByRole('status').filter({ hasText: /in the workstation's export folder\.$/ }).waitFor();
  });
});
