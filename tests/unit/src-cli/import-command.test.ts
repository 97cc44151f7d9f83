import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, privateKeyToPem, publicKeyOf, publicKeyToPem, randomBytes } from '../../../src-shared/node/crypto';
import { runCli } from '../../../src-cli/main';
import { IMPORT_COMMANDS } from '../../../src-cli/import-command';
import { PACKAGE_COMMANDS } from '../../../src-cli/package-commands';
import { captureIo } from '../../helpers/cli-io';
import { initVault, unlockVault } from '../../../src-main/vault/vault';
import { MIN_KDF_PARAMS } from '../../../src-main/vault/kdf';
import { countRows, signatureFor, submissionBytes, tempDir, writeFiles } from '../../helpers/package-fixtures';

const PASS = 'correct horse battery staple';
const commands = [...PACKAGE_COMMANDS, ...IMPORT_COMMANDS];

const io = (cwd: string) => captureIo(cwd, { env: { RW_PASSPHRASE: PASS }, clock: () => Date.parse('2026-11-28T10:00:00Z') });

async function setup() {
  const work = tempDir();
  const vaultDir = path.join(work, 'vault');
  await initVault(vaultDir, 'alice', PASS, { clock: () => 0, random: randomBytes, kdf: MIN_KDF_PARAMS });
  const key = generateKeyPair('ecdsa-p256');
  fs.writeFileSync(path.join(work, 'key.pem'), privateKeyToPem(key));
  fs.writeFileSync(path.join(work, 'pub.pem'), publicKeyToPem(publicKeyOf(key)));
  return { work, vaultDir, key };
}

async function cases(vaultDir: string): Promise<number> {
  const vault = await unlockVault(vaultDir, 'alice', PASS, { clock: () => 0 });
  try {
    return countRows(vault.content!, 'cases');
  } finally {
    vault.close();
  }
}

describe('rwctl import', () => {
  it('imports a signed package and says what it imported, refuses it a second time naming the case, and links a new version', async () => {
    const { work, vaultDir } = await setup();
    writeFiles(path.join(work, 'pkg'), { 'submission.json': submissionBytes(), 'card.md': '# card\n' });
    await runCli(['package', 'sign', 'pkg', '--key', 'key.pem'], io(work).io, commands);
    const run = io(work);
    expect(await runCli(['import', 'pkg', '--vault', 'vault', '--user', 'alice', '--trust', 'pub.pem'], run.io, commands)).toBe(0);
    expect(run.out.stdout).toMatch(/^Imported Test-1 1\.0\.0 as case case-[0-9a-f]{32}: 2 files, \d+ B, signature by sha256:[0-9a-f]{64}\.\n$/);
    const caseId = /case-[0-9a-f]{32}/.exec(run.out.stdout)![0];
    expect(await cases(vaultDir)).toBe(1);

    const again = io(work);
    expect(await runCli(['import', 'pkg', '--vault', 'vault', '--user', 'alice', '--trust', 'pub.pem'], again.io, commands)).toBe(1);
    expect(again.out.stderr).toBe(`rwctl: This package was already imported as Test-1 1.0.0 (${caseId}); nothing was changed.\n`);
    expect(await cases(vaultDir)).toBe(1);

    writeFiles(path.join(work, 'pkg2'), { 'submission.json': submissionBytes({ version: '1.1.0' }), 'card.md': '# card v2\n' });
    await runCli(['package', 'sign', 'pkg2', '--key', 'key.pem'], io(work).io, commands);
    const next = io(work);
    expect(await runCli(['import', 'pkg2', '--vault', 'vault', '--user', 'alice', '--trust', 'pub.pem'], next.io, commands)).toBe(0);
    expect(next.out.stdout).toContain(`Version 1.1.0 of Test-1, previous: 1.0.0 (${caseId}).\n`);
  });

  it('refuses a hostile package with one line (entry and reason), exit 1, and no case', async () => {
    const { work, vaultDir, key } = await setup();
    const files = { 'submission.json': submissionBytes(), 'a\\..\\b.txt': 'x' };
    writeFiles(path.join(work, 'pkg'), files);
    fs.writeFileSync(path.join(work, 'pkg/model.sig'), signatureFor(files, key));
    const run = io(work);
    expect(await runCli(['import', 'pkg', '--vault', 'vault', '--user', 'alice', '--trust', 'pub.pem'], run.io, commands)).toBe(1);
    expect(run.out.stderr).toBe('rwctl: Package refused: "a\\\\..\\\\b.txt": backslashes are not allowed in names.\n');
    expect(run.out.stdout).toBe('');
    expect(await cases(vaultDir)).toBe(0);
  });

  it('needs at least one --pubkey key (usage, exit 2)', async () => {
    const { work } = await setup();
    const run = io(work);
    expect(await runCli(['import', 'pkg', '--vault', 'vault', '--user', 'alice'], run.io, commands)).toBe(2);
    expect(run.out.stderr).toMatch(/--pubkey/);
  });

  it('fails authentication with a wrong passphrase (exit 3)', async () => {
    const { work } = await setup();
    writeFiles(path.join(work, 'pkg'), { 'submission.json': submissionBytes() });
    const run = io(work);
    run.io.env = { RW_PASSPHRASE: 'wrong passphrase here' };
    expect(await runCli(['import', 'pkg', '--vault', 'vault', '--user', 'alice', '--trust', 'pub.pem'], run.io, commands)).toBe(3);
  });
});
