/**
 * Per-hour aggregates of the access log for the auditor console (audit.db migration 5): the summaries
 * and the timeline sum a few thousand aggregate rows instead of grouping a million leaves.
 *
 * The SQL lives with the schema (src-main/vault/audit-aggregates.ts). A full verification recomputes every aggregate from the
 * leaves' indexed columns (which it checks against the leaves themselves) and reports any difference,
 * so a console answer from the aggregates is as good as the integrity banner says.
 */
import type { Database } from '@signalapp/sqlcipher';
import { ALL_AGG_EXPECTED, DWELL_BUCKETS, HOUR_MS } from '../vault/audit-aggregates';

const COLUMNS: Record<string, string> = {
  agg_users: 'hour, ukey, user, role, events, denied, first, last',
  agg_artifacts: 'hour, object_id, ukey, user, events, dwell, opens',
  agg_dwell: 'hour, object_id, bucket, n',
  agg_sessions: 'hour, skey, first, n, last_ts',
  agg_turns: 'seq, prev, gap',
  agg_turn_heads: 'skey, okey, seq, ts, page',
};

/** Whether the aggregates exist in this audit.db (a bundle's or an old copy's may predate them). */
export function hasAggregates(db: Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'agg_users'").get() !== undefined;
}

/**
 * The aggregate tables that differ from the leaves, with how many rows differ; empty when they agree.
 * One statement per table, so each comparison sees one consistent state of the log.
 */
export function checkAggregates(db: Database): { table: string; rows: number }[] {
  if (!hasAggregates(db)) return [];
  const out: { table: string; rows: number }[] = [];
  for (const [table, expected] of ALL_AGG_EXPECTED) {
    const columns = COLUMNS[table]!;
    const row = db
      .prepare(`WITH e AS MATERIALIZED (${expected}) SELECT (SELECT count(*) FROM (SELECT ${columns} FROM ${table} EXCEPT SELECT * FROM e)) + (SELECT count(*) FROM (SELECT * FROM e EXCEPT SELECT ${columns} FROM ${table})) AS n`)
      .get();
    const n = Number(row?.['n'] ?? 0);
    if (n > 0) out.push({ table, rows: n });
  }
  return out;
}

export interface AggregateSummary {
  perUser: { user: string | null; role: string; events: number; denied: number; first: number; last: number }[];
  perArtifact: { artifactId: string; events: number; users: number; opens: number; dwellMs: number }[];
  perHour: { hour: number; events: number }[];
  dwell: { artifactId: string; buckets: number[] }[];
  dwellBuckets: string[];
}

/**
 * The console summary from the aggregates, for the whole log or whole hours [from, to); null when the
 * bounds do not fall on hours (the caller then asks the leaves).
 */
export function summaryFromAggregates(db: Database, from?: number, to?: number): AggregateSummary | null {
  if ((from !== undefined && from % HOUR_MS !== 0) || (to !== undefined && to % HOUR_MS !== 0)) return null;
  if (!hasAggregates(db)) return null;
  const clauses: string[] = [];
  const params: number[] = [];
  if (from !== undefined) {
    clauses.push('hour >= ?');
    params.push(from / HOUR_MS);
  }
  if (to !== undefined) {
    clauses.push('hour < ?');
    params.push(to / HOUR_MS);
  }
  const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
  const perUser = db
    .prepare(`SELECT user, role, sum(events) AS n, sum(denied) AS denied, min(first) AS first, max(last) AS last FROM agg_users ${where} GROUP BY ukey, role ORDER BY n DESC, ukey, role`)
    .all(params)
    .map((r) => ({ user: r['user'] === null ? null : String(r['user']), role: String(r['role']), events: Number(r['n']), denied: Number(r['denied']), first: Number(r['first']), last: Number(r['last']) }));
  const perArtifact = db
    .prepare(`SELECT object_id, sum(events) AS n, count(DISTINCT user) AS users, sum(opens) AS opens, sum(dwell) AS dwell FROM agg_artifacts ${where} GROUP BY object_id ORDER BY n DESC, object_id`)
    .all(params)
    .map((r) => ({ artifactId: String(r['object_id']), events: Number(r['n']), users: Number(r['users']), opens: Number(r['opens']), dwellMs: Number(r['dwell']) }));
  const perHour = db
    .prepare(`SELECT hour, sum(events) AS n FROM agg_users ${where} GROUP BY hour ORDER BY hour`)
    .all(params)
    .map((r) => ({ hour: Number(r['hour']) * HOUR_MS, events: Number(r['n']) }));
  return { perUser, perArtifact, perHour, ...dwellSummary(db.prepare(`SELECT object_id, bucket, sum(n) AS n FROM agg_dwell ${where} GROUP BY object_id, bucket`).all(params)) };
}

/** Rows of (object_id, bucket, n) as the summary's dwell histogram per artifact, from the aggregates or the leaves. */
export function dwellSummary(rows: readonly Record<string, unknown>[]): { dwell: { artifactId: string; buckets: number[] }[]; dwellBuckets: string[] } {
  const dwellMap = new Map<string, number[]>();
  for (const r of rows) {
    const id = String(r['object_id']);
    const buckets = dwellMap.get(id) ?? DWELL_BUCKETS.map(() => 0);
    buckets[Number(r['bucket'])]! += Number(r['n']);
    dwellMap.set(id, buckets);
  }
  return { dwell: [...dwellMap].map(([artifactId, buckets]) => ({ artifactId, buckets })), dwellBuckets: DWELL_BUCKETS.map((b) => b.label) };
}
