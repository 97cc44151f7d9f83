import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '@signalapp/sqlcipher';
import type { AccessLogEntry } from '../../../src-main/audit/access-log';
import { verifyAccessLog } from '../../../src-main/audit/verify-access-log';
import { seedAccessLog } from '../../../bench/audit-seed';
import { openAuditFixture, type AuditFixture } from '../../helpers/audit-fixture';

const fixtures: AuditFixture[] = [];
afterEach(() => fixtures.splice(0).forEach((f) => f.close()));

function entry(i: number): AccessLogEntry {
  if (i % 97 === 5) return { actor: { user: 'mallory', role: 'anonymous' }, event: 'unlock', outcome: 'failure' };
  return {
    actor: { user: `reviewer-${i % 3}`, role: 'reviewer' },
    session: `s${i % 4}`,
    event: 'artifact.view',
    object: { kind: 'artifact', id: `art-${i % 7}`, name: 'evals/report.pdf', digest: null },
    outcome: i % 31 === 0 ? 'denied' : 'success',
    detail: { action: i % 10 === 0 ? 'open' : 'view', page: (i % 40) + 1, dwellMs: 500 + ((i * 7919) % 400_000) },
  };
}

const rows = (db: Database, sql: string) => db.prepare(sql).all();

describe('seedAccessLog (the audit bench bulk writer)', () => {
  it('writes exactly the rows appendMany writes for the same entries, and the log verifies', () => {
    const n = 260;
    const byAppend = openAuditFixture();
    const bySeed = openAuditFixture();
    fixtures.push(byAppend, bySeed);
    for (const f of [byAppend, bySeed]) {
      // Both clocks advance per leaf as the real log reads them: 40 s apart, so the log spans hours.
      const clock = () => (f.clock.wall += 40_000);
      if (f === byAppend) {
        const log = f.log;
        for (let i = 0; i < n; i += 65) {
          log.appendMany(
            Array.from({ length: 65 }, (_, j) => ({ ...entry(i + j), at: { ts: clock(), mono: (f.clock.mono += 40_000) } })),
          );
        }
      } else {
        seedAccessLog(f.db, n, entry, { app: 'rw-test/0', clock, monotonic: () => (f.clock.mono += 40_000), batch: 100 });
      }
    }
    for (const sql of [
      'SELECT * FROM log_leaves ORDER BY seq',
      'SELECT * FROM log_nodes ORDER BY level, idx',
      'SELECT size, compact, last_ts, checkpoint_size, checkpoint_ts FROM log_state',
      'SELECT id, size, ts, reason FROM log_checkpoints ORDER BY id',
      'SELECT * FROM agg_users ORDER BY 1, 2, 4',
      'SELECT * FROM agg_artifacts ORDER BY 1, 2, 3',
      'SELECT * FROM agg_dwell ORDER BY 1, 2, 3',
      "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    ]) {
      expect(rows(bySeed.db, sql), sql).toEqual(rows(byAppend.db, sql));
    }
    expect(rows(bySeed.db, 'SELECT count(*) AS n FROM log_checkpoints')[0]!['n']).toBeGreaterThan(4);
    expect(verifyAccessLog(bySeed.db).problems).toEqual([]);
    // The trigger is back: a leaf appended afterwards still updates the aggregates in its transaction.
    bySeed.log.append({ ...entry(1), at: { ts: bySeed.clock.wall + 1, mono: bySeed.clock.mono + 1 } });
    expect(verifyAccessLog(bySeed.db).ok).toBe(true);
  });

  it('refuses a log that is not empty, leaving it as it was', () => {
    const f = openAuditFixture();
    fixtures.push(f);
    f.log.append(entry(1));
    expect(() => seedAccessLog(f.db, 10, entry, { app: 'x', clock: () => f.clock.wall, monotonic: () => 0 })).toThrow(/empty log/);
    expect(rows(f.db, 'SELECT count(*) AS n FROM log_leaves')[0]!['n']).toBe(1);
  });
});
