/**
 * The reviewer's path through every screen, on the real router and vault: first run, create the
 * vault, the cases list, lock (Ctrl+L), a wrong passphrase, unlock, and everything still there.
 * Each screen is screenshotted and checked with axe; at the end no request has left the app origin
 * and the CSP reported nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chooseTheme } from './flows';
import { startHarness, type Harness } from './harness';

const USER = 'avery.reviewer';
const PASSPHRASE = 'correct horse battery staple 42';

describe('reviewer flow', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  test('first run: the create-vault form refuses mismatched passphrases', async () => {
    const page = h.page;
    await page.getByRole('heading', { name: 'Create the vault' }).waitFor();
    await page.getByLabel('User name').fill(USER);
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Repeat the passphrase').fill(`${PASSPHRASE}x`);
    await page.getByRole('button', { name: 'Create vault' }).click();
    await page.getByRole('alert').filter({ hasText: 'The two passphrases differ.' }).waitFor();
    await h.checkScreen('02-create-vault-mismatch');
  });

  test('creating the vault signs the reviewer in and shows the empty cases list', async () => {
    const page = h.page;
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Repeat the passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Create vault' }).click();
    await page.getByRole('heading', { name: 'Submissions' }).waitFor({ timeout: 60_000 });
    await page.getByText('No submissions yet').waitFor();
    expect(await page.getByRole('button', { name: 'Import the demo submission' }).count()).toBe(1);
    expect(await page.getByText(`Signed in as ${USER}`).count()).toBe(1);
    // At 1280 px the header is one row: its last control sits level with the first screen's button.
    const nav = await page.getByRole('navigation', { name: 'Screens' }).boundingBox();
    const lock = await page.getByRole('button', { name: /^Lock/ }).boundingBox();
    expect(Math.abs(lock!.y - nav!.y)).toBeLessThan(4);
    await h.checkScreen('03-cases-empty');
  });

  test('Ctrl+L locks: the unlock form shows and the renderer forgot the session', async () => {
    const page = h.page;
    await page.keyboard.press('Control+L');
    await page.getByRole('heading', { name: 'Unlock' }).waitFor();
    expect(h.core.sessions.caller().role).toBe('anonymous');
    expect(await page.getByText('Signed in as').count()).toBe(0);
    await h.checkScreen('04-unlock');
  });

  test('a wrong passphrase gives a readable AUTH_FAILED message and clears the field', async () => {
    const page = h.page;
    await page.getByLabel('User name').fill(USER);
    await page.getByLabel('Passphrase').fill('not the passphrase at all');
    await page.getByRole('button', { name: 'Unlock' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 60_000 });
    expect(await alert.innerText()).toContain('The user name or passphrase is not correct.');
    expect(await alert.innerText()).toContain('AUTH_FAILED');
    expect(await page.getByLabel('Passphrase').inputValue()).toBe('');
    await h.checkScreen('05-unlock-auth-failed');
  });

  test('unlocking with the right passphrase returns to the cases list', async () => {
    const page = h.page;
    await page.getByLabel('Passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Submissions' }).waitFor({ timeout: 60_000 });
  });

  test('the dark theme passes the same checks', async () => {
    const page = h.page;
    await chooseTheme(page, 'dark');
    await page.getByRole('heading', { name: 'Submissions' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    await h.checkScreen('06-cases-dark');
    await chooseTheme(page, 'system');
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBeUndefined();
  });

  test('the skip link is the first stop and moves focus to the main region', async () => {
    const page = h.page;
    // A reload starts focus navigation at the top of the document (the session lives in the main process).
    await page.reload();
    await page.getByRole('heading', { name: 'Submissions' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  test('nothing left the app origin and the CSP reported nothing', async () => {
    expect(h.offOriginRequests()).toEqual([]);
    expect(h.refused).toEqual([]);
    expect(await h.cspViolations()).toEqual([]);
    expect(h.pageErrors).toEqual([]);
  });
});
