/**
 * A reviewer's laptop can lose power or the app can be killed in the middle of a long import. The import
 * is one transaction, so the vault must reopen with its earlier cases and no partial one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, publicKeyOf, publicKeyToPem } from '../../../src-shared/node/crypto';
import { toHex } from '../../../src-shared/encoding';
import { importPackageDetailed } from '../../../src-main/artifacts/import-package';
import { signPackage } from '../../../src-main/artifacts/sign-package';
import { countRows, openTestContentDb, submissionBytes, tempDir, writeFiles } from '../../helpers/package-fixtures';

const here = path.dirname(fileURLToPath(import.meta.url));
const MiB = 1024 * 1024;

describe('import interrupted by SIGKILL', () => {
  it('leaves a vault that opens with the earlier case and no partial one', async () => {
    const key = generateKeyPair('ecdsa-p256');
    const trusted = [publicKeyOf(key)];
    const vault = openTestContentDb();

    const small = tempDir();
    writeFiles(small, { 'submission.json': submissionBytes({ model: 'Earlier' }), 'card.md': '# earlier\n' });
    await signPackage(small, key);
    await importPackageDetailed({ contentDb: vault.db, source: small, trustedKeys: trusted, clock: () => 1 });
    vault.db.close();

    const big = tempDir();
    const blob = Buffer.alloc(24 * MiB);
    for (let i = 0; i < blob.length; i += 4096) blob.writeUInt32LE(i, i);
    writeFiles(big, { 'submission.json': submissionBytes({ model: 'Interrupted' }), 'a.bin': blob, 'b.bin': blob.subarray(0, 8 * MiB) });
    await signPackage(big, key);

    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'import-child.ts'), vault.file, toHex(vault.key), big, publicKeyToPem(trusted[0]!), String(28 * MiB)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += String(d);
        if (stdout.includes('MID')) resolve();
      });
      child.on('exit', () => reject(new Error(`child exited before mid-import: ${stdout} ${stderr}`)));
    });
    // The open transaction has already spilled megabytes of (encrypted) pages into the WAL: kill now.
    expect(fs.statSync(`${vault.file}-wal`).size).toBeGreaterThan(4 * MiB);
    child.kill('SIGKILL');
    expect((await exit).signal).toBe('SIGKILL');

    const db = vault.reopen();
    try {
      expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
      const models = db.prepare('SELECT model FROM cases').all().map((r) => r.model);
      expect(models).toEqual(['Earlier']);
      expect(countRows(db, 'artifacts')).toBe(2);
      const orphanChunks = db.prepare('SELECT count(*) AS n FROM artifact_chunks c LEFT JOIN artifacts a ON a.id = c.artifact_id WHERE a.id IS NULL').get();
      expect(orphanChunks?.n).toBe(0);
    } finally {
      db.close();
    }
    expect(fs.existsSync(vault.file)).toBe(true);
  });
});
