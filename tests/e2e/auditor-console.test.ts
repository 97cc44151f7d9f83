/**
 * The auditor's console on the real access log: a reviewer creates the vault and works, an auditor is
 * added (audit key only), signs in through the lock screen and sees the integrity banner, summaries,
 * charts and every entry; filters narrow the table. axe on every screen, nothing off-origin.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MIN_KDF_PARAMS } from '../../src-main/vault/kdf';
import { addUser, unlockVault } from '../../src-main/vault/vault';
import { generateEd25519, randomBytes } from '../../src-shared/node/crypto';
import { DEFAULT_POLICY } from '../../src-shared/policy';
import { enrollWithSignedPolicy } from '../helpers/enroll-signed-policy';
import { PASSPHRASE, REVIEWER, chooseTheme, createVaultThroughUi, openArtifact } from './flows';
import { startHarness, type Harness } from './harness';

const AUDITOR = 'morgan.auditor';
const AUDITOR_PASSPHRASE = 'auditor passphrase for e2e 7';

describe('auditor console', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await createVaultThroughUi(h.page);
    await addUser(
      h.dataDir,
      { user: AUDITOR, role: 'auditor', newPassphrase: AUDITOR_PASSPHRASE },
      { asUser: REVIEWER, asPassphrase: PASSPHRASE },
      { clock: () => Date.now(), random: randomBytes, kdf: MIN_KDF_PARAMS },
    );
    // The reviewer reads one artifact (for "who saw this"), then locks.
    await h.page.getByRole('button', { name: 'Import the demo submission' }).click();
    await h.page.getByRole('button', { name: /Kestrel-7 7\.0\.2/ }).click({ timeout: 60_000 });
    await openArtifact(h.page, 'model-card.md');
    await h.page.keyboard.press('Control+L');
    await h.page.getByRole('heading', { name: 'Unlock' }).waitFor();
    // The central office's policy: work happens at any hour here, so nothing in this run is "off hours".
    const vault = await unlockVault(h.dataDir, REVIEWER, PASSPHRASE, { clock: () => Date.now() });
    try {
      const allDay = { startHour: 0, endHour: 24, timeZone: 'UTC', weekendsOff: false };
      enrollWithSignedPolicy(vault.audit, vault.workstationId, { ...DEFAULT_POLICY, version: 2, workingHours: allDay }, generateEd25519(), Date.now());
    } finally {
      vault.close();
    }
    // A failed unlock gives the log something to show besides successes.
    await h.page.getByLabel('User name').fill(AUDITOR);
    await h.page.getByLabel('Passphrase').fill('wrong passphrase entirely');
    await h.page.getByRole('button', { name: 'Unlock' }).click();
    await h.page.getByRole('alert').waitFor({ timeout: 60_000 });
  });
  afterAll(async () => {
    await h?.close();
  });

  test('the auditor signs in to the console: integrity first, then summaries and entries', async () => {
    const page = h.page;
    await page.getByLabel('Passphrase').fill(AUDITOR_PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Access log', level: 1 }).waitFor({ timeout: 60_000 });
    const banner = page.locator('.integrity');
    await banner.waitFor();
    expect(await banner.innerText()).toContain('Log intact');
    const table = page.getByRole('table', { name: 'Access-log entries' });
    await table.getByRole('cell', { name: 'unlock', exact: true }).first().waitFor();
    const total = Number(await table.getAttribute('aria-rowcount')) - 1;
    expect(total).toBeGreaterThan(3);
    await page.getByRole('img', { name: 'Events per hour (UTC)' }).waitFor();
    await page.getByRole('img', { name: 'Dwell time per artifact view' }).waitFor();
    expect(await page.getByRole('table', { name: 'Per user' }).getByRole('rowheader', { name: REVIEWER }).count()).toBe(1);
    expect(await page.getByRole('banner').textContent()).toContain(`Signed in as ${AUDITOR} (auditor)`);
    await h.checkScreen('40-auditor-console');
  });

  test('filtering by outcome narrows the table to the failed unlock', async () => {
    const page = h.page;
    const table = page.getByRole('table', { name: 'Access-log entries' });
    const before = Number(await table.getAttribute('aria-rowcount'));
    await page.getByLabel('Outcome').selectOption('failure');
    await page.getByRole('button', { name: 'Apply filter' }).click();
    await page.waitForFunction((n) => Number(document.querySelector('[aria-label="Access-log entries"]')?.getAttribute('aria-rowcount')) < n, before);
    const cells = await table.getByRole('cell', { name: /✗ failure/ }).count();
    expect(cells).toBeGreaterThanOrEqual(1);
    expect(await table.getByRole('cell', { name: 'success', exact: true }).count()).toBe(0);
    // No view among the failures: the dwell chart says so instead of drawing an empty axis.
    const dwell = page.getByRole('figure', { name: 'Dwell time per artifact view' });
    await dwell.getByText('No artifact view ended in this range').waitFor();
    expect(await dwell.getByRole('img').count()).toBe(0);
    await h.checkScreen('41-auditor-filtered');
    await page.getByRole('button', { name: 'Clear' }).click();
  });

  test('after a lock with queries in flight, no false alarm: no anonymous denial, no off-hours flag; the (before sign-in) row filters', async () => {
    const page = h.page;
    const before = h.audit.length;
    // Queries in flight when the lock comes: they are cancelled in the renderer, not sent after the vault closed.
    await page.getByRole('button', { name: 'Verify again' }).click();
    await page.keyboard.press('Control+L');
    await page.getByRole('heading', { name: 'Unlock' }).waitFor();
    await page.getByLabel('User name').fill(AUDITOR);
    await page.getByLabel('Passphrase').fill(AUDITOR_PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Access log', level: 1 }).waitFor({ timeout: 60_000 });
    const flags = page.getByRole('region', { name: 'Flags' });
    await flags.getByText('Working hours (from the signed policy): 00:00–24:00 UTC, every day.').waitFor({ timeout: 60_000 });
    await flags.getByText('No off-hours activity and no unusually fast paging in this range.').waitFor();
    expect(h.audit.slice(before).filter((e) => e.outcome === 'denied' && e.actor.role === 'anonymous')).toEqual([]);

    // A system row of its own (a clock jump under load) is labelled "(workstation)", so this name is the anonymous row alone.
    await page.getByRole('table', { name: 'Per user' }).getByRole('button', { name: '(before sign-in)', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Showing only what happened before anyone signed in.' }).waitFor();
    const table = page.getByRole('table', { name: 'Access-log entries' });
    await expect.poll(async () => table.getByRole('cell', { name: REVIEWER, exact: true }).count(), { timeout: 30_000 }).toBe(0);
    await page.getByRole('button', { name: 'Clear' }).click();
  });

  test('who saw this: the artifact by its name, the reviewer who opened it; an audit bundle is exported', async () => {
    const page = h.page;
    await page.getByRole('table', { name: 'Per artifact' }).getByRole('button', { name: 'Who saw model-card.md' }).click();
    const panel = page.getByRole('region', { name: 'Who saw model-card.md' });
    await panel.getByRole('rowheader', { name: REVIEWER }).waitFor({ timeout: 60_000 });
    // Opened once: the close the lock wrote is not a second view.
    const cells = await panel.getByRole('row').filter({ has: page.getByRole('rowheader', { name: REVIEWER }) }).getByRole('cell').allInnerTexts();
    expect(cells[1]).toBe('1');
    await h.checkScreen('44-auditor-who-saw');
    // Asked about one page: a Markdown file has no pages in view, so nobody had page 2 (the question is logged too).
    const asked = h.audit.filter((r) => r.channel === 'audit.whoSaw').length;
    await panel.getByLabel('Page (empty: the whole artifact)').fill('2');
    await panel.getByRole('button', { name: 'Ask' }).click();
    const pagePanel = page.getByRole('region', { name: 'Who saw page 2 of model-card.md' });
    await pagePanel.getByText('Nobody had this page in view in this range.').waitFor();
    expect(h.audit.filter((r) => r.channel === 'audit.whoSaw').length).toBe(asked + 1);
    await pagePanel.getByLabel('Page (empty: the whole artifact)').fill('');
    await pagePanel.getByRole('button', { name: 'Ask' }).click();
    await panel.getByRole('rowheader', { name: REVIEWER }).waitFor();
    await page.getByRole('region', { name: 'Who saw model-card.md' }).getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Export an audit bundle' }).click();
    await page.getByRole('status').filter({ hasText: /Audit bundle of \d+ entries written to/ }).waitFor({ timeout: 60_000 });
  });

  test('a watermark code traces back to the reviewer session that carried it', async () => {
    const page = h.page;
    const record = h.audit.find((e) => e.event === 'watermark.session' && e.actor.user === REVIEWER);
    const code = record?.object?.id ?? '';
    expect(code).toMatch(/^[0-9a-f]{12}$/);
    await page.getByLabel('Session code (12 hex digits)').fill(code);
    await page.getByRole('button', { name: 'Trace' }).click();
    const answer = page.getByRole('status').filter({ hasText: `Code ${code}` });
    await answer.waitFor();
    expect(await answer.innerText()).toContain(REVIEWER);
    await h.checkScreen('43-auditor-watermark-trace');
  });

  test('the auditor has no content: the reviewer screens are not offered and the content channels refuse', async () => {
    const page = h.page;
    expect(await page.getByRole('heading', { name: 'Submissions' }).count()).toBe(0);
    const result = (await page.evaluate(() => (globalThis as unknown as { rw: Record<string, (r: unknown) => Promise<unknown>> }).rw['cases.list']!({}))) as {
      ok: boolean;
      error?: { code: string };
    };
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('DENIED');
    // Clearing a lockout vouches for someone: a reviewer's duty, refused to an auditor by the router.
    const clear = (await page.evaluate(() =>
      (globalThis as unknown as { rw: Record<string, (r: unknown) => Promise<unknown>> }).rw['lockout.clear']!({ user: 'avery.reviewer', asUser: 'morgan.auditor', asPassphrase: 'x' }),
    )) as { ok: boolean; error?: { code: string } };
    expect(clear).toMatchObject({ ok: false, error: { code: 'DENIED' } });
  });

  test('dark theme passes the same checks; nothing left the app origin; the CSP reported nothing', async () => {
    await chooseTheme(h.page, 'dark');
    await h.page.getByRole('heading', { name: 'Access log', level: 1 }).waitFor();
    await h.checkScreen('42-auditor-console-dark');
    expect(h.offOriginRequests()).toEqual([]);
    expect(await h.cspViolations()).toEqual([]);
    expect(h.pageErrors).toEqual([]);
  });
});
