/**
 * The auditor's role end to end through the real app core and router (issue 4 §5): a reviewer's
 * artifact views become leaves with page and dwell time; an auditor holds no content key, every content
 * channel answers DENIED to them, and the auditor channels answer the console's questions (filtered
 * pages, who saw page X, summaries, off-hours and fast-paging flags, the integrity banner).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from '../../src-shared/node/crypto';
import { CONTRACT } from '../../src-shared/ipc/contract';
import { createAppCore, type AppCore } from '../../src-main/app-core';
import { verifyAccessLog } from '../../src-main/audit/verify-access-log';
import { addUser, initVault, unlockVault, type VaultDeps } from '../../src-main/vault/vault';
import type { KdfParams } from '../../src-main/vault/kdf';
import { samplePayload } from './zod-sample';

const PASS = 'correct horse battery staple';
const AUDITOR_PASS = 'auditor passphrase 42';
const kdf: KdfParams = { algorithm: 'argon2id', version: 19, memoryKiB: 64 * 1024, iterations: 1, parallelism: 1 };
const TOP = { url: 'app://rw/index.html', isTopFrame: true };
const ARTIFACT = `art-${'ab'.repeat(16)}`;
// 22:00 UTC on a Tuesday: outside the default working hours.
const time = { wall: Date.UTC(2026, 10, 24, 22, 0, 0), mono: 0 };
const advance = (ms: number) => {
  time.wall += ms;
  time.mono += ms;
};

let dir: string;
let core: AppCore;

async function call(channel: string, payload: unknown) {
  return core.router.handle(channel, payload, TOP);
}

async function value<T>(channel: string, payload: unknown): Promise<T> {
  const result = await call(channel, payload);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-auditor-'));
  const deps: VaultDeps = { clock: () => time.wall, random: randomBytes, kdf };
  await initVault(dir, 'alice', PASS, deps);
  await addUser(dir, { user: 'audrey', role: 'auditor', newPassphrase: AUDITOR_PASS }, { asUser: 'alice', asPassphrase: PASS }, deps);
  const vault = await unlockVault(dir, 'alice', PASS, { clock: () => time.wall });
  const content = vault.content!;
  content
    .prepare('INSERT INTO cases(id, model, developer, version, submitted_at, release_date, review_deadline, package_digest, submitter_key, imported_at, metadata_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run([`case-${'cd'.repeat(16)}`, 'Model A', 'Dev A', '1.0', '2026-11-01', '2026-12-01', '2026-11-30', 'sha256:aa', 'key-a', 100, '{}']);
  content.prepare('INSERT INTO artifacts(id, case_id, path, size, sha256, media_type, chunk_count) VALUES (?, ?, ?, ?, ?, ?, ?)').run([ARTIFACT, `case-${'cd'.repeat(16)}`, 'evals/report.pdf', 10, 'bb'.repeat(32), 'application/pdf', 1]);
  vault.close();
  core = await createAppCore({ dataDir: dir, clock: () => time.wall, monotonic: () => time.mono, preview: false, appOrigin: 'app://rw' });

  // A failed unlock (logged through the device slot), then the reviewer reads seven pages in 3.5 s.
  expect((await call('session.unlock', { user: 'alice', passphrase: 'wrong passphrase!!' })).ok).toBe(false);
  advance(1000);
  await value('session.unlock', { user: 'alice', passphrase: PASS });
  await value('artifact.view', { artifactId: ARTIFACT, action: 'open' });
  for (let page = 1; page <= 7; page++) {
    advance(500);
    await value('artifact.view', { artifactId: ARTIFACT, action: 'view', page, dwellMs: 500 });
  }
  advance(500);
  await value('artifact.view', { artifactId: ARTIFACT, action: 'close', dwellMs: 4000 });
  await value('session.lock', { reason: 'manual' });
  advance(60_000);
  await value('session.unlock', { user: 'audrey', passphrase: AUDITOR_PASS });
}, 60_000);

afterAll(async () => {
  await core?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('auditor role', () => {
  it('holds no key for content.db: the vault opens audit.db only and the slot wraps no content key', () => {
    const vault = core.sessions.require();
    expect(vault.role).toBe('auditor');
    expect(vault.content).toBeNull();
    const slots = JSON.parse(fs.readFileSync(path.join(dir, 'slots.json'), 'utf8')) as { slots: { kind: string; user?: string; keys: Record<string, unknown> }[] };
    const auditorSlot = slots.slots.find((s) => s.user === 'audrey')!;
    expect(Object.keys(auditorSlot.keys)).toEqual(['audit']);
  });

  const contentChannels = Object.entries(CONTRACT).filter(([, spec]) => (spec as { content?: boolean }).content === true);

  it('the contract has content channels to refuse', () => {
    expect(contentChannels.length).toBeGreaterThan(5);
  });

  it.each(contentChannels.map(([name, spec]) => [name, spec] as const))('answers DENIED to the auditor on %s', async (name, spec) => {
    const payload = samplePayload(spec.request);
    // The payload is valid, so the refusal is the role check and not the schema.
    expect(spec.request.safeParse(payload).success).toBe(true);
    const result = await call(name, payload);
    expect(result).toMatchObject({ ok: false, error: { code: 'DENIED' } });
  });

  it('lists the artifact views with page and dwell time, filtered to the artifact', async () => {
    const page = await value<{ total: number; rows: { event: string; actor: { user: string }; detail: Record<string, unknown>; object: { id: string; name: string } }[] }>('audit.query', {
      filter: { artifactId: ARTIFACT, event: 'artifact.view' },
      offset: 0,
      limit: 100,
    });
    expect(page.total).toBe(9);
    expect(page.rows.map((r) => r.detail['action'])).toEqual(['open', 'view', 'view', 'view', 'view', 'view', 'view', 'view', 'close']);
    expect(page.rows.at(-1)).toMatchObject({ actor: { user: 'alice' }, object: { id: ARTIFACT, name: 'evals/report.pdf' }, detail: { dwellMs: 4000 } });
    const second = await value<{ total: number; rows: unknown[] }>('audit.query', { filter: { artifactId: ARTIFACT }, offset: 8, limit: 5 });
    expect(second.rows).toHaveLength(1);
  });

  it('records the failed unlock made before anyone signed in', async () => {
    const page = await value<{ rows: { outcome: string; session: string | null; actor: { role: string }; detail: Record<string, unknown> }[] }>('audit.query', {
      filter: { event: 'unlock', outcome: 'failure' },
      offset: 0,
      limit: 10,
    });
    expect(page.rows).toHaveLength(1);
    expect(page.rows[0]).toMatchObject({ actor: { role: 'anonymous' }, session: null, detail: { channel: 'session.unlock', error: 'AUTH_FAILED' } });
  });

  it("logs the reviewer's lock with its reason and session, and a lock no router call caused (idle)", async () => {
    const locks = await value<{ rows: { actor: { user: string }; outcome: string; detail: Record<string, unknown> }[] }>('audit.query', { filter: { event: 'lock', user: 'alice' }, offset: 0, limit: 10 });
    expect(locks.rows).toEqual([expect.objectContaining({ outcome: 'success', detail: expect.objectContaining({ channel: 'session.lock' }) })]);
    core.sessions.lock('idle');
    await value('session.unlock', { user: 'audrey', passphrase: AUDITOR_PASS });
    const idle = await value<{ rows: { session: string | null; detail: Record<string, unknown> }[] }>('audit.query', { filter: { event: 'lock', user: 'audrey' }, offset: 0, limit: 10 });
    expect(idle.rows).toEqual([expect.objectContaining({ session: expect.stringMatching(/^[0-9a-f]{32}$/), detail: { reason: 'idle' } })]);
  });

  it('answers who saw page 3 of the artifact in a time window, and nobody outside it', async () => {
    const from = Date.UTC(2026, 10, 24, 21, 0, 0);
    const inside = await value<{ rows: { user: string; views: number }[] }>('audit.whoSaw', { artifactId: ARTIFACT, page: 3, from, to: from + 2 * 3_600_000 });
    expect(inside.rows).toEqual([expect.objectContaining({ user: 'alice', views: 1 })]);
    const outside = await value<{ rows: unknown[] }>('audit.whoSaw', { artifactId: ARTIFACT, page: 3, from: from - 3_600_000, to: from });
    expect(outside.rows).toEqual([]);
  });

  it('flags the off-hours reading and the seven pages turned at 0.5 s each', async () => {
    const flags = await value<{ offHours: { user: string }[]; fastPaging: { user: string; pages: number; msPerPage: number }[] }>('audit.flags', { filter: {} });
    expect(flags.offHours.some((f) => f.user === 'alice')).toBe(true);
    expect(flags.fastPaging).toEqual([expect.objectContaining({ user: 'alice', artifactId: ARTIFACT, pages: 7, msPerPage: 500 })]);
    const daytime = await value<{ offHours: unknown[] }>('audit.flags', { filter: {}, hours: { startHour: 0, endHour: 24, utcOffsetMinutes: 0, weekendsOff: false } });
    expect(daytime.offHours).toEqual([]);
  });

  it('summarises per user and per artifact, per hour and dwell time', async () => {
    const summary = await value<{ perArtifact: { artifactId: string; opens: number; dwellMs: number }[]; perUser: { user: string | null }[]; perHour: { events: number }[]; dwell: { artifactId: string; buckets: number[] }[] }>(
      'audit.summary',
      { filter: {} },
    );
    // The view's time is its close's 4 s: its seven pages (0.5 s each) are within it, not added to it.
    expect(summary.perArtifact).toEqual([expect.objectContaining({ artifactId: ARTIFACT, opens: 1, dwellMs: 4000 })]);
    expect(summary.perUser.map((u) => u.user)).toEqual(expect.arrayContaining(['alice', 'audrey']));
    expect(summary.perHour.reduce((n, h) => n + h.events, 0)).toBeGreaterThan(10);
    // One view, of 2-10 s; page views are not views in the histogram.
    expect(summary.dwell).toEqual([{ artifactId: ARTIFACT, buckets: [0, 1, 0, 0, 0, 0] }]);
  });

  it('shows an intact log in the integrity banner, and the router log verifies', async () => {
    const integrity = await value<{ ok: boolean; size: number; verifiedSize: number; lastCheckpoint: { size: number } | null }>('audit.integrity', {});
    expect(integrity.ok).toBe(true);
    expect(integrity.verifiedSize).toBe(integrity.size);
    // The lock and the failed unlock each signed a checkpoint.
    expect(integrity.lastCheckpoint).not.toBeNull();
    expect(verifyAccessLog(core.sessions.require().audit).ok).toBe(true);
  });

  it('refuses the auditor channels to a reviewer except the integrity banner', async () => {
    await value('session.lock', { reason: 'manual' });
    await value('session.unlock', { user: 'alice', passphrase: PASS });
    expect(await call('audit.query', { filter: {}, offset: 0, limit: 1 })).toMatchObject({ ok: false, error: { code: 'DENIED' } });
    expect(await call('audit.whoSaw', { artifactId: ARTIFACT, from: 0, to: 1 })).toMatchObject({ ok: false, error: { code: 'DENIED' } });
    expect((await call('audit.integrity', {})).ok).toBe(true);
    await value('session.lock', { reason: 'manual' });
    await value('session.unlock', { user: 'audrey', passphrase: AUDITOR_PASS });
  });
});
