/**
 * The router's access-log hook (DESIGN §3 step 4): every routed call becomes a leaf with its true
 * outcome, refused calls included. While someone is signed in the leaf goes to their open audit.db; while
 * nobody is (a failed unlock, a call from a locked app, the lock call itself after the handles closed) it
 * goes to the pre-sign-in journal, sealed to the log's public key, and becomes a leaf at the next sign-in.
 */
import type { AuditHook, AuditRecord } from '../ipc/router';
import type { AccessLogEntry } from './access-log';
import type { LeafSink } from './audit-events';
import type { LeafDetail } from './log-leaf';

export interface LogTarget {
  log: LeafSink;
  /** The unlock session's id, or null before sign-in. */
  session: string | null;
  /** Called after the append. */
  release?(): void;
}

export interface AccessLogHookDeps {
  /** The signed-in session's log, or null when locked. */
  current(): LogTarget | null;
  /** The pre-sign-in journal, or null when no vault exists yet (nothing to write to). */
  device(): LogTarget | null;
}

/** Polling the lock screen's status is not an access; logging it would bury the log in noise. */
function isNoise(entry: AuditRecord): boolean {
  return entry.event === 'session.status' && entry.outcome === 'success';
}

/** Pure: the leaf a router record becomes. The error message never goes in (it may quote input). */
export function entryFromRecord(record: AuditRecord, session: string | null): AccessLogEntry {
  const detail: LeafDetail = { channel: record.channel };
  for (const [k, v] of Object.entries(record.detail ?? {})) detail[k] = v;
  if (record.errorCode) detail['error'] = record.errorCode;
  return {
    actor: { user: record.actor.user, role: record.actor.role },
    session,
    event: record.event,
    object: record.object ? { kind: record.object.kind, id: record.object.id, name: record.object.name ?? null, digest: record.object.digest ?? null } : null,
    outcome: record.outcome,
    detail,
  };
}

export function accessLogHook(deps: AccessLogHookDeps): AuditHook {
  return {
    record(entry) {
      if (isNoise(entry)) return;
      const target = deps.current() ?? deps.device();
      if (!target) return;
      try {
        target.log.append(entryFromRecord(entry, target.session));
      } finally {
        target.release?.();
      }
    },
  };
}
