import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, privateKeyToPem, publicKeyOf, publicKeyToPem } from '../../../src-shared/node/crypto';
import { runCli } from '../../../src-cli/main';
import { PACKAGE_COMMANDS } from '../../../src-cli/package-commands';
import { captureIo } from '../../helpers/cli-io';
import { submissionBytes, tempDir, writeFiles } from '../../helpers/package-fixtures';

const io = (cwd: string) => captureIo(cwd);

function keyFiles(dir: string) {
  const key = generateKeyPair('ecdsa-p384');
  fs.writeFileSync(path.join(dir, 'key.pem'), privateKeyToPem(key));
  fs.writeFileSync(path.join(dir, 'pub.pem'), publicKeyToPem(publicKeyOf(key)));
  const other = generateKeyPair('ecdsa-p256');
  fs.writeFileSync(path.join(dir, 'other.pem'), publicKeyToPem(publicKeyOf(other)));
}

describe('rwctl package sign / verify', () => {
  it('signs a folder and verifies it with the matching key', async () => {
    const work = tempDir();
    keyFiles(work);
    writeFiles(path.join(work, 'pkg'), { 'submission.json': submissionBytes(), 'card.md': '# card\n' });
    const sign = io(work);
    expect(await runCli(['package', 'sign', 'pkg', '--key', 'key.pem'], sign.io, PACKAGE_COMMANDS)).toBe(0);
    expect(sign.out.stdout).toMatch(/Signed 2 file\(s\)/);
    expect(fs.existsSync(path.join(work, 'pkg/model.sig'))).toBe(true);

    const verify = io(work);
    expect(await runCli(['package', 'verify', 'pkg', '--pubkey', 'other.pem', '--trust', 'pub.pem'], verify.io, PACKAGE_COMMANDS)).toBe(0);
    expect(verify.out.stdout).toMatch(/^Verified 2 file\(s\), \d+ bytes; package sha256:[0-9a-f]{64}; signed by sha256:[0-9a-f]{64}\.\n$/);
  });

  it('refuses a tampered package with one line naming the entry and reason, exit 1', async () => {
    const work = tempDir();
    keyFiles(work);
    writeFiles(path.join(work, 'pkg'), { 'submission.json': submissionBytes(), 'card.md': '# card\n' });
    expect(await runCli(['package', 'sign', 'pkg', '--key', 'key.pem'], io(work).io, PACKAGE_COMMANDS)).toBe(0);
    fs.appendFileSync(path.join(work, 'pkg/card.md'), 'tampered');
    const verify = io(work);
    expect(await runCli(['package', 'verify', 'pkg', '--trust', 'pub.pem'], verify.io, PACKAGE_COMMANDS)).toBe(1);
    expect(verify.out.stderr).toBe('rwctl: Package refused: "card.md": the content does not match its signed SHA-256.\n');
  });

  it('refuses verification with an untrusted key (exit 1)', async () => {
    const work = tempDir();
    keyFiles(work);
    writeFiles(path.join(work, 'pkg'), { 'x.txt': 'x' });
    await runCli(['package', 'sign', 'pkg', '--key', 'key.pem'], io(work).io, PACKAGE_COMMANDS);
    const verify = io(work);
    expect(await runCli(['package', 'verify', 'pkg', '--trust', 'other.pem'], verify.io, PACKAGE_COMMANDS)).toBe(1);
    expect(verify.out.stderr).toMatch(/"model.sig": the signature does not verify with a trusted key/);
  });

  it.each([
    [['package', 'verify', 'pkg'], 2],
    [['package', 'sign', 'pkg'], 2],
    [['package', 'sign', 'missing-dir', '--key', 'key.pem'], 1],
    [['package', 'verify', 'pkg', '--trust', 'no-such.pem'], 1],
  ])('rejects %j with exit %i', async (argv, code) => {
    const work = tempDir();
    keyFiles(work);
    writeFiles(path.join(work, 'pkg'), { 'x.txt': 'x' });
    expect(await runCli(argv, io(work).io, PACKAGE_COMMANDS)).toBe(code);
  });
});
