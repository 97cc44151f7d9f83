import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalize } from '../../../../src-shared/canonical-json';
import { fromUtf8, utf8 } from '../../../../src-shared/encoding';
import { randomBytes } from '../../../../src-shared/node/crypto';
import { leafHash } from '../../../../src-shared/node/merkle';
import { verifyAccessLog, verifyAccessLogSteps, type VerifyAccessLogOptions } from '../../../../src-main/audit/verify-access-log';
import { openProgressStore, progressPath, type ProgressStore } from '../../../../src-main/audit/verify-progress';
import { openEncryptedDb } from '../../../../src-main/vault/encrypted-db';
import { dropAppendOnlyTriggers, openAuditFixture, reviewer, tick, type AuditFixture } from '../../../helpers/audit-fixture';

const LEAVES = 60;
/** Ten leaves a batch, a save after every batch: an interruption after k batches leaves 10k saved. */
const SMALL: VerifyAccessLogOptions = { batch: 10, saveEveryMs: 0 };

const open: { f: AuditFixture; store: ProgressStore }[] = [];
afterEach(() => {
  for (const { f, store } of open.splice(0)) {
    store.close();
    f.close();
  }
});

function logOf(leaves = LEAVES): { f: AuditFixture; store: ProgressStore } {
  const f = openAuditFixture({ everyLeaves: 8, everyMs: Number.MAX_SAFE_INTEGER });
  for (let i = 0; i < leaves; i++) {
    f.log.append({ actor: reviewer, session: 's', event: 'artifact.view', object: { kind: 'artifact', id: `a${i % 3}` }, outcome: 'success', detail: { page: i + 1, dwellMs: 100 * i } });
    tick(f, 1000);
  }
  const store = openProgressStore(f.path, Uint8Array.from(f.key))!;
  open.push({ f, store });
  return { f, store };
}

/** A verification stopped after `batches` batches, as a closed app or an interrupted rwctl leaves it. */
function interrupt(f: AuditFixture, store: ProgressStore, batches: number): void {
  const steps = verifyAccessLogSteps(f.db, { ...SMALL, progressStore: store });
  for (let i = 0; i < batches; i++) steps.next();
  steps.return(undefined as never);
}

/** A verification run to the end, with the first leaf count it reported. */
function finish(f: AuditFixture, store: ProgressStore, options: VerifyAccessLogOptions = {}) {
  let firstDone: number | null = null;
  const report = verifyAccessLog(f.db, { ...SMALL, progressStore: store, progress: (done) => (firstDone ??= done), ...options });
  return { report, firstDone };
}

function rewriteLeaf(f: AuditFixture, seq: number): void {
  dropAppendOnlyTriggers(f.db);
  const row = f.db.prepare('SELECT leaf FROM log_leaves WHERE seq = ?').get([seq])!;
  const value = JSON.parse(fromUtf8(row['leaf'] as Uint8Array)) as Record<string, unknown>;
  value['outcome'] = 'denied';
  const bytes = utf8(canonicalize(value)) as Uint8Array<ArrayBuffer>;
  f.db.prepare('UPDATE log_leaves SET leaf = ?, leaf_hash = ?, outcome = ? WHERE seq = ?').run([bytes, leafHash(bytes) as Uint8Array<ArrayBuffer>, 'denied', seq]);
}

describe('a verification interrupted half way resumes where it stood', () => {
  it('reads only the rest, reaches the verdict a full run reaches, says what it did not read again, and leaves nothing saved', () => {
    const { f, store } = logOf();
    interrupt(f, store, 3);
    expect(store.load()!.point.range.size).toBe(30);
    expect(fs.existsSync(progressPath(f.path))).toBe(true);
    // Interrupted again once resumed: the totals saved in two runs (page turns added save by save) still add up.
    interrupt(f, store, 1);
    expect(store.load()!.point.range.size).toBe(40);
    const resumed = finish(f, store);
    expect(resumed.firstDone).toBe(50);
    const full = verifyAccessLog(f.db);
    expect(resumed.report).toMatchObject({ ok: true, root: full.root, size: full.size, checkpoints: full.checkpoints, lastCheckpoint: full.lastCheckpoint });
    expect(resumed.report.resumed).toEqual({ from: 40, verifiedAt: expect.any(Number) });
    expect(store.load()).toBeNull();
    // Nothing saved: the next request is a full one.
    expect(finish(f, store).firstDone).toBe(10);
  });

  it('the saved state is encrypted under the log key: another key cannot read it and replaces it', () => {
    const { f, store } = logOf(20);
    interrupt(f, store, 1);
    const bytes = fs.readFileSync(progressPath(f.path));
    expect(bytes.includes(Buffer.from(f.workstationId))).toBe(false);
    expect(bytes.subarray(0, 16).toString('latin1')).not.toContain('SQLite format');
    const other = openProgressStore(f.path, randomBytes(32))!;
    expect(other.load()).toBeNull();
    other.close();
  });

  it('--fresh (fresh: true) reads every leaf again and finds an edit below the point that the resumed run does not read', () => {
    const { f, store } = logOf();
    interrupt(f, store, 3);
    rewriteLeaf(f, 5);
    // The stored leaf hash was rewritten with it, and the stored nodes and aggregates say nothing about
    // leaf 5 until they are compared: the resumed run says honestly which leaves it took as verified.
    const resumed = finish(f, store);
    expect(resumed.report.resumed?.from).toBe(30);
    const fresh = finish(f, store, { fresh: true });
    expect(fresh.firstDone).toBe(10);
    expect(fresh.report.ok).toBe(false);
    expect(fresh.report.resumed).toBeUndefined();
  });
});

describe('any doubt about saved progress means a full verification', () => {
  it('a leaf edited above the saved point: found, and the verdict comes from a full run', () => {
    const { f, store } = logOf();
    interrupt(f, store, 3);
    rewriteLeaf(f, 45);
    const { report } = finish(f, store);
    expect(report.ok).toBe(false);
    expect(report.resumed).toBeUndefined();
    expect(report.problems[0]!.seq).toBeLessThanOrEqual(45);
    expect(store.load()).toBeNull();
  });

  it('a saved state whose bytes were changed does not parse: full run', () => {
    const { f, store } = logOf();
    interrupt(f, store, 3);
    const db = openEncryptedDb(progressPath(f.path), Uint8Array.from(f.key));
    db.exec("UPDATE verify_progress SET state = substr(state, 1, length(state) - 40) || zeroblob(40)");
    db.close();
    expect(store.load()).toBeNull();
    const { report, firstDone } = finish(f, store);
    expect(report.ok).toBe(true);
    expect(firstDone).toBe(10);
    expect(report.resumed).toBeUndefined();
  });

  it('a state saved for another log (another device key) is not used', () => {
    const a = logOf(30);
    const b = logOf(30);
    interrupt(a.f, a.store, 2);
    b.store.save(a.store.load()!);
    const { report, firstDone } = finish(b.f, b.store);
    expect(report.ok).toBe(true);
    expect(firstDone).toBe(10);
    expect(report.resumed).toBeUndefined();
  });

  it('a frontier the stored tree does not hold, or one beyond the log, is not used', () => {
    const { f, store } = logOf();
    interrupt(f, store, 3);
    const saved = store.load()!;
    store.save({ ...saved, point: { ...saved.point, range: { size: 30, hashes: saved.point.range.hashes.map(() => randomBytes(32)) } } });
    expect(finish(f, store).firstDone).toBe(10);
    store.save({ ...saved, point: { ...saved.point, range: { size: 64, hashes: [randomBytes(32)] } } });
    expect(finish(f, store).firstDone).toBe(10);
  });

  it('a forged root below the point fails the signed checkpoint: full run, intact', () => {
    const { f, store } = logOf();
    interrupt(f, store, 3);
    const saved = store.load()!;
    const roots = new Map([...saved.point.roots].map(([size]) => [size, randomBytes(32)]));
    expect(roots.size).toBeGreaterThan(0);
    store.save({ ...saved, point: { ...saved.point, roots } });
    const { report } = finish(f, store);
    expect(report.ok).toBe(true);
    expect(report.resumed).toBeUndefined();
  });

  it('saved totals that disagree with the tables: full run, intact; tables edited since the save: named by the full run', () => {
    const { f, store } = logOf();
    interrupt(f, store, 3);
    const saved = store.load()!;
    const tally = saved.tally!;
    for (const totals of tally.hours.values()) for (const byRole of totals.users.values()) for (const r of byRole.values()) r[0]! += 1;
    store.save({ ...saved, tally });
    const forged = finish(f, store).report;
    expect(forged).toMatchObject({ ok: true });
    expect(forged.resumed).toBeUndefined();

    interrupt(f, store, 3);
    f.db.exec('UPDATE agg_users SET events = events + 1');
    const edited = finish(f, store).report;
    expect(edited.ok).toBe(false);
    expect(edited.problems.map((p) => p.kind)).toContain('aggregate-mismatch');
    expect(edited.resumed).toBeUndefined();
  });
});
