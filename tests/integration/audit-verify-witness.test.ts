/**
 * `rwctl audit verify --server URL --token-file F`: a user who can open audit.db drops the append-only
 * triggers and rewrites history below what the witness cosigned, editing every local table to agree
 * (leaves, nodes, state, checkpoints re-signed with the device key, witnessed_checkpoints emptied). The
 * local check alone passes; against the witness's copy, fetched with an auditor token, the rewrite is
 * found. The workstation is enrolled the real way: its request carries its checkpoint, which the witness
 * holds from then on.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Database } from '@signalapp/sqlcipher';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from '../../src-shared/node/crypto';
import { utf8 } from '../../src-shared/encoding';
import { openAccessLog, logOrigin, type AccessLog } from '../../src-main/audit/access-log';
import { createEnrollmentRequest, importApproval } from '../../src-main/attest/enrollment';
import { initVault, unlockVault, type VaultDeps } from '../../src-main/vault/vault';
import type { KdfParams } from '../../src-main/vault/kdf';
import { createAuditCommands } from '../../src-cli/audit-commands';
import type { CliIo } from '../../src-cli/command';
import { runCli } from '../../src-cli/main';
import { initDataDir, loadServerConfig } from '../../src-server/server-config';
import { openServerStore } from '../../src-server/open-store';
import { enrollKeys, verifyEnrollmentRequest } from '../../src-server/enrollment';
import { approvalFromServer } from '../../src-server/approval-bundle';
import { createReadToken } from '../../src-server/read-tokens';
import { listen, type RunningServer } from '../../src-server/http-server';
import type { ServerStore } from '../../src-server/server-store';
import { dropAppendOnlyTriggers, rebuildLogState } from '../helpers/audit-fixture';

const PASS = 'correct horse battery staple';
const kdf: KdfParams = { algorithm: 'argon2id', version: 19, memoryKiB: 64 * 1024, iterations: 1, parallelism: 1 };
const deps: VaultDeps = { clock: () => Date.now(), random: randomBytes, kdf };

let root: string;
let vaultDir: string;
let store: ServerStore;
let running: RunningServer;
let auditorFile: string;
let readerFile: string;
let witnessedSize = 0;

async function rwctl(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: { RW_PASSPHRASE: PASS }, stdin: Readable.from([]) as CliIo['stdin'], cwd: root, clock: () => Date.now() };
  const code = await runCli(argv, io, createAuditCommands());
  return { code, out, err };
}

async function withVault<T>(fn: (audit: Database, log: AccessLog, workstationId: string) => T | Promise<T>): Promise<T> {
  const vault = await unlockVault(vaultDir, 'alice', PASS, { clock: () => Date.now() });
  const log = openAccessLog(vault.audit, { app: 'rw-test/0', clock: () => Date.now(), monotonic: () => performance.now() });
  try {
    return await fn(vault.audit, log, vault.workstationId);
  } finally {
    log.close();
    vault.close();
  }
}

function appendSome(log: AccessLog, count: number, query = 'model card'): void {
  for (let i = 0; i < count; i++) log.append({ actor: { user: 'alice', role: 'reviewer' }, event: 'search', outcome: 'success', detail: { query } });
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-verify-witness-'));
  vaultDir = path.join(root, 'vault');
  await initVault(vaultDir, 'alice', PASS, deps);
  const data = path.join(root, 'server');
  initDataDir(data, { name: 'witness.test/attestations' });
  const loaded = loadServerConfig(data);
  store = await openServerStore(data);
  await withVault(async (audit, log, workstationId) => {
    appendSome(log, 12);
    const checkpoint = log.checkpoint('sync').note;
    const envelope = createEnrollmentRequest(audit, { workstationId, logOrigin: logOrigin(workstationId), reviewers: [], checkpoint, clock: () => Date.now() });
    const request = verifyEnrollmentRequest(utf8(JSON.stringify(envelope)));
    await enrollKeys(store, request, Date.now());
    importApproval(audit, workstationId, utf8(JSON.stringify(approvalFromServer(loaded, request, Date.now()))), () => Date.now());
    witnessedSize = (await store.witnessState(request.logOrigin))!.size;
    appendSome(log, 8);
  });
  running = await listen({ loaded, store, clock: () => Date.now() }, { host: '127.0.0.1', port: 0 });
  auditorFile = path.join(root, 'auditor.token');
  fs.writeFileSync(auditorFile, `${await createReadToken(store, 'auditor', 1)}\n`);
  readerFile = path.join(root, 'reader.token');
  fs.writeFileSync(readerFile, await createReadToken(store, 'reader', 1));
}, 60_000);

afterAll(async () => {
  await running?.close();
  await store?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('rwctl audit verify --server', () => {
  it('passes on an intact log that extends what the witness holds, and needs an auditor token', async () => {
    expect(witnessedSize).toBeGreaterThanOrEqual(12);
    const ok = await rwctl(['audit', 'verify', '--vault', vaultDir, '--user', 'alice', '--server', running.url, '--token-file', auditorFile]);
    expect(ok.code, ok.out + ok.err).toBe(0);
    expect(ok.out).toContain(`extends checkpoint witnessed by witness.test/attestations (size ${witnessedSize})`);
    const reader = await rwctl(['audit', 'verify', '--vault', vaultDir, '--user', 'alice', '--server', running.url, '--token-file', readerFile]);
    expect(reader.code).not.toBe(0);
    expect(reader.err).toMatch(/auditor token is required/);
  });

  it('finds a history rewritten below the witnessed size even when every local table was edited to agree', async () => {
    const forkAt = witnessedSize - 5;
    await withVault((audit) => {
      dropAppendOnlyTriggers(audit);
      audit.prepare('DELETE FROM log_leaves WHERE seq >= ?').run([forkAt]);
      rebuildLogState(audit);
      audit.exec('DELETE FROM witnessed_checkpoints');
      // Another history, signed with the workstation's own device key, checkpoints and all.
      const forged = openAccessLog(audit, { app: 'rw-app/0.1.0', clock: () => Date.now(), monotonic: () => performance.now() });
      appendSome(forged, 30, 'nothing to see');
      forged.checkpoint('lock');
      forged.close();
    });
    const blind = await rwctl(['audit', 'verify', '--vault', vaultDir, '--user', 'alice']);
    expect(blind.code, blind.out).toBe(0);
    const run = await rwctl(['audit', 'verify', '--vault', vaultDir, '--user', 'alice', '--server', running.url, '--token-file', auditorFile]);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/DAMAGED: first bad sequence number \d+ \(fork\)/);
  });
});
