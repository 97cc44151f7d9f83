/**
 * audit.db schema (DESIGN §4): the device signing key and vault facts first; the access log appends
 * its own migrations (leaves, checkpoints) to this list. Append only, never edit a shipped migration.
 */
import { AGG_DWELL_BUCKET, AGG_EXPECTED, AGG_OPEN, AGG_PAGE_VIEW, AGG_SKEY, AGG_UKEY, AGG_VIEW_DWELL, FLAG_AGG_EXPECTED, HOUR_MS } from './audit-aggregates';
import type { Migration } from './migrations';

export const AUDIT_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'device-keys-vault-meta',
    up: `
      CREATE TABLE device_keys(id INTEGER PRIMARY KEY, private_key BLOB NOT NULL, public_key BLOB NOT NULL, created_at INTEGER NOT NULL);
      CREATE TABLE vault_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    name: 'enrollment-outbox-receipts',
    // Attestations and sync (src-main/attest): what the approval pinned (server key, signed policy, submitter keys), the
    // outbox of signed Statements awaiting transfer with their receipts, the per-key sequence counters
    // (replay protection at the server) and the checkpoints the central witness cosigned. In audit.db:
    // what leaves the machine is an audit fact, visible to auditors.
    up: `
      CREATE TABLE enrollment(id INTEGER PRIMARY KEY CHECK (id = 1), workstation_id TEXT NOT NULL, server_public_key BLOB NOT NULL, server_name TEXT NOT NULL, server_url TEXT, policy_public_key BLOB NOT NULL, policy_version INTEGER NOT NULL, policy_json TEXT NOT NULL, policy_envelope TEXT NOT NULL, submitter_keys_json TEXT NOT NULL, approval_json TEXT NOT NULL, installed_at INTEGER NOT NULL);
      CREATE TABLE outbox(id INTEGER PRIMARY KEY, envelope_sha256 TEXT NOT NULL UNIQUE, predicate_type TEXT NOT NULL, envelope_json TEXT NOT NULL, signer_public_key BLOB NOT NULL, sequence INTEGER NOT NULL, label TEXT NOT NULL, created_at INTEGER NOT NULL, state TEXT NOT NULL CHECK (state IN ('pending', 'delivered')), attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL DEFAULT 0, last_error TEXT, delivered_at INTEGER, receipt_json TEXT);
      CREATE TABLE signing_sequences(public_key BLOB PRIMARY KEY, last_sequence INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE witnessed_checkpoints(size INTEGER PRIMARY KEY, origin TEXT NOT NULL, root_hash BLOB NOT NULL, cosigned_note TEXT NOT NULL, witnessed_at INTEGER NOT NULL);
    `,
  },
  {
    version: 3,
    name: 'access-log',
    // The access log (DESIGN §5). Leaf bytes are stored exactly as hashed (RFC 8785 text); the other leaf
    // columns are copies for indexed queries and verification checks them against the leaf. log_nodes keeps
    // every interior node (level >= 1) of perfect subtrees so proofs cost O(log n) lookups; log_state holds
    // the compact range so an append costs O(log n). Triggers make leaves, nodes and checkpoints
    // append-only: a writer with the key must drop them first, and what they rewrite no longer matches
    // checkpoints that left the laptop.
    up: `
      CREATE TABLE log_leaves(
        seq INTEGER PRIMARY KEY,
        leaf BLOB NOT NULL,
        leaf_hash BLOB NOT NULL,
        ts INTEGER NOT NULL,
        event TEXT NOT NULL,
        user TEXT,
        role TEXT NOT NULL,
        session TEXT,
        object_kind TEXT,
        object_id TEXT,
        outcome TEXT NOT NULL,
        page INTEGER,
        dwell_ms INTEGER
      );
      CREATE INDEX log_leaves_ts ON log_leaves(ts);
      CREATE INDEX log_leaves_event_ts ON log_leaves(event, ts);
      CREATE INDEX log_leaves_user_ts ON log_leaves(user, ts);
      CREATE INDEX log_leaves_object_ts ON log_leaves(object_id, ts);
      CREATE TABLE log_nodes(level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY(level, idx)) WITHOUT ROWID;
      CREATE TABLE log_state(id INTEGER PRIMARY KEY CHECK (id = 1), size INTEGER NOT NULL, compact TEXT NOT NULL, last_ts INTEGER NOT NULL,
        checkpoint_size INTEGER NOT NULL, checkpoint_ts INTEGER NOT NULL);
      INSERT INTO log_state(id, size, compact, last_ts, checkpoint_size, checkpoint_ts) VALUES (1, 0, '{"size":0,"hashes":[]}', 0, 0, 0);
      CREATE TABLE log_checkpoints(id INTEGER PRIMARY KEY, size INTEGER NOT NULL, ts INTEGER NOT NULL, reason TEXT NOT NULL, note TEXT NOT NULL);
      CREATE TRIGGER log_leaves_no_update BEFORE UPDATE ON log_leaves BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
      CREATE TRIGGER log_leaves_no_delete BEFORE DELETE ON log_leaves BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
      CREATE TRIGGER log_nodes_no_update BEFORE UPDATE ON log_nodes BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
      CREATE TRIGGER log_nodes_no_delete BEFORE DELETE ON log_nodes BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
      CREATE TRIGGER log_checkpoints_no_update BEFORE UPDATE ON log_checkpoints BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
      CREATE TRIGGER log_checkpoints_no_delete BEFORE DELETE ON log_checkpoints BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
    `,
  },
  {
    version: 4,
    name: 'console-covering-indexes',
    // The auditor console summarises up to millions of leaves. Without these, each summary walks the
    // table (every page holds leaf bytes, so it decrypts the whole log) and looks rows up one by one:
    // seconds per question at a few hundred thousand leaves. Each index holds every column its queries
    // read, so they scan small index pages only. Opens are counted through a partial index over the
    // leaf's detail.action, which has no column of its own; json_valid first, so that a damaged leaf (in a
    // bundle being opened, or written behind the app's back) is indexed as no open instead of failing.
    up: `
      CREATE INDEX log_leaves_user_cover ON log_leaves(user, role, outcome, ts);
      CREATE INDEX log_leaves_object_cover ON log_leaves(object_id, page, event, object_kind, user, session, dwell_ms, ts);
      CREATE INDEX log_leaves_event_cover ON log_leaves(event, object_id, dwell_ms);
      CREATE INDEX log_leaves_opens ON log_leaves(object_kind, object_id) WHERE event = 'artifact.view' AND CASE WHEN json_valid(CAST(leaf AS TEXT)) THEN json_extract(CAST(leaf AS TEXT), '$.detail.action') END = 'open';
    `,
  },
  {
    version: 5,
    name: 'console-aggregates',
    // Per-hour totals the auditor console's summaries and timeline read instead of a million leaves:
    // per user and role, per artifact and user (events, dwell, opens), and dwell buckets per artifact.
    // The trigger keeps them in the same statement, hence the same transaction, as each leaf insert, so
    // they can never be ahead of or behind the log; a full verification recomputes them from the leaves
    // (aggregate-mismatch). The SQL comes from audit-aggregates.ts. ukey stands for
    // the user in keys ('' for none, 'u:' + name otherwise) because key columns cannot hold NULL.
    // log_leaves_page_views: the fast-paging flag reads every page view in log order; this partial
    // covering index holds just the columns it needs, so it no longer decrypts every leaf page.
    up: `
      CREATE TABLE agg_users(hour INTEGER NOT NULL, ukey TEXT NOT NULL, user TEXT, role TEXT NOT NULL, events INTEGER NOT NULL, denied INTEGER NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL, PRIMARY KEY(hour, ukey, role)) WITHOUT ROWID;
      CREATE TABLE agg_artifacts(hour INTEGER NOT NULL, object_id TEXT NOT NULL, ukey TEXT NOT NULL, user TEXT, events INTEGER NOT NULL, dwell INTEGER NOT NULL, opens INTEGER NOT NULL, PRIMARY KEY(hour, object_id, ukey)) WITHOUT ROWID;
      CREATE TABLE agg_dwell(hour INTEGER NOT NULL, object_id TEXT NOT NULL, bucket INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(hour, object_id, bucket)) WITHOUT ROWID;
      CREATE TRIGGER log_leaves_aggregate AFTER INSERT ON log_leaves BEGIN
        INSERT INTO agg_users(hour, ukey, user, role, events, denied, first, last)
          VALUES (NEW.ts / 3600000, ${AGG_UKEY('NEW.user')}, NEW.user, NEW.role, 1, NEW.outcome = 'denied', NEW.ts, NEW.ts)
          ON CONFLICT(hour, ukey, role) DO UPDATE SET events = events + 1, denied = denied + excluded.denied, first = min(first, excluded.first), last = max(last, excluded.last);
        INSERT INTO agg_artifacts(hour, object_id, ukey, user, events, dwell, opens)
          SELECT NEW.ts / 3600000, NEW.object_id, ${AGG_UKEY('NEW.user')}, NEW.user, 1, coalesce(NEW.dwell_ms, 0), ${AGG_OPEN('NEW')}
          WHERE NEW.object_kind = 'artifact' AND NEW.object_id IS NOT NULL
          ON CONFLICT(hour, object_id, ukey) DO UPDATE SET events = events + 1, dwell = dwell + excluded.dwell, opens = opens + excluded.opens;
        INSERT INTO agg_dwell(hour, object_id, bucket, n)
          SELECT NEW.ts / 3600000, NEW.object_id, ${AGG_DWELL_BUCKET('NEW.dwell_ms')}, 1
          WHERE NEW.event = 'artifact.view' AND NEW.dwell_ms IS NOT NULL AND NEW.object_id IS NOT NULL
          ON CONFLICT(hour, object_id, bucket) DO UPDATE SET n = n + 1;
      END;
      CREATE INDEX log_leaves_page_views ON log_leaves(seq, ts, user, session, object_id, page) WHERE event = 'artifact.view' AND page IS NOT NULL;
      ${AGG_EXPECTED.map(([table, select]) => `INSERT INTO ${table} ${select};`).join('\n      ')}
    `,
  },
  {
    version: 6,
    name: 'flag-aggregates',
    // What the console's two flags need, kept like the aggregates of migration 5 (same statement as each
    // leaf insert, backfilled here, recomputed by a full verification): per hour and session for the
    // off-hours flag, every page turn with the time since the previous turn for the fast-paging flag
    // (src-main/vault/audit-aggregates.ts says what each holds). Without them each flag read every leaf
    // of the hours it covered and every page view: seconds on a million leaves.
    up: `
      CREATE TABLE agg_sessions(hour INTEGER NOT NULL, skey TEXT NOT NULL, first INTEGER NOT NULL, n INTEGER NOT NULL, last_ts INTEGER NOT NULL, PRIMARY KEY(hour, skey)) WITHOUT ROWID;
      CREATE TABLE agg_turns(seq INTEGER PRIMARY KEY, prev INTEGER, gap INTEGER);
      CREATE INDEX agg_turns_gap ON agg_turns(gap, seq, prev);
      CREATE TABLE agg_turn_heads(skey TEXT NOT NULL, okey TEXT NOT NULL, seq INTEGER NOT NULL, ts INTEGER NOT NULL, page INTEGER NOT NULL, PRIMARY KEY(skey, okey)) WITHOUT ROWID;
      CREATE TRIGGER log_leaves_flag_aggregate AFTER INSERT ON log_leaves BEGIN
        INSERT INTO agg_sessions(hour, skey, first, n, last_ts)
          SELECT NEW.ts / ${HOUR_MS}, ${AGG_SKEY('NEW')}, NEW.seq, 1, NEW.ts
          WHERE NEW.role IN ('reviewer', 'auditor')
          ON CONFLICT(hour, skey) DO UPDATE SET first = min(first, excluded.first), n = n + 1, last_ts = max(last_ts, excluded.last_ts);
        INSERT INTO agg_turns(seq, prev, gap)
          SELECT NEW.seq, h.seq, NEW.ts - h.ts FROM (SELECT 1) LEFT JOIN agg_turn_heads h ON h.skey = coalesce(NEW.session, '') AND h.okey = coalesce(NEW.object_id, '')
          WHERE ${AGG_PAGE_VIEW('NEW')} AND (h.page IS NULL OR h.page != NEW.page);
        INSERT INTO agg_turn_heads(skey, okey, seq, ts, page)
          SELECT coalesce(NEW.session, ''), coalesce(NEW.object_id, ''), NEW.seq, NEW.ts, NEW.page
          WHERE ${AGG_PAGE_VIEW('NEW')}
          ON CONFLICT(skey, okey) DO UPDATE SET seq = excluded.seq, ts = excluded.ts, page = excluded.page WHERE page != excluded.page;
      END;
      ${FLAG_AGG_EXPECTED.map(([table, select]) => `INSERT INTO ${table} ${select};`).join('\n      ')}
    `,
  },
  {
    version: 7,
    name: 'view-dwell',
    // A view's dwell is its close's (AGG_VIEW_DWELL): migration 5 also added each PDF page view's dwell,
    // and a view's pages add up to its close, so every PDF's total and its dwell buckets counted its time
    // twice. The trigger is made again with the per-artifact and dwell statements changed (the per-user
    // one as it was), and both tables are computed again from the leaves, which hold every dwell.
    up: `
      DROP TRIGGER log_leaves_aggregate;
      CREATE TRIGGER log_leaves_aggregate AFTER INSERT ON log_leaves BEGIN
        INSERT INTO agg_users(hour, ukey, user, role, events, denied, first, last)
          VALUES (NEW.ts / 3600000, ${AGG_UKEY('NEW.user')}, NEW.user, NEW.role, 1, NEW.outcome = 'denied', NEW.ts, NEW.ts)
          ON CONFLICT(hour, ukey, role) DO UPDATE SET events = events + 1, denied = denied + excluded.denied, first = min(first, excluded.first), last = max(last, excluded.last);
        INSERT INTO agg_artifacts(hour, object_id, ukey, user, events, dwell, opens)
          SELECT NEW.ts / 3600000, NEW.object_id, ${AGG_UKEY('NEW.user')}, NEW.user, 1, coalesce(${AGG_VIEW_DWELL('NEW')}, 0), ${AGG_OPEN('NEW')}
          WHERE NEW.object_kind = 'artifact' AND NEW.object_id IS NOT NULL
          ON CONFLICT(hour, object_id, ukey) DO UPDATE SET events = events + 1, dwell = dwell + excluded.dwell, opens = opens + excluded.opens;
        INSERT INTO agg_dwell(hour, object_id, bucket, n)
          SELECT NEW.ts / 3600000, NEW.object_id, ${AGG_DWELL_BUCKET('NEW.dwell_ms')}, 1
          WHERE NEW.event = 'artifact.view' AND NEW.dwell_ms IS NOT NULL AND NEW.page IS NULL AND NEW.object_id IS NOT NULL
          ON CONFLICT(hour, object_id, bucket) DO UPDATE SET n = n + 1;
      END;
      DELETE FROM agg_artifacts;
      DELETE FROM agg_dwell;
      ${AGG_EXPECTED.filter(([table]) => table !== 'agg_users')
        .map(([table, select]) => `INSERT INTO ${table} ${select};`)
        .join('\n      ')}
    `,
  },
];
