/**
 * A view left open when the session locks is closed in the access log by main, with the dwell main
 * measured and the lock's reason, before the lock's own leaf: the window's close comes after the lock,
 * when there is no session left to log it. Through the real app core, router and vault.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from '../../src-shared/node/crypto';
import { createAppCore, type AppCore } from '../../src-main/app-core';
import { verifyAccessLog } from '../../src-main/audit/verify-access-log';
import { addUser, initVault, unlockVault, type VaultDeps } from '../../src-main/vault/vault';
import type { KdfParams } from '../../src-main/vault/kdf';

const PASS = 'correct horse battery staple';
const AUDITOR_PASS = 'auditor passphrase 42';
const kdf: KdfParams = { algorithm: 'argon2id', version: 19, memoryKiB: 64 * 1024, iterations: 1, parallelism: 1 };
const TOP = { url: 'app://rw/index.html', isTopFrame: true };
const LEFT_OPEN = `art-${'ab'.repeat(16)}`;
const CLOSED = `art-${'cd'.repeat(16)}`;
const time = { wall: Date.UTC(2026, 10, 24, 10, 0, 0), mono: 0 };
const advance = (ms: number) => {
  time.wall += ms;
  time.mono += ms;
};

let dir: string;
let core: AppCore;

async function value<T>(channel: string, payload: unknown): Promise<T> {
  const result = await core.router.handle(channel, payload, TOP);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

type Row = { seq: number; event: string; object: { id: string; name: string | null } | null; detail: Record<string, unknown> };
async function leaves(): Promise<Row[]> {
  return (await value<{ rows: Row[] }>('audit.query', { filter: {}, offset: 0, limit: 500 })).rows.sort((a, b) => a.seq - b.seq);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-views-lock-'));
  const deps: VaultDeps = { clock: () => time.wall, random: randomBytes, kdf };
  await initVault(dir, 'alice', PASS, deps);
  await addUser(dir, { user: 'audrey', role: 'auditor', newPassphrase: AUDITOR_PASS }, { asUser: 'alice', asPassphrase: PASS }, deps);
  const vault = await unlockVault(dir, 'alice', PASS, { clock: () => time.wall });
  const caseId = `case-${'ef'.repeat(16)}`;
  vault.content!
    .prepare('INSERT INTO cases(id, model, developer, version, submitted_at, release_date, review_deadline, package_digest, submitter_key, imported_at, metadata_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run([caseId, 'Model A', 'Dev A', '1.0', '2026-11-01', '2026-12-01', '2026-11-30', 'sha256:aa', 'key-a', 100, '{}']);
  const artifact = vault.content!.prepare('INSERT INTO artifacts(id, case_id, path, size, sha256, media_type, chunk_count) VALUES (?, ?, ?, ?, ?, ?, ?)');
  artifact.run([LEFT_OPEN, caseId, 'evals/report.pdf', 10, 'bb'.repeat(32), 'application/pdf', 1]);
  artifact.run([CLOSED, caseId, 'model-card.md', 10, 'cc'.repeat(32), 'text/markdown', 1]);
  vault.close();
  core = await createAppCore({ dataDir: dir, clock: () => time.wall, monotonic: () => time.mono, preview: false, appOrigin: 'app://rw' });
}, 60_000);

afterAll(async () => {
  await core?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('views open at a lock', () => {
  it('the idle lock closes the view left open, with its dwell and reason, before the lock; a view closed by the window gets no second close', async () => {
    await value('session.unlock', { user: 'alice', passphrase: PASS });
    await value('artifact.view', { artifactId: CLOSED, action: 'open' });
    advance(2000);
    await value('artifact.view', { artifactId: CLOSED, action: 'close', dwellMs: 2000 });
    await value('artifact.view', { artifactId: LEFT_OPEN, action: 'open' });
    advance(3000);
    await value('artifact.view', { artifactId: LEFT_OPEN, action: 'view', page: 1, dwellMs: 3000 });
    advance(87_000);
    core.sessions.lock('idle');
    // The window's own close, after the lock: refused (no session), as before.
    expect((await core.router.handle('artifact.view', { artifactId: LEFT_OPEN, action: 'close', dwellMs: 90_000 }, TOP)).ok).toBe(false);

    await value('session.unlock', { user: 'audrey', passphrase: AUDITOR_PASS });
    const rows = await leaves();
    const closes = rows.filter((r) => r.event === 'artifact.view' && r.detail['action'] === 'close');
    expect(closes.map((r) => [r.object?.id, r.detail['dwellMs'], r.detail['endedBy']])).toEqual([
      [CLOSED, 2000, undefined],
      [LEFT_OPEN, 90_000, 'idle'],
    ]);
    expect(closes[1]!.object?.name).toBe('evals/report.pdf');
    const lock = rows.find((r) => r.event === 'lock' && r.detail['reason'] === 'idle')!;
    expect(closes[1]!.seq).toBe(lock.seq - 1);
    // The view's time counts once in the console: 2 s + 90 s, the page view not added.
    const summary = await value<{ perArtifact: { artifactId: string; dwellMs: number }[] }>('audit.summary', { filter: {} });
    expect(Object.fromEntries(summary.perArtifact.map((a) => [a.artifactId, a.dwellMs]))).toEqual({ [CLOSED]: 2000, [LEFT_OPEN]: 90_000 });
    expect(verifyAccessLog(core.sessions.require().audit).ok).toBe(true);
  });

  it('the Lock button (a manual lock through the router) closes it too; the next sign-in starts with nothing open', async () => {
    await value('session.lock', { reason: 'manual' });
    await value('session.unlock', { user: 'alice', passphrase: PASS });
    await value('artifact.view', { artifactId: CLOSED, action: 'open' });
    advance(5000);
    await value('session.lock', { reason: 'manual' });
    await value('session.unlock', { user: 'alice', passphrase: PASS });
    advance(5000);
    await value('session.lock', { reason: 'manual' });
    await value('session.unlock', { user: 'audrey', passphrase: AUDITOR_PASS });
    const ended = (await leaves()).filter((r) => r.event === 'artifact.view' && r.detail['endedBy'] !== undefined);
    expect(ended.map((r) => [r.object?.id, r.detail['dwellMs'], r.detail['endedBy']])).toEqual([
      [LEFT_OPEN, 90_000, 'idle'],
      [CLOSED, 5000, 'manual'],
    ]);
  });
});
