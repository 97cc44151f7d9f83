/**
 * The whole job from the app, as a reviewer without rwctl does it: enrollment (request written, signed
 * approval imported), the settings in force, users added, refused and removed, a passphrase changed,
 * and real packages imported from a chosen file: one refused, a duplicate refused naming its case, a
 * new version linked to the previous one with its files-changed list and side-by-side diff. Then an
 * auditor is refused the reviewer's administration. axe and a screenshot on every new screen.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signPackage } from '../../src-main/artifacts/sign-package';
import { verifyEnrollmentRequest } from '../../src-server/enrollment';
import { buildApprovalBundle } from '../../src-server/enrollment';
import { DEFAULT_POLICY } from '../../src-shared/policy';
import { trustPolicyKey } from '../helpers/enroll-signed-policy';
import { generateEd25519, generateKeyPair, publicKeyOf, publicKeyToPem } from '../../src-shared/node/crypto';
import { zipFolderBytes } from '../helpers/package-zip';
import { submissionBytes, writeFiles, type FileMap } from '../helpers/package-fixtures';
import { PASSPHRASE, REVIEWER, createVaultThroughUi } from './flows';
import { startHarness, type Harness } from './harness';

const AUDITOR = 'morgan.auditor';
const AUDITOR_PASSPHRASE = 'auditor passphrase for e2e 7';
const NEW_PASSPHRASE = 'a brand new reviewer passphrase 9';
const submitter = generateKeyPair('ecdsa-p256');

const V1: FileMap = {
  'submission.json': submissionBytes({ model: 'Kestrel-7', developer: 'Example Lab', version: '7.0.1' }),
  'model-card.md': '# Kestrel-7 model card\n\nCapabilities: summarisation.\nKnown limits: none listed.\n',
  'eval/results.csv': 'task,score\nqa,0.91\n',
};
const V2: FileMap = {
  'submission.json': submissionBytes({ model: 'Kestrel-7', developer: 'Example Lab', version: '7.0.2' }),
  'model-card.md': '# Kestrel-7 model card\n\nCapabilities: summarisation, code.\nKnown limits: none listed.\nNew: a safety section.\n',
  'eval/results.csv': 'task,score\nqa,0.91\n',
  'system-card.md': '# System card\n',
};

let scratch: string;
async function signedZip(files: FileMap, name: string, tamper = false): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const dir = join(scratch, name);
  writeFiles(dir, files);
  await signPackage(dir, submitter);
  if (tamper) writeFiles(dir, { 'eval/results.csv': 'task,score\nqa,0.99\n' });
  return { name: `${name}.zip`, mimeType: 'application/zip', buffer: Buffer.from(await zipFolderBytes(dir)) };
}

describe('administration and import from disk', () => {
  let h: Harness;
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'rw-e2e-admin-'));
    h = await startHarness();
    await createVaultThroughUi(h.page);
  });
  afterAll(async () => {
    await h?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('an unenrolled workstation refuses a package and says how to fix it', async () => {
    const page = h.page;
    await page.getByLabel('Package file (.zip)').setInputFiles(await signedZip(V1, 'early'));
    await page.getByRole('button', { name: 'Import package' }).click();
    await page.getByRole('alert').filter({ hasText: 'trusts no submitter key yet' }).waitFor();
  });

  test('enrollment: the request is written where the app says, the signed approval is imported from a file', async () => {
    const page = h.page;
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Administration' }).click();
    await page.getByRole('heading', { name: 'Administration', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Write the enrollment request' }).click();
    const said = await page.getByRole('status').filter({ hasText: 'The enrollment request was written to' }).innerText();
    const exportDir = join(h.dataDir, 'exports');
    const [file] = readdirSync(exportDir).filter((f) => f.startsWith('enrollment-request-'));
    expect(said).toContain(join(exportDir, file!));

    // The central office verifies the request and signs an approval trusting the submitter's key.
    const request = verifyEnrollmentRequest(new Uint8Array(readFileSync(join(exportDir, file!))));
    const server = generateEd25519();
    const policyKey = generateEd25519();
    // The administrator installed this policy key in the machine's trust root (outside the vault folder).
    trustPolicyKey(policyKey.publicKey);
    const bundle = buildApprovalBundle(
      {
        serverName: 'central.example',
        serverSeed: server.privateKey,
        serverPublicKey: server.publicKey,
        policy: { ...DEFAULT_POLICY, version: 2, idleMinutes: 15 },
        policySeed: policyKey.privateKey,
        policyPublicKey: policyKey.publicKey,
        trustedSubmitterKeys: [publicKeyToPem(publicKeyOf(submitter))],
      },
      request,
      Date.now(),
    );
    // One refusal first: an empty submit names the missing file, nothing is sent.
    await page.getByRole('button', { name: 'Import the approval' }).click();
    await page.getByText('Choose the approval file from the central office first.').waitFor();
    await page.getByLabel('Approval file (.json)').setInputFiles({ name: 'approval.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bundle)) });
    await expect.poll(() => page.getByText('Choose the approval file from the central office first.').count()).toBe(0);
    await page.getByRole('button', { name: 'Import the approval' }).click();
    await page.getByRole('status').filter({ hasText: 'Enrolled with central.example: policy version 2 is in force; 1 trusted submitter key.' }).waitFor();
    expect(h.audit.filter((e) => e.event === 'policy.change' && e.outcome === 'success').length).toBeGreaterThan(0);
    await h.checkScreen('60-admin-enrollment');
  });

  test('settings show the signed policy, every control, the server and the trust root, read-only', async () => {
    const page = h.page;
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Policy in force' }).waitFor();
    const text = await page.locator('main').innerText();
    expect(text).toContain('signed by the central office');
    expect(text).toContain('after 15 minutes');
    expect(text).toContain('central.example');
    expect(text).toMatch(/The administrator's trust root .+: only a policy signed by sha256:/);
    // The theme (this workstation's display) is the one control; the policy has none.
    expect(await page.locator('main input, main textarea').count()).toBe(0);
    expect(await page.locator('main select').count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Display' }).getByLabel('Theme').count()).toBe(1);
    await h.checkScreen('61-settings');
  });

  test('users: validation one problem at a time, a wrong authorising passphrase refused, an auditor added and removed, the last reviewer kept', async () => {
    const page = h.page;
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Administration' }).click();
    const form = page.getByRole('form', { name: 'Add a user' });
    await form.getByRole('button', { name: 'Add user' }).click();
    await form.getByText('Enter a user name.').waitFor();
    expect(await form.locator('.field-error').count()).toBe(1);
    expect(await form.getByLabel('User name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('User name', { exact: true }).fill(AUDITOR);
    // Fixing the name clears its message; the next problem shows only on the next step.
    await form.getByText(/needs at least 12 characters \(it has 0\)/).waitFor();
    expect(await form.getByText('Enter a user name.').count()).toBe(0);
    await form.getByLabel('Their passphrase', { exact: true }).fill('short');
    await form.getByText(/it has 5/).waitFor();
    await form.getByLabel('Their passphrase', { exact: true }).fill(AUDITOR_PASSPHRASE);
    await form.getByText('The two passphrases differ.').waitFor();
    await form.getByLabel('Repeat their passphrase').fill(AUDITOR_PASSPHRASE);
    await form.getByText('Enter your own passphrase to authorise adding a user.').waitFor();
    await h.checkScreen('62-admin-validation');

    await form.getByLabel('Your passphrase', { exact: true }).fill('not my passphrase at all');
    await form.getByRole('button', { name: 'Add user' }).click();
    await form.getByRole('alert').filter({ hasText: 'not correct' }).waitFor({ timeout: 60_000 });
    expect(h.audit.filter((e) => e.event === 'user.add').at(-1)).toMatchObject({ outcome: 'failure', errorCode: 'AUTH_FAILED' });

    await form.getByLabel('Your passphrase', { exact: true }).fill(PASSPHRASE);
    await form.getByRole('button', { name: 'Add user' }).click();
    await form.getByRole('status').filter({ hasText: `${AUDITOR} was added as an auditor.` }).waitFor({ timeout: 60_000 });
    const users = page.getByRole('table', { name: 'Users of this workstation' });
    await users.getByRole('row', { name: new RegExp(AUDITOR) }).waitFor();

    // The last reviewer cannot be removed (the app offers no button for oneself; the router says why).
    const refused = await page.evaluate(
      async ([me, pass]) => (globalThis as unknown as { rw: Record<string, (r: unknown) => Promise<unknown>> }).rw['admin.removeUser']!({ name: me, authPassphrase: pass }),
      [REVIEWER, PASSPHRASE],
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'DENIED', message: expect.stringContaining('last reviewer') } });

    await users.getByRole('button', { name: `Remove ${AUDITOR}` }).click();
    const remove = page.getByRole('form', { name: `Remove ${AUDITOR}` });
    await remove.getByLabel('Your passphrase', { exact: true }).fill(PASSPHRASE);
    await h.checkScreen('63-admin-remove-user');
    await remove.getByRole('button', { name: `Remove ${AUDITOR}` }).click();
    await expect.poll(() => users.getByRole('row', { name: new RegExp(AUDITOR) }).count(), { timeout: 60_000 }).toBe(0);
    expect(h.audit.filter((e) => e.event === 'user.remove').map((e) => e.outcome)).toEqual(['failure', 'success']);
  });

  test('change passphrase: a wrong current one refused, then changed', async () => {
    const page = h.page;
    const form = page.getByRole('form', { name: 'Change your passphrase' });
    await form.getByLabel('Current passphrase', { exact: true }).fill('wrong current passphrase');
    await form.getByLabel('New passphrase', { exact: true }).fill(NEW_PASSPHRASE);
    await form.getByLabel('Repeat the new passphrase').fill(NEW_PASSPHRASE);
    await form.getByRole('button', { name: 'Change passphrase' }).click();
    await form.getByRole('alert').filter({ hasText: 'not correct' }).waitFor({ timeout: 60_000 });
    await form.getByLabel('Current passphrase', { exact: true }).fill(PASSPHRASE);
    await form.getByRole('button', { name: 'Change passphrase' }).click();
    await form.getByRole('status').filter({ hasText: 'Your passphrase was changed.' }).waitFor({ timeout: 60_000 });
    expect(h.audit.filter((e) => e.event === 'user.passphrase').map((e) => e.outcome)).toEqual(['failure', 'success']);
  });

  test('import from a chosen file: a tampered package refused, then 7.0.1, a duplicate naming its case, and 7.0.2 linked with its diff', async () => {
    const page = h.page;
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Submissions' }).click();
    const input = page.getByLabel('Package file (.zip)');
    const importButton = page.getByRole('button', { name: 'Import package' });

    await input.setInputFiles(await signedZip(V1, 'tampered', true));
    await importButton.click();
    await page.getByRole('alert').filter({ hasText: 'eval/results.csv' }).waitFor({ timeout: 60_000 });
    expect(await page.getByRole('alert').innerText()).toContain('PACKAGE_REFUSED');

    const v1 = await signedZip(V1, 'kestrel-7.0.1');
    await input.setInputFiles(v1);
    await importButton.click();
    const done = page.locator('.import-package .import-result');
    await expect.poll(() => page.locator('.import-package').innerText(), { timeout: 60_000 }).toMatch(/Imported Kestrel-7 7\.0\.1/);
    await done.filter({ hasText: /Imported Kestrel-7 7\.0\.1 as case case-[0-9a-f]{32}, signature by sha256:[0-9a-f]{16}…: 3 files, \d[\d.]* [KM]?i?B\./ }).waitFor({ timeout: 60_000 });
    const firstCase = /case-[0-9a-f]{32}/.exec(await done.innerText())![0];
    await h.checkScreen('64-import-from-file');

    await input.setInputFiles(v1);
    await importButton.click();
    await page.getByRole('alert').filter({ hasText: `already imported as Kestrel-7 7.0.1 (${firstCase})` }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Open the existing case' }).waitFor();
    await h.checkScreen('65-import-duplicate');

    await input.setInputFiles(await signedZip(V2, 'kestrel-7.0.2'));
    await importButton.click();
    await done.filter({ hasText: 'Version 7.0.2 of Kestrel-7, previous: 7.0.1.' }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Open Kestrel-7 7.0.2' }).click();
    await page.getByText('Version 7.0.2 of Kestrel-7, previous: 7.0.1.').waitFor();
    await page.getByRole('button', { name: 'Changes since 7.0.1' }).click();
    const table = page.getByRole('table', { name: 'Files changed' });
    await table.waitFor();
    expect(await table.getByRole('row', { name: /system-card\.md Added/ }).count()).toBe(1);
    expect(await table.getByRole('row', { name: /model-card\.md Changed/ }).count()).toBe(1);
    await page.getByText('1 added, 0 removed, 2 changed, 1 unchanged.').waitFor();
    await page.getByRole('button', { name: 'Show differences in model-card.md' }).click();
    const diff = page.getByRole('table', { name: /model-card\.md: 2 lines differ/ });
    await diff.waitFor();
    expect(await diff.getByRole('row', { name: /Capabilities: summarisation\..*Capabilities: summarisation, code\./ }).count()).toBe(1);
    await h.checkScreen('66-version-diff');
    expect(h.audit.filter((e) => e.event === 'case.import').map((e) => [e.outcome, e.errorCode ?? ''])).toEqual([
      ['failure', 'POLICY_REFUSED'],
      ['failure', 'PACKAGE_REFUSED'],
      ['success', ''],
      ['failure', 'CONFLICT'],
      ['success', ''],
    ]);
  });

  test('an auditor is refused the reviewer administration, with a clear message', async () => {
    const page = h.page;
    // Added through the router as a reviewer does, then signed in through the lock screen.
    const added = await page.evaluate(
      async ([name, pass, auth]) =>
        (globalThis as unknown as { rw: Record<string, (r: unknown) => Promise<unknown>> }).rw['admin.addUser']!({ name, role: 'auditor', passphrase: pass, authPassphrase: auth }),
      [AUDITOR, AUDITOR_PASSPHRASE, NEW_PASSPHRASE],
    );
    expect(added).toMatchObject({ ok: true });
    await page.keyboard.press('Control+L');
    await page.getByRole('heading', { name: 'Unlock' }).waitFor();
    await page.getByLabel('User name', { exact: true }).fill(AUDITOR);
    await page.getByLabel('Passphrase').fill(AUDITOR_PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Administration' }).click({ timeout: 60_000 });
    await page.getByText('Only a reviewer may add or remove users.').waitFor();
    const refused = await page.evaluate(async () =>
      (globalThis as unknown as { rw: Record<string, (r: unknown) => Promise<unknown>> }).rw['admin.addUser']!({ name: 'x', role: 'auditor', passphrase: 'long enough passphrase', authPassphrase: 'y' }),
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'DENIED', message: 'Your role does not allow this operation.' } });
    await h.checkScreen('67-admin-auditor');
  });
});
