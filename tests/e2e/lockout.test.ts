/**
 * Unlock throttling as the reviewer sees it: after repeated wrong passphrases the vault answers
 * LOCKED_OUT with a wait, and the lock screen says when to try again (a time and a duration), not a
 * code alone. The wait (2 s doubling per failure from the third) is long enough that the immediate
 * next attempt always meets it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createVaultThroughUi } from './flows';
import { startHarness, type Harness } from './harness';

describe('unlock lockout', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await createVaultThroughUi(h.page);
    await h.page.keyboard.press('Control+L');
    await h.page.getByRole('heading', { name: 'Unlock' }).waitFor();
  });
  afterAll(async () => {
    await h?.close();
  });

  test('wrong passphrases count down, then LOCKED_OUT says when to try again', async () => {
    const page = h.page;
    await page.getByLabel('User name').fill('avery.reviewer');
    const alert = page.getByRole('alert');
    const seen: string[] = [];
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await page.getByLabel('Passphrase').fill(`wrong passphrase number ${attempt}`);
      await page.getByRole('button', { name: 'Unlock' }).click();
      await page.getByRole('button', { name: 'Unlock' }).waitFor();
      await alert.waitFor({ timeout: 60_000 });
      await expect.poll(async () => page.getByRole('button', { name: 'Unlock' }).isEnabled(), { timeout: 60_000 }).toBe(true);
      seen.push(await alert.innerText());
      if (seen.at(-1)!.includes('LOCKED_OUT')) break;
    }
    expect(seen[0]).toMatch(/not correct\. \d+ attempts left before a lockout\. \(AUTH_FAILED\)/);
    const last = seen.at(-1)!;
    expect(last).toContain('LOCKED_OUT');
    expect(last).toMatch(/Try again at \d{1,2}:\d{2}:\d{2}.* \(in \d+ seconds?\)/);
    await h.checkScreen('07-unlock-locked-out');
  });
});
