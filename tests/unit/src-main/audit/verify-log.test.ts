import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signCheckpoint } from '../../../../src-shared/node/checkpoint';
import { canonicalize } from '../../../../src-shared/canonical-json';
import { ed25519PublicFromSeed, randomBytes } from '../../../../src-shared/node/crypto';
import { fromUtf8, utf8 } from '../../../../src-shared/encoding';
import { leafHash } from '../../../../src-shared/node/merkle';
import { ed25519NoteSigner } from '../../../../src-shared/node/signed-note';
import { logOrigin, openAccessLog } from '../../../../src-main/audit/access-log';
import { AUDIT_MIGRATIONS } from '../../../../src-main/vault/audit-db-schema';
import { checkAggregates } from '../../../../src-main/audit/console-aggregates';
import { openEncryptedDb } from '../../../../src-main/vault/encrypted-db';
import { runMigrations } from '../../../../src-main/vault/migrations';
import { verifyLogFrom, type LogSource } from '../../../../src-main/audit/verify-log';
import { databaseLogSource, verifyAccessLog, verifyAccessLogFrom, verifyAccessLogInTurns } from '../../../../src-main/audit/verify-access-log';
import { openAuditFixture, reviewer, tick, type AuditFixture } from '../../../helpers/audit-fixture';

let f: AuditFixture;
afterEach(() => f?.close());

function fill(n: number): void {
  for (let i = 0; i < n; i++) {
    f.log.append({ actor: reviewer, session: 's', event: 'artifact.view', object: { kind: 'artifact', id: 'a1' }, outcome: 'success', detail: { page: i + 1, dwellMs: 100 } });
    tick(f, 1000);
  }
}

function unlockTriggers(): void {
  for (const t of ['log_leaves_no_update', 'log_nodes_no_update', 'log_checkpoints_no_delete']) f.db.exec(`DROP TRIGGER ${t}`);
}

function rewrite(seq: number, mutate: (leaf: Record<string, unknown>) => void): void {
  const row = f.db.prepare('SELECT leaf FROM log_leaves WHERE seq = ?').get([seq])!;
  const value = JSON.parse(fromUtf8(row['leaf'] as Uint8Array)) as Record<string, unknown>;
  mutate(value);
  const bytes = utf8(canonicalize(value)) as Uint8Array<ArrayBuffer>;
  f.db.prepare('UPDATE log_leaves SET leaf = ?, leaf_hash = ? WHERE seq = ?').run([bytes, leafHash(bytes) as Uint8Array<ArrayBuffer>, seq]);
}

describe('verifyAccessLog finds each kind of damage', () => {
  it('a timestamp earlier than its predecessor without a clock jump', () => {
    f = openAuditFixture();
    fill(6);
    unlockTriggers();
    rewrite(4, (leaf) => (leaf['ts'] = (leaf['ts'] as number) - 3_600_000));
    expect(verifyAccessLog(f.db).problems[0]).toMatchObject({ seq: 4, kind: 'time-reversed' });
  });

  it('an indexed column that no longer matches its leaf (queries would lie)', () => {
    f = openAuditFixture();
    fill(6);
    unlockTriggers();
    f.db.exec("UPDATE log_leaves SET user = 'bob' WHERE seq = 2");
    expect(verifyAccessLog(f.db).problems[0]).toMatchObject({ seq: 2, kind: 'index-mismatch' });
  });

  it('a leaf naming another workstation', () => {
    f = openAuditFixture();
    fill(3);
    unlockTriggers();
    rewrite(1, (leaf) => (leaf['device'] = 'elsewhere'));
    expect(verifyAccessLog(f.db).problems.map((p) => p.kind)).toContain('foreign-leaf');
  });

  it('a damaged stored node that would serve wrong proofs', () => {
    f = openAuditFixture({ everyLeaves: 4, everyMs: Number.MAX_SAFE_INTEGER });
    fill(12);
    unlockTriggers();
    f.db.exec('UPDATE log_nodes SET hash = zeroblob(32) WHERE level = 1 AND idx = 2');
    const report = verifyAccessLog(f.db);
    expect(report.ok).toBe(false);
    expect(report.problems[0]!.kind).toBe('nodes-damaged');
  });

  it('a stored checkpoint signed by another key', () => {
    f = openAuditFixture();
    fill(3);
    const forged = signCheckpoint({ origin: logOrigin(f.workstationId), size: 3, rootHash: f.log.root(), extensions: [] }, [ed25519NoteSigner(logOrigin(f.workstationId), randomBytes(32))]);
    f.db.prepare("INSERT INTO log_checkpoints(size, ts, reason, note) VALUES (3, 0, 'x', ?)").run([forged]);
    expect(verifyAccessLog(f.db).problems[0]).toMatchObject({ seq: 3, kind: 'checkpoint-signature' });
  });

  it('an external checkpoint from another device key, and an unreadable one', () => {
    f = openAuditFixture();
    fill(3);
    const other = signCheckpoint({ origin: logOrigin(f.workstationId), size: 2, rootHash: f.log.rootAt(2), extensions: [] }, [ed25519NoteSigner(logOrigin(f.workstationId), randomBytes(32))]);
    const report = verifyAccessLog(f.db, { externalCheckpoints: [{ label: 'other.cp', note: other }, { label: 'junk.cp', note: 'not a note' }] });
    expect(report.problems.map((p) => p.kind)).toEqual(['external-signature', 'external-signature']);
    expect(report.external).toEqual([
      { label: 'other.cp', size: null, ok: false },
      { label: 'junk.cp', size: null, ok: false },
    ]);
  });

  it('a pinned device key that is not the one in the store', () => {
    f = openAuditFixture();
    fill(3);
    f.log.checkpoint('test');
    expect(verifyAccessLog(f.db, { devicePublicKey: randomBytes(32) }).problems[0]!.kind).toBe('checkpoint-signature');
  });

  it('a log extending an external checkpoint passes, with the consistency proof from stored nodes', () => {
    f = openAuditFixture();
    fill(5);
    const cp = f.log.checkpoint('export');
    fill(20);
    const report = verifyAccessLog(f.db, { externalCheckpoints: [{ label: 'cp', note: cp.note }] });
    expect(report).toMatchObject({ ok: true, external: [{ label: 'cp', size: 5, ok: true }] });
  });

  it('allows an earlier timestamp on a leaf that records the clock jump', () => {
    f = openAuditFixture();
    fill(6);
    unlockTriggers();
    rewrite(4, (leaf) => {
      leaf['ts'] = (leaf['ts'] as number) - 3_600_000;
      leaf['event'] = 'clock.jump';
    });
    const kinds = verifyAccessLog(f.db).problems.map((p) => p.kind);
    expect(kinds).not.toContain('time-reversed');
    // The indexed columns still hold the old ts and event: that, not the time order, is what is wrong.
    expect(kinds).toContain('index-mismatch');
  });

  it('with leafContents off still pins swapped leaves, reversed time and a leaf cut short, but not contents', () => {
    f = openAuditFixture();
    fill(8);
    unlockTriggers();
    rewrite(1, (leaf) => (leaf['device'] = 'elsewhere'));
    rewrite(3, (leaf) => (leaf['seq'] = 5));
    rewrite(6, (leaf) => (leaf['ts'] = 0));
    const cut = f.db.prepare('SELECT leaf FROM log_leaves WHERE seq = 7').get()!['leaf'] as Uint8Array;
    const short = cut.slice(0, -1);
    f.db.prepare('UPDATE log_leaves SET leaf = ?, leaf_hash = ? WHERE seq = 7').run([short, leafHash(short) as Uint8Array<ArrayBuffer>]);
    const fast = verifyAccessLog(f.db, { leafContents: false }).problems.filter((p) => p.kind !== 'checkpoint-mismatch');
    // Without the columns, the console's totals are recomputed from the leaf bytes: leaf 6's rewritten
    // time no longer falls in the hour the totals counted it in when it was appended.
    expect(fast.map((p) => [p.seq, p.kind])).toEqual([
      [3, 'seq-mismatch'],
      [6, 'time-reversed'],
      [7, 'malformed-leaf'],
      [0, 'aggregate-mismatch'],
    ]);
    const full = verifyAccessLog(f.db).problems.filter((p) => p.kind !== 'checkpoint-mismatch');
    expect(full.map((p) => [p.seq, p.kind])).toEqual([
      [1, 'foreign-leaf'],
      [3, 'seq-mismatch'],
      [6, 'time-reversed'],
      [6, 'index-mismatch'],
      [7, 'malformed-leaf'],
    ]);
    expect(full.find((p) => p.seq === 7)!.message).toMatch(/not UTF-8 JSON/);
  });
});

/** The database source, counting the leaves it hands out. */
function countingSource(): { source: LogSource; read: () => number } {
  const inner = databaseLogSource(f.db);
  let read = 0;
  return {
    source: {
      ...inner,
      *leafBatches(options) {
        for (const batch of inner.leafBatches(options)) {
          read += batch.length;
          yield batch;
        }
      },
    },
    read: () => read,
  };
}


describe('resumed verification (the console re-checks only what was appended)', () => {
  it('reads only the new leaves and answers exactly as a full verification would', () => {
    f = openAuditFixture({ everyLeaves: 4, everyMs: Number.MAX_SAFE_INTEGER });
    fill(10);
    const first = verifyAccessLogFrom(f.db);
    expect(first.report.ok).toBe(true);
    fill(7);
    f.log.checkpoint('lock');
    const counted = countingSource();
    const resumed = verifyLogFrom(counted.source, {}, first.state!);
    expect(counted.read()).toBe(7);
    const { root, size, checkpoints, lastCheckpoint, ok } = verifyAccessLog(f.db);
    expect(resumed.report).toMatchObject({ ok, root, size, checkpoints, lastCheckpoint });
    expect(resumed.state!.range.size).toBe(17);
  });

  it('pins damage in the appended part by its sequence number', () => {
    f = openAuditFixture();
    fill(6);
    const first = verifyAccessLogFrom(f.db);
    fill(4);
    unlockTriggers();
    rewrite(8, (leaf) => (leaf['seq'] = 3));
    const resumed = verifyAccessLogFrom(f.db, {}, first.state!);
    expect(resumed.report.problems[0]).toMatchObject({ seq: 8, kind: 'seq-mismatch' });
    expect(resumed.state).toBeNull();
  });

  it('checks every external checkpoint again, and a fork below the resumed size is found', () => {
    f = openAuditFixture();
    fill(5);
    const first = verifyAccessLogFrom(f.db);
    fill(3);
    // The device key re-signs a different history of 5 leaves: the log no longer extends that checkpoint.
    const seed = f.db.prepare('SELECT private_key FROM device_keys').get()!['private_key'] as Uint8Array;
    const forged = signCheckpoint({ origin: logOrigin(f.workstationId), size: 5, rootHash: randomBytes(32), extensions: [] }, [ed25519NoteSigner(logOrigin(f.workstationId), seed)]);
    const resumed = verifyAccessLogFrom(f.db, { externalCheckpoints: [{ label: 'forked.cp', note: forged }] }, first.state!);
    expect(resumed.report.problems.map((p) => [p.seq, p.kind])).toEqual([[0, 'fork']]);
  });

  it('starts over when the resume state was made with another device key', () => {
    f = openAuditFixture();
    fill(3);
    f.log.checkpoint('test');
    const first = verifyAccessLogFrom(f.db);
    const counted = countingSource();
    const report = verifyLogFrom(counted.source, { devicePublicKey: randomBytes(32) }, first.state!).report;
    expect(counted.read()).toBe(3);
    expect(report.problems[0]!.kind).toBe('checkpoint-signature');
  });
});

describe('verifyAccessLogInTurns', () => {
  it('lets other work run between batches of leaves and answers as the one-go verification does', async () => {
    f = openAuditFixture({ everyLeaves: 1000, everyMs: Number.MAX_SAFE_INTEGER });
    const entry = { actor: reviewer, session: 's', event: 'artifact.view', object: { kind: 'artifact', id: 'a1' }, outcome: 'success' as const, detail: {} };
    // More than two batches of 10 000 leaves.
    for (let i = 0; i < 25_000; i += 5000) f.log.appendMany(Array.from({ length: 5000 }, () => entry));
    let turns = 0;
    const timer = setInterval(() => turns++, 0);
    const inTurns = await verifyAccessLogInTurns(f.db);
    clearInterval(timer);
    expect(turns).toBeGreaterThan(0);
    expect(inTurns.report).toEqual(verifyAccessLog(f.db));
    expect(inTurns.report).toMatchObject({ ok: true, size: 25_000 });
  });

  it('covers the log as it stood when it began while the app appends, and the next check resumes there', async () => {
    f = openAuditFixture({ everyLeaves: 1000, everyMs: Number.MAX_SAFE_INTEGER });
    const entry = { actor: reviewer, session: 's', event: 'artifact.view', object: { kind: 'artifact', id: 'a1' }, outcome: 'success' as const, detail: {} };
    f.log.appendMany(Array.from({ length: 25_000 }, () => entry));
    let settled = false;
    const running = verifyAccessLogInTurns(f.db).finally(() => (settled = true));
    // The app goes on: leaves and a checkpoint arrive between the check's turns. The append records
    // whether the check was still running then, so a check that finished in one turn (and never met a
    // concurrent append) cannot pass this test.
    let appendedWhileRunning: boolean | undefined;
    setImmediate(() => {
      appendedWhileRunning = !settled;
      f.log.appendMany(Array.from({ length: 1500 }, () => entry));
      f.log.checkpoint('lock');
    });
    const first = await running;
    expect(appendedWhileRunning).toBe(true);
    expect(f.db.prepare('SELECT size FROM log_state WHERE id = 1').get()?.['size']).toBe(26_500);
    expect(first.report).toMatchObject({ ok: true, size: 25_000 });
    const counted = countingSource();
    const next = verifyLogFrom(counted.source, {}, first.state!);
    expect(counted.read()).toBe(1500);
    expect(next.report).toMatchObject({ ok: true, size: 26_500, checkpoints: f.log.checkpoints().length });
  });
});


describe('console aggregates under verification', () => {
  it('a full verification recomputes the aggregates and names a table that disagrees with the leaves', () => {
    f = openAuditFixture();
    {
      for (let i = 0; i < 20; i++) f.log.append({ actor: reviewer, session: 's', event: 'artifact.view', object: { kind: 'artifact', id: 'a1' }, outcome: 'success', detail: { action: 'view', page: 1, dwellMs: 3000 } });
      expect(verifyAccessLog(f.db).ok).toBe(true);
      expect(checkAggregates(f.db)).toEqual([]);
      // Someone with the key lowers a user's count to hide activity from the console.
      f.db.exec('UPDATE agg_users SET events = events - 5');
      const report = verifyAccessLog(f.db);
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual([expect.objectContaining({ kind: 'aggregate-mismatch', message: expect.stringContaining('agg_users') })]);
    }
  });

  /** An audit.db migrated to just below `version` (a device key, a workstation id), to test that migration. */
  function auditDbBefore(version: number) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-agg-'));
    const db = openEncryptedDb(path.join(dir, 'audit.db'), randomBytes(32), { create: true });
    runMigrations(db, AUDIT_MIGRATIONS.filter((m) => m.version < version), () => 1);
    const seed = randomBytes(32);
    db.prepare('INSERT INTO device_keys(private_key, public_key, created_at) VALUES (?, ?, ?)').run([Buffer.from(seed), Buffer.from(ed25519PublicFromSeed(seed)), 1]);
    db.prepare("INSERT INTO vault_meta(key, value) VALUES ('workstation_id', 'ws0123456789abcdef')").run();
    let t = Date.UTC(2026, 10, 24, 9);
    return {
      db,
      openLog: () => openAccessLog(db, { app: 'rw-test/0', clock: () => (t += 400_000), monotonic: () => t }),
      close() {
        db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  it('a log written before the aggregates existed is backfilled by the migration and agrees', () => {
    f = openAuditFixture();
    const older = auditDbBefore(5);
    const db = older.db;
    try {
      const log = older.openLog();
      for (let i = 0; i < 30; i++) log.append({ actor: i % 3 ? reviewer : { user: null, role: 'system' }, session: null, event: 'artifact.view', object: { kind: 'artifact', id: `a${i % 4}` }, outcome: i % 7 ? 'success' : 'denied', detail: { action: i % 5 ? 'view' : 'open', dwellMs: i * 1000 } });
      log.close();
      runMigrations(db, AUDIT_MIGRATIONS, () => 2);
      expect(Number(db.prepare('SELECT sum(events) AS n FROM agg_users').get()?.['n'])).toBe(30);
      expect(checkAggregates(db)).toEqual([]);
    } finally {
      older.close();
    }
  });

  it('a log whose totals counted page views as well as closes is counted again by migration 7 and agrees', () => {
    f = openAuditFixture();
    const older = auditDbBefore(7);
    const db = older.db;
    try {
      const log = older.openLog();
      // One PDF view: three pages in view 10, 20 and 30 s, then its close with the whole 60 s.
      const view = (detail: Record<string, string | number>) => log.append({ actor: reviewer, session: 's', event: 'artifact.view', object: { kind: 'artifact', id: 'pdf' }, outcome: 'success', detail });
      view({ action: 'open' });
      for (const [page, dwellMs] of [[1, 10_000], [2, 20_000], [3, 30_000]] as const) view({ action: 'view', page, dwellMs });
      view({ action: 'close', dwellMs: 60_000 });
      log.close();
      const dwell = () => Number(db.prepare("SELECT sum(dwell) AS n FROM agg_artifacts WHERE object_id = 'pdf'").get()?.['n']);
      const buckets = () => db.prepare("SELECT bucket, sum(n) AS n FROM agg_dwell WHERE object_id = 'pdf' GROUP BY bucket ORDER BY bucket").all().map((r) => [Number(r['bucket']), Number(r['n'])]);
      expect(dwell()).toBe(120_000);
      runMigrations(db, AUDIT_MIGRATIONS, () => 2);
      expect(dwell()).toBe(60_000);
      // One view of 1-5 min (bucket 3), not four views.
      expect(buckets()).toEqual([[3, 1]]);
      expect(checkAggregates(db)).toEqual([]);
      // And the trigger made again keeps counting so.
      const more = older.openLog();
      more.append({ actor: reviewer, session: 's', event: 'artifact.view', object: { kind: 'artifact', id: 'pdf' }, outcome: 'success', detail: { action: 'view', page: 4, dwellMs: 5000 } });
      more.append({ actor: reviewer, session: 's', event: 'artifact.view', object: { kind: 'artifact', id: 'pdf' }, outcome: 'success', detail: { action: 'close', dwellMs: 5000 } });
      more.close();
      expect(dwell()).toBe(65_000);
      expect(buckets()).toEqual([[1, 1], [3, 1]]);
      expect(checkAggregates(db)).toEqual([]);
    } finally {
      older.close();
    }
  });

  it('the flag tables, kept on append, agree with the leaves by either count (the SQL backfill and the verifier) on a varied log', () => {
    f = openAuditFixture();
    const users = ['alice', 'bob', null] as const;
    for (let i = 0; i < 60; i++) {
      const user = users[i % 3]!;
      f.log.append({
        actor: user === null ? { user: null, role: 'system' } : { user, role: i % 7 ? 'reviewer' : 'auditor' },
        session: i % 5 === 0 ? null : `s${i % 4}`,
        event: i % 6 ? 'artifact.view' : 'artifact.close',
        object: i % 11 ? { kind: 'artifact', id: `a${i % 3}`, name: null, digest: null } : null,
        outcome: i % 13 ? 'success' : 'denied',
        // Repeated pages (not turns), pages as strings (no page), opens, no dwell.
        detail: { action: i % 9 ? 'view' : 'open', ...(i % 8 ? { page: i % 10 < 3 ? 1 : (i % 7) + 1 } : { page: 'x' }), ...(i % 4 ? { dwellMs: (i * 997) % 70_000 } : {}) },
      });
      tick(f, [200, 900, 2500, 1_800_000][i % 4]!);
    }
    expect(Number(f.db.prepare('SELECT count(*) AS n FROM agg_turns').get()?.['n'])).toBeGreaterThan(10);
    expect(checkAggregates(f.db)).toEqual([]);
    expect(verifyAccessLog(f.db).ok).toBe(true);
    expect(verifyAccessLog(f.db, { leafContents: false }).ok).toBe(true);
  });

  it('the totals counted on a second thread give the same answers as those counted in-thread, intact, edited or over an unreadable leaf', () => {
    f = openAuditFixture();
    for (let i = 0; i < 40; i++) {
      const name = i % 6 === 0 ? 'report "final".pdf' : 'report.pdf'; // an escaped string: parsed, not scanned
      f.log.append({ actor: i % 4 ? reviewer : { user: null, role: 'system' }, session: i % 5 ? 's' : null, event: 'artifact.view', object: { kind: 'artifact', id: `a${i % 3}`, name, digest: null }, outcome: 'success', detail: { action: i % 7 ? 'view' : 'open', page: (i % 9) + 1, dwellMs: i * 700 } });
      tick(f, [300, 2500, 900_000][i % 3]!);
    }
    const both = () => [1e9, 0].map((parallelTallyFrom) => verifyAccessLog(f.db, { leafContents: false, parallelTallyFrom }));
    const [here, there] = both();
    expect(there).toEqual(here);
    expect(there!.ok).toBe(true);
    f.db.exec("UPDATE agg_artifacts SET opens = opens + 1 WHERE object_id = 'a1'");
    const [editedHere, editedThere] = both();
    expect(editedThere!.problems).toEqual([expect.objectContaining({ kind: 'aggregate-mismatch', message: expect.stringContaining('agg_artifacts') })]);
    expect(editedThere).toEqual(editedHere);
    // A leaf neither scanned nor parsed: the second thread says so and the count is made again here.
    unlockTriggers();
    const cut = f.db.prepare('SELECT leaf FROM log_leaves WHERE seq = 12').get()!['leaf'] as Uint8Array;
    const short = cut.slice(0, -1);
    f.db.prepare('UPDATE log_leaves SET leaf = ?, leaf_hash = ? WHERE seq = 12').run([short, leafHash(short) as Uint8Array<ArrayBuffer>]);
    const [damagedHere, damagedThere] = both();
    expect(damagedThere!.problems.map((p) => p.kind)).toContain('malformed-leaf');
    expect(damagedThere).toEqual(damagedHere);
  });

  it('stored checkpoints opened on the second thread give the same report as opened here, intact, forged or resized', () => {
    f = openAuditFixture({ everyLeaves: 4, everyMs: Number.MAX_SAFE_INTEGER });
    fill(16);
    const both = () => [1e9, 0].map((parallelTallyFrom) => verifyAccessLog(f.db, { leafContents: false, parallelTallyFrom }));
    const [here, there] = both();
    expect(there).toEqual(here);
    expect(there).toMatchObject({ ok: true, checkpoints: 4 });
    // A note signed by another key: the thread says it did not open, and the run is made again here.
    const forged = signCheckpoint({ origin: logOrigin(f.workstationId), size: 8, rootHash: f.log.rootAt(8), extensions: [] }, [ed25519NoteSigner(logOrigin(f.workstationId), randomBytes(32))]);
    f.db.prepare("INSERT INTO log_checkpoints(size, ts, reason, note) VALUES (8, 0, 'x', ?)").run([forged]);
    const [forgedHere, forgedThere] = both();
    expect(forgedThere!.problems).toEqual([expect.objectContaining({ seq: 8, kind: 'checkpoint-signature' })]);
    expect(forgedThere).toEqual(forgedHere);
    // A genuine note whose stored size was changed: its root was not kept at the note's size on the pass.
    unlockTriggers();
    f.db.exec("DELETE FROM log_checkpoints WHERE reason = 'x'; DROP TRIGGER log_checkpoints_no_update");
    f.db.exec('UPDATE log_checkpoints SET size = size - 1 WHERE id = (SELECT min(id) FROM log_checkpoints WHERE size = 8)');
    const [resizedHere, resizedThere] = both();
    expect(resizedThere!.problems.map((p) => p.kind)).toContain('checkpoint-mismatch');
    expect(resizedThere).toEqual(resizedHere);
  });

  it.each([
    ['agg_turns', 'UPDATE agg_turns SET gap = gap + 60000 WHERE gap IS NOT NULL'],
    ['agg_turns', 'DELETE FROM agg_turns WHERE seq = (SELECT max(seq) FROM agg_turns)'],
    ['agg_sessions', 'UPDATE agg_sessions SET n = n - 1'],
    ['agg_turn_heads', 'UPDATE agg_turn_heads SET page = page + 1'],
  ])('edited flag totals (%s) are named by a full verification, with or without leaf contents', (table, edit) => {
    f = openAuditFixture();
    for (let i = 0; i < 30; i++) {
      f.log.append({ actor: reviewer, session: 's', event: 'artifact.view', object: { kind: 'artifact', id: 'a1' }, outcome: 'success', detail: { action: 'view', page: i + 1 } });
      tick(f, 500);
    }
    expect(verifyAccessLog(f.db).ok).toBe(true);
    // Someone with the key slows the pages down to hide a fast read (or hides a session's hours).
    f.db.exec(edit);
    for (const leafContents of [true, false]) {
      const report = verifyAccessLog(f.db, { leafContents });
      expect(report.problems).toEqual([expect.objectContaining({ kind: 'aggregate-mismatch', message: expect.stringContaining(table) })]);
    }
  });
});
