/**
 * Unlock throttling as the reviewer sees it: after repeated wrong passphrases the vault answers
 * LOCKED_OUT with a wait, and the lock screen says when to try again (a time and a duration), not a
 * code alone. The wait (2 s doubling per failure from the third) is long enough that the immediate
 * next attempt always meets it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { refreshPreSignInPolicy } from '../../src-main/controls/signed-policy';
import { MIN_KDF_PARAMS } from '../../src-main/vault/kdf';
import { addUser, unlockVault } from '../../src-main/vault/vault';
import { signLockoutRelease } from '../../src-server/lockout-release';
import { generateEd25519, randomBytes } from '../../src-shared/node/crypto';
import { DEFAULT_POLICY } from '../../src-shared/policy';
import { enrollWithSignedPolicy } from '../helpers/enroll-signed-policy';
import { PASSPHRASE, REVIEWER, createVaultThroughUi } from './flows';
import { startHarness, type Harness } from './harness';

const SECOND = 'blake.reviewer';
const SECOND_PASSPHRASE = 'second reviewer passphrase 9';
const AUDITOR = 'morgan.auditor';
const AUDITOR_PASSPHRASE = 'auditor passphrase for e2e 7';
/** Strict enough to reach both lockouts in a few attempts, without delays. */
const STRICT = { ...DEFAULT_POLICY, version: 2, lockout: { delayAfter: 20, lockAfter: 2, workstationLockAfter: 4 } };
const policyKey = generateEd25519();

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

  test("a user's lockout: refused to an auditor, cleared by another reviewer at the lock screen", async () => {
    const page = h.page;
    // A second reviewer and an auditor; the central office's policy (a user locks after 2, the workstation after 4) put in force by a sign-in.
    await addUsers(h.dataDir);
    const open = await unlockVault(h.dataDir, SECOND, SECOND_PASSPHRASE, { clock: () => Date.now() });
    try {
      enrollWithSignedPolicy(open.audit, open.workstationId, STRICT, policyKey, Date.now());
      refreshPreSignInPolicy(h.dataDir, open.audit);
    } finally {
      open.close();
    }
    await unlockAndLock(page, SECOND, SECOND_PASSPHRASE);

    // Two wrong passphrases lock avery out: then the right one is refused too, and the way out is offered.
    await page.getByLabel('User name').fill(REVIEWER);
    for (const attempt of ['wrong passphrase one', 'wrong passphrase two', PASSPHRASE]) {
      await page.getByLabel('Passphrase', { exact: true }).fill(attempt);
      await page.getByRole('button', { name: 'Unlock' }).click();
      await expect.poll(async () => page.getByRole('button', { name: 'Unlock' }).isEnabled(), { timeout: 60_000 }).toBe(true);
    }
    const recovery = page.getByRole('region', { name: `Clear ${REVIEWER}'s lockout` });
    await recovery.waitFor({ timeout: 60_000 });
    await recovery.getByLabel('Reviewer who clears it').fill(AUDITOR);
    await recovery.getByLabel('Their passphrase').fill(AUDITOR_PASSPHRASE);
    await recovery.getByRole('button', { name: 'Clear the lockout' }).click();
    await recovery.getByRole('alert').filter({ hasText: 'Only a reviewer may clear a lockout' }).waitFor({ timeout: 60_000 });
    await h.checkScreen('08-lockout-clear-refused');
    await recovery.getByLabel('Reviewer who clears it').fill(SECOND);
    await recovery.getByLabel('Their passphrase').fill(SECOND_PASSPHRASE);
    await recovery.getByRole('button', { name: 'Clear the lockout' }).click();
    await recovery.getByRole('status').filter({ hasText: `The lockout of ${REVIEWER} is cleared` }).waitFor({ timeout: 60_000 });
    const cleared = h.audit.filter((e) => e.event === 'lockout.clear');
    expect(cleared.map((e) => [e.outcome, e.object?.id, e.detail?.['by']])).toEqual([
      ['failure', REVIEWER, AUDITOR],
      ['success', REVIEWER, SECOND],
    ]);
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Submissions' }).waitFor({ timeout: 60_000 });
  });

  test("the administration screen lists lockouts; the workstation's is released by a signed file once, a release for another count refused", async () => {
    const page = h.page;
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Administration' }).click();
    const section = page.getByRole('region', { name: 'Lockouts' });
    await section.getByText(/^Workstation [0-9a-f]{32}: open, failure count \d+\.$/).waitFor();
    await h.checkScreen('09-admin-lockouts');
    await page.keyboard.press('Control+L');
    await page.getByRole('heading', { name: 'Unlock' }).waitFor();
    // Names that are no user count toward the workstation's ceiling only: four lock it.
    for (let i = 0; i < 4; i += 1) {
      await page.getByLabel('User name').fill(`nobody${i}`);
      await page.getByLabel('Passphrase', { exact: true }).fill('not anyone at all');
      await page.getByRole('button', { name: 'Unlock' }).click();
      await expect.poll(async () => page.getByRole('button', { name: 'Unlock' }).isEnabled(), { timeout: 60_000 }).toBe(true);
    }
    const release = page.getByRole('region', { name: 'Release this workstation' });
    await release.waitFor({ timeout: 60_000 });
    const facts = await release.locator('dd').allInnerTexts();
    const [workstation, count] = [facts[0] ?? '', Number(facts[1])];
    expect(workstation).toMatch(/^[0-9a-f]{32}$/);
    const file = (failures: number) => ({
      name: 'release.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(signLockoutRelease(policyKey.privateKey, { workstation, failures, issuedAt: Date.now() }))),
    });
    await release.getByLabel('Release file (.json)').setInputFiles(file(count - 1));
    await release.getByRole('button', { name: 'Import the release' }).click();
    await release.getByRole('alert').filter({ hasText: `failure count ${count - 1}` }).waitFor({ timeout: 60_000 });
    await h.checkScreen('10-lockout-release-refused');
    await release.getByLabel('Release file (.json)').setInputFiles(file(count));
    await release.getByRole('button', { name: 'Import the release' }).click();
    await page.getByRole('status').filter({ hasText: 'Workstation released' }).waitFor({ timeout: 60_000 });
    expect(h.audit.filter((e) => e.event === 'lockout.release').map((e) => e.outcome)).toEqual(['failure', 'success']);
    await page.getByLabel('User name').fill(REVIEWER);
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Submissions' }).waitFor({ timeout: 60_000 });
  });
});

/** blake (reviewer) and morgan (auditor), added on avery's authority (as rwctl would; the first test left avery's unlocks paused). */
async function addUsers(dir: string): Promise<void> {
  const lenient = { clock: () => Date.now(), random: randomBytes, kdf: MIN_KDF_PARAMS, policy: { delayAfter: 1000, lockAfter: 1000, workstationLockAfter: 1000 } };
  await addUser(dir, { user: SECOND, role: 'reviewer', newPassphrase: SECOND_PASSPHRASE }, { asUser: REVIEWER, asPassphrase: PASSPHRASE }, lenient);
  await addUser(dir, { user: AUDITOR, role: 'auditor', newPassphrase: AUDITOR_PASSPHRASE }, { asUser: REVIEWER, asPassphrase: PASSPHRASE }, lenient);
}

async function unlockAndLock(page: Harness['page'], user: string, passphrase: string): Promise<void> {
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('heading', { name: 'Submissions' }).waitFor({ timeout: 60_000 });
  await page.keyboard.press('Control+L');
  await page.getByRole('heading', { name: 'Unlock' }).waitFor();
}
