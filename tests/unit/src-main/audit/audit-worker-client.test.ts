import { afterEach, describe, expect, it } from 'vitest';
import { RwError } from '../../../../src-shared/errors';
import { AuditQuery, DEFAULT_PACE_RULE, DEFAULT_WORKING_HOURS } from '../../../../src-main/audit/audit-query';
import { AuditWorker } from '../../../../src-main/audit/audit-worker-client';
import { verifyAccessLog } from '../../../../src-main/audit/verify-access-log';
import { openEncryptedDb } from '../../../../src-main/vault/encrypted-db';
import { openAuditFixture, reviewer, tick, type AuditFixture } from '../../../helpers/audit-fixture';

let f: AuditFixture | undefined;
const workers: AuditWorker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
  f?.close();
  f = undefined;
});

function fixtureWithLeaves(): AuditFixture {
  const fx = openAuditFixture();
  const entries = Array.from({ length: 120 }, (_, i) => ({
    actor: reviewer,
    session: `s${Math.floor(i / 40)}`,
    event: 'artifact.view',
    object: { kind: 'artifact', id: `art-${Math.floor(i / 10) % 4}`, name: `doc-${Math.floor(i / 10) % 4}.pdf` },
    outcome: 'success' as const,
    detail: { action: i % 10 === 0 ? 'open' : 'view', page: (i % 20) + 1, dwellMs: 300 + i },
    // Half past two in the morning onwards: off hours, and pages turned every 0.5 s.
    at: { ts: Date.UTC(2026, 10, 24, 2, 30) + i * 500, mono: i * 500 },
  }));
  fx.log.appendMany(entries);
  tick(fx, 1000);
  return fx;
}

function start(fx: AuditFixture, key = fx.key): AuditWorker {
  const worker = new AuditWorker({ path: fx.path, key: Uint8Array.from(key) });
  workers.push(worker);
  return worker;
}

describe('AuditWorker (the console off the main thread)', () => {
  it('answers summaries, pages, flags and integrity on its own connection as the main thread would, and refuses what is pending at close', async () => {
    f = fixtureWithLeaves();
    const handed = Uint8Array.from(f.key);
    const worker = new AuditWorker({ path: f.path, key: handed });
    workers.push(worker);
    // The caller's copy of the key is zeroed at once: only the worker's connection holds it.
    expect(handed.every((b) => b === 0)).toBe(true);
    const q = new AuditQuery(f.db);
    expect(await worker.ask({ op: 'summary', filter: {} })).toEqual(q.summary({}));
    expect(await worker.ask({ op: 'query', filter: { objectId: 'art-1' }, offset: 5, limit: 10 })).toEqual(q.query({ objectId: 'art-1' }, 5, 10));
    expect(await worker.ask({ op: 'whoSaw', artifactId: 'art-2', from: 0, to: Date.UTC(2027, 0, 1) })).toEqual(q.whoSaw('art-2', undefined, 0, Date.UTC(2027, 0, 1)));
    const flags = await worker.ask({ op: 'flags', filter: {}, hours: DEFAULT_WORKING_HOURS, pace: DEFAULT_PACE_RULE });
    expect(flags.offHours.map((o) => o.session)).toEqual(['s0', 's1', 's2']);
    expect(flags.fastPaging.length).toBeGreaterThan(0);
    expect(flags.fastPaging.map(({ artifactName: _, ...flag }) => flag)).toEqual(q.fastPaging({}));
    expect(flags.fastPaging.every((p) => p.artifactName?.startsWith('doc-'))).toBe(true);
    const ticks: [number, number][] = [];
    const integrity = await worker.ask({ op: 'integrity', now: 42 }, (done, total) => ticks.push([done, total]));
    expect(integrity).toMatchObject({ ok: true, size: 120, verifiedSize: 120, checkedAt: 42 });
    expect(integrity.root).toBe(verifyAccessLog(f.db).root);
    expect(ticks.at(-1)).toEqual([120, 120]);
    // Leaves the writer appends meanwhile are seen by the reader's next question (resumed, not redone).
    f.log.append({ actor: reviewer, event: 'search', outcome: 'success' });
    expect(await worker.ask({ op: 'integrity', now: 43 })).toMatchObject({ ok: true, size: 121 });
    // A bad question is refused with its code; at close what is pending is refused with VAULT_LOCKED.
    await expect(worker.ask({ op: 'query', filter: {}, offset: -1, limit: 10 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const pending = expect(worker.ask({ op: 'integrity', now: 1 })).rejects.toMatchObject({ code: 'VAULT_LOCKED' });
    await worker.close();
    await pending;
    await expect(worker.ask({ op: 'summary', filter: {} })).rejects.toMatchObject({ code: 'VAULT_LOCKED' });
    expect(worker.alive).toBe(false);
  });

  it('refuses, with the error code and no detail, a key that does not open the database', async () => {
    f = fixtureWithLeaves();
    const worker = start(f, new Uint8Array(32).fill(7));
    const refused = await worker.ask({ op: 'summary', filter: {} }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RwError);
    expect(refused).toMatchObject({ code: 'VAULT_DAMAGED' });
    expect(String((refused as Error).message)).not.toContain(f.path);
    expect(worker.alive).toBe(false);
  });

  it("opens its reader read-only: a write through the worker's kind of connection is refused", () => {
    f = openAuditFixture();
    const reader = openEncryptedDb(f.path, Uint8Array.from(f.key), { readOnly: true });
    try {
      expect(() => reader.exec("INSERT INTO vault_meta(key, value) VALUES ('x', 'y')")).toThrow(/readonly|read-only|query_only/i);
    } finally {
      reader.close();
    }
  });
});
