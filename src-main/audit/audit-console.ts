/**
 * The auditor console's questions over one audit.db connection, as plain requests and answers (see
 * ARCHITECTURE: access log). The audit worker (audit-worker.ts) answers them on its own thread and its
 * own read-only connection; where no worker can run (a faked vault) the handlers answer them in turns on
 * the main thread. Either way the same code answers, so the two cannot drift.
 */
import type { Database } from '@signalapp/sqlcipher';
import { AuditQuery, type AuditSummary, type FastPagingFlag, type LeafFilter, type OffHoursLeaf, type PaceRule, type QueryPage, type WhoSaw, type WorkingHours } from './audit-query';
import type { Steps } from './in-turns';
import type { Problem, VerifiedState } from './verify-log';
import { verifyAccessLogSteps, witnessedCheckpoints } from './verify-access-log';
import type { ProgressStore } from './verify-progress';

export type ConsoleRequest =
  | { op: 'query'; filter: LeafFilter; offset: number; limit: number }
  | { op: 'summary'; filter: LeafFilter }
  | { op: 'whoSaw'; artifactId: string; page?: number; from: number; to: number }
  | { op: 'flags'; filter: LeafFilter; hours: WorkingHours; pace: PaceRule }
  | { op: 'integrity'; now: number };

export interface ConsoleFlags {
  offHours: (OffHoursLeaf & { objectName: string | null })[];
  fastPaging: (FastPagingFlag & { artifactName: string | null })[];
}

export interface IntegrityAnswer {
  ok: boolean;
  size: number;
  verifiedSize: number;
  root: string;
  problems: Problem[];
  lastCheckpoint: { size: number; ts: number } | null;
  lastWitnessed: { size: number; ts: number; ok: boolean } | null;
  checkedAt: number;
  /** Leaves 0..from-1 were verified by an earlier run begun at verifiedAt, which this one resumed. */
  resumed: { from: number; verifiedAt: number } | null;
}

export interface ConsoleAnswers {
  query: QueryPage;
  summary: AuditSummary;
  whoSaw: WhoSaw[];
  flags: ConsoleFlags;
  integrity: IntegrityAnswer;
}

export type ConsoleOp = ConsoleRequest['op'];

/** Leaves verified so far of those the check covers (reported between batches). */
export type VerifyProgress = (done: number, total: number) => void;

/**
 * Answers console requests over one connection. It keeps the state of the last intact verification, so
 * a re-check verifies only what was appended since (the console re-checks after every query, and each
 * query adds a leaf); a new connection (a new sign-in) starts with a full verification, or goes on from
 * the progress an interrupted one saved in `progressStore`.
 */
export function consoleAnswerer(db: Database, progressStore?: ProgressStore | null): { steps(request: ConsoleRequest, progress?: VerifyProgress): Steps<ConsoleAnswers[ConsoleOp]> } {
  const q = new AuditQuery(db);
  let verified: VerifiedState | undefined;
  function* integrity(now: number, progress?: VerifyProgress): Steps<IntegrityAnswer> {
    const { report, state } = yield* verifyAccessLogSteps(db, { ...(progress ? { progress } : {}), ...(progressStore ? { progressStore } : {}) }, verified);
    verified = state ?? undefined;
    const witnessed = witnessedCheckpoints(db).at(-1);
    const witnessedOk = witnessed ? report.external.some((e) => e.label === witnessed.label && e.ok) : false;
    return {
      ok: report.ok,
      size: report.size,
      verifiedSize: report.verifiedSize,
      root: report.root,
      problems: report.problems.slice(0, 20),
      lastCheckpoint: report.lastCheckpoint,
      lastWitnessed: witnessed ? { size: witnessed.size, ts: witnessed.ts, ok: witnessedOk } : null,
      checkedAt: now,
      resumed: report.resumed ?? null,
    };
  }
  function* flags(filter: LeafFilter, hours: WorkingHours, pace: PaceRule): Steps<ConsoleFlags> {
    // Both read every matching leaf: the caller may run them in turns.
    const offHours = yield* q.offHoursSteps(filter, hours);
    const fastPaging = yield* q.fastPagingSteps(filter, pace);
    const names = q.objectNames([...offHours.flatMap((f) => (f.objectId === null ? [] : [f.objectId])), ...fastPaging.map((f) => f.artifactId)]);
    return {
      offHours: offHours.map((f) => ({ ...f, objectName: f.objectId === null ? null : (names.get(f.objectId) ?? null) })),
      fastPaging: fastPaging.map((f) => ({ ...f, artifactName: names.get(f.artifactId) ?? null })),
    };
  }
  // eslint-disable-next-line require-yield -- the quick questions answer in one step
  function* once<T>(answer: () => T): Steps<T> {
    return answer();
  }
  return {
    steps(request, progress) {
      switch (request.op) {
        case 'query':
          return once(() => q.query(request.filter, request.offset, request.limit));
        case 'summary':
          return once(() => q.summary(request.filter));
        case 'whoSaw':
          return once(() => q.whoSaw(request.artifactId, request.page, request.from, request.to));
        case 'flags':
          return flags(request.filter, request.hours, request.pace);
        case 'integrity':
          return integrity(request.now, progress);
      }
    },
  };
}
