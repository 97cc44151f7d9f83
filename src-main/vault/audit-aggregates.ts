/**
 * The SQL of the access log's per-hour aggregates (audit.db migration 5): the trigger that keeps them
 * and the queries that compute them from the leaves (the backfill, and the check a full verification
 * runs in src-main/audit/console-aggregates.ts). This text is part of a migration: changing it means a
 * new migration that rebuilds the tables (as migration 7 did for the dwell of page views).
 */
export const HOUR_MS = 3_600_000;

export const DWELL_BUCKETS = [
  { label: '<2s', max: 2_000 },
  { label: '2-10s', max: 10_000 },
  { label: '10-60s', max: 60_000 },
  { label: '1-5min', max: 300_000 },
  { label: '5-30min', max: 1_800_000 },
  { label: '>30min', max: Number.MAX_SAFE_INTEGER },
] as const;

/** The bucket index of a dwell time column (numbers only: nothing user-supplied). */
export const AGG_DWELL_BUCKET = (column: string) =>
  `CASE ${DWELL_BUCKETS.slice(0, -1)
    .map((b, i) => `WHEN ${column} < ${b.max} THEN ${i}`)
    .join(' ')} ELSE ${DWELL_BUCKETS.length - 1} END`;

/**
 * The dwell a leaf adds to a view's time (a dwell_ms column of NEW or a table alias): that of a leaf with
 * no page, which the viewers send only with a close (the whole view from open to close). A page view's dwell (a PDF's page left, how long it was in view)
 * answers per-page questions only: the pages of one view add up to its close, so counting both doubled
 * every PDF's time (audit migration 7 recomputed the totals).
 */
export const AGG_VIEW_DWELL = (row: string) => `CASE WHEN ${row}.page IS NULL THEN ${row}.dwell_ms END`;

/** The user as a key: '' for none, 'u:' + name otherwise (key columns cannot hold NULL). */
export const AGG_UKEY = (column: string) => `CASE WHEN ${column} IS NULL THEN '' ELSE 'u:' || ${column} END`;

/** 1 when a leaf row (NEW or a table alias) is an artifact open, else 0; a damaged leaf is no open. */
export const AGG_OPEN = (row: string) =>
  `coalesce(CASE WHEN ${row}.event = 'artifact.view' AND json_valid(CAST(${row}.leaf AS TEXT)) THEN json_extract(CAST(${row}.leaf AS TEXT), '$.detail.action') = 'open' END, 0)`;

/** What each aggregate table must hold, computed from the leaves (the backfill and the check). */
export const AGG_EXPECTED: readonly (readonly [table: string, select: string])[] = [
  [
    'agg_users',
    `SELECT ts / ${HOUR_MS}, ${AGG_UKEY('user')}, user, role, count(*), sum(outcome = 'denied'), min(ts), max(ts) FROM log_leaves GROUP BY ts / ${HOUR_MS}, ${AGG_UKEY('user')}, role`,
  ],
  [
    'agg_artifacts',
    `SELECT ts / ${HOUR_MS}, object_id, ${AGG_UKEY('user')}, user, count(*), coalesce(sum(${AGG_VIEW_DWELL('l')}), 0), sum(${AGG_OPEN('l')}) FROM log_leaves l WHERE object_kind = 'artifact' AND object_id IS NOT NULL GROUP BY ts / ${HOUR_MS}, object_id, ${AGG_UKEY('user')}`,
  ],
  [
    'agg_dwell',
    `SELECT ts / ${HOUR_MS}, object_id, ${AGG_DWELL_BUCKET('dwell_ms')}, count(*) FROM log_leaves WHERE event = 'artifact.view' AND dwell_ms IS NOT NULL AND page IS NULL AND object_id IS NOT NULL GROUP BY ts / ${HOUR_MS}, object_id, ${AGG_DWELL_BUCKET('dwell_ms')}`,
  ],
];

/**
 * The session a leaf belongs to for the off-hours flag: 's:' + session, or 'u:' + user for leaves
 * without one (journaled and system events), as the flag groups them.
 */
export const AGG_SKEY = (row: string) => `CASE WHEN ${row}.session IS NULL THEN 'u:' || coalesce(${row}.user, '') ELSE 's:' || ${row}.session END`;

/** A page view: the leaves the fast-paging flag reads (the condition of the log_leaves_page_views index). */
export const AGG_PAGE_VIEW = (row: string) => `${row}.event = 'artifact.view' AND ${row}.page IS NOT NULL`;

/**
 * What the flag tables (audit.db migration 6) must hold, computed from the leaves:
 * - agg_sessions: per hour and session (signed-in roles only), its first leaf, how many and the last
 *   time: the off-hours flag sums the off-hours rows instead of reading the leaves of those hours;
 * - agg_turns: every page turn (a page view whose page differs from the last turn of the same session
 *   and artifact), the turn before it and the time between: the fast-paging flag reads only the turns
 *   faster than its rule, through the (gap) index, whatever rule the auditor picks;
 * - agg_turn_heads: the last turn per session and artifact, which the trigger needs for the next one.
 * Page views are keyed by session ('' for none) and object id ('' for none), in log (seq) order.
 */
export const FLAG_AGG_EXPECTED: readonly (readonly [table: string, select: string])[] = [
  [
    'agg_sessions',
    `SELECT ts / ${HOUR_MS}, ${AGG_SKEY('l')}, min(seq), count(*), max(ts) FROM log_leaves l WHERE role IN ('reviewer', 'auditor') GROUP BY ts / ${HOUR_MS}, ${AGG_SKEY('l')}`,
  ],
  [
    'agg_turns',
    `SELECT seq, lag(seq) OVER w, ts - lag(ts) OVER w FROM (SELECT seq, ts, s, o FROM (SELECT seq, ts, page, coalesce(session, '') AS s, coalesce(object_id, '') AS o, lag(page) OVER (PARTITION BY coalesce(session, ''), coalesce(object_id, '') ORDER BY seq) AS before FROM log_leaves l WHERE ${AGG_PAGE_VIEW('l')}) WHERE before IS NULL OR before != page) WINDOW w AS (PARTITION BY s, o ORDER BY seq)`,
  ],
  [
    'agg_turn_heads',
    `SELECT s, o, seq, ts, page FROM (SELECT s, o, seq, ts, page, row_number() OVER (PARTITION BY s, o ORDER BY seq DESC) AS r FROM (SELECT seq, ts, page, s, o FROM (SELECT seq, ts, page, coalesce(session, '') AS s, coalesce(object_id, '') AS o, lag(page) OVER (PARTITION BY coalesce(session, ''), coalesce(object_id, '') ORDER BY seq) AS before FROM log_leaves l WHERE ${AGG_PAGE_VIEW('l')}) WHERE before IS NULL OR before != page)) WHERE r = 1`,
  ],
];

/** Every aggregate table and what it must hold (the check, the bench's bulk writer, test attackers). */
export const ALL_AGG_EXPECTED: readonly (readonly [table: string, select: string])[] = [...AGG_EXPECTED, ...FLAG_AGG_EXPECTED];
