/**
 * The events the app logs outside the router (DESIGN §5): app start/stop, unlock and lock, what is in
 * view in an artifact and for how long, searches, record changes, copy/print/export attempts and their
 * decisions, attestation signing, sync and export, policy changes and clock jumps. Each helper only
 * shapes a leaf; the caller's AccessLog (or, before sign-in, the pre-sign-in journal) writes it.
 */
import type { AccessLogEntry, AppendResult } from './access-log';
import type { ClockJump } from './clock-jump';
import type { LeafOutcome, LeafRole } from './log-leaf';

/** What takes a leaf: the open AccessLog, or the pre-sign-in journal (which seals it for later). */
export interface LeafSink {
  append(entry: AccessLogEntry): AppendResult;
}

export interface LogActor {
  user: string | null;
  role: LeafRole;
  session: string | null;
}

export const SYSTEM_ACTOR: LogActor = { user: null, role: 'system', session: null };

function entry(actor: LogActor, event: string, outcome: LeafOutcome, object: AccessLogEntry['object'], detail: AccessLogEntry['detail'] = {}): AccessLogEntry {
  return { actor: { user: actor.user, role: actor.role }, session: actor.session, event, object, outcome, detail };
}

export function logAppStart(log: LeafSink, version: string): AppendResult {
  return log.append(entry(SYSTEM_ACTOR, 'app.start', 'success', null, { version }));
}

export function logAppStop(log: LeafSink, reason: string): AppendResult {
  return log.append(entry(SYSTEM_ACTOR, 'app.stop', 'success', null, { reason }));
}

export function logUnlock(log: LeafSink, user: string, ok: boolean, detail: { role?: LeafRole; session?: string | null; error?: string } = {}): AppendResult {
  const actor: LogActor = { user, role: ok ? (detail.role ?? 'reviewer') : 'anonymous', session: detail.session ?? null };
  return log.append(entry(actor, 'unlock', ok ? 'success' : 'failure', null, detail.error ? { error: detail.error } : {}));
}

export function logLock(log: LeafSink, actor: LogActor, reason: 'manual' | 'idle' | 'os' | 'shutdown'): AppendResult {
  return log.append(entry(actor, 'lock', 'success', null, { reason }));
}

export interface ArtifactViewEvent {
  artifactId: string;
  name?: string | null;
  digest?: string | null;
  action: 'open' | 'view' | 'close';
  page?: number;
  region?: string;
  dwellMs?: number;
  /** A close main wrote because the session locked (its reason), not one the window reported. */
  endedBy?: 'manual' | 'idle' | 'os' | 'shutdown';
}

/** artifact.view: open, what is in view (page/region), close with the dwell time. */
export function logArtifactView(log: LeafSink, actor: LogActor, view: ArtifactViewEvent): AppendResult {
  const detail: AccessLogEntry['detail'] = { action: view.action };
  if (view.page !== undefined) detail['page'] = view.page;
  if (view.region !== undefined) detail['region'] = view.region;
  if (view.dwellMs !== undefined) detail['dwellMs'] = view.dwellMs;
  if (view.endedBy !== undefined) detail['endedBy'] = view.endedBy;
  return log.append(entry(actor, 'artifact.view', 'success', { kind: 'artifact', id: view.artifactId, name: view.name ?? null, digest: view.digest ?? null }, detail));
}

export function logSearch(log: LeafSink, actor: LogActor, search: { caseId?: string; query: string; results: number }): AppendResult {
  return log.append(entry(actor, 'search', 'success', search.caseId ? { kind: 'case', id: search.caseId } : null, { query: search.query, results: search.results }));
}

export function logRecordChange(
  log: LeafSink,
  actor: LogActor,
  change: { kind: 'note' | 'finding' | 'checklist'; action: 'create' | 'edit' | 'delete'; id: string; caseId?: string },
): AppendResult {
  return log.append(entry(actor, `${change.kind}.${change.action}`, 'success', { kind: change.kind, id: change.id }, change.caseId ? { caseId: change.caseId } : {}));
}

/** Copy, print and export: the attempt and the gate's decision, with the justification when one was given. */
export function logEgress(
  log: LeafSink,
  actor: LogActor,
  egress: { kind: 'copy' | 'print' | 'export'; decision: 'allowed' | 'denied'; artifactId?: string; justification?: string; bytes?: number },
): AppendResult {
  const detail: AccessLogEntry['detail'] = { decision: egress.decision };
  if (egress.justification !== undefined) detail['justification'] = egress.justification;
  if (egress.bytes !== undefined) detail['bytes'] = egress.bytes;
  return log.append(
    entry(actor, `${egress.kind}.decision`, egress.decision === 'allowed' ? 'success' : 'denied', egress.artifactId ? { kind: 'artifact', id: egress.artifactId } : null, detail),
  );
}

export function logAttestationSign(log: LeafSink, actor: LogActor, attestation: { caseId: string; digest: string; verdict: string }): AppendResult {
  return log.append(entry(actor, 'attestation.sign', 'success', { kind: 'case', id: attestation.caseId, digest: attestation.digest }, { verdict: attestation.verdict }));
}

export function logSync(log: LeafSink, actor: LogActor, sync: { channel: 'network' | 'media'; items: number; ok: boolean }): AppendResult {
  return log.append(entry(actor, 'sync', sync.ok ? 'success' : 'failure', null, { channel: sync.channel, items: sync.items }));
}

export function logPolicyChange(log: LeafSink, actor: LogActor, policy: { version: number; digest: string }): AppendResult {
  return log.append(entry(actor, 'policy.change', 'success', { kind: 'policy', id: String(policy.version), digest: policy.digest }, {}));
}

export function logClockJump(log: LeafSink, jump: ClockJump): AppendResult {
  return log.append(entry(SYSTEM_ACTOR, 'clock.jump', 'success', null, { from: jump.from, to: jump.to, driftMs: jump.driftMs, source: 'monotonic' }));
}
