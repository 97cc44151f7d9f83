/**
 * IPC handlers for the auditor console and the viewers' `artifact.view` reports (see ARCHITECTURE: access log). The auditor
 * handlers read the signed-in user's audit.db only; `artifact.view` writes nothing itself: the router's
 * access-log entry for the call is the record, so the handler only names the artifact (from content.db,
 * which proves it exists and adds its name and digest) and what was in view.
 */
import type { Database } from '@signalapp/sqlcipher';
import { RwError } from '../../src-shared/errors';
import type { auditChannels, LeafFilterRequest } from '../../src-shared/ipc/channels-audit';
import type { Handlers } from '../ipc/router';
import type { SessionManager } from '../session/session-manager';
import type { UnlockedVault } from '../vault/vault';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_POLICY, workingHoursOf, type Policy } from '../../src-shared/policy';
import { ensurePrivateDir } from '../vault/vault-files';
import type { AccessLog } from './access-log';
import { createAuditBundle } from './audit-bundle';
import { AuditQuery, DEFAULT_PACE_RULE, type LeafFilter, type WorkingHours } from './audit-query';
import { runInTurns } from './in-turns';
import { type VerifiedState } from './verify-log';
import { verifyAccessLogInTurns, witnessedCheckpoints } from './verify-access-log';

export interface AuditHandlerDeps {
  sessions: SessionManager<UnlockedVault>;
  clock(): number;
  /** The policy in force: its working hours and time zone decide "off hours". */
  policy?(): Policy;
  /** The session's access log: an exported bundle's manifest is signed over a checkpoint that covers the export. */
  accessLog?(): AccessLog;
  /** Where bundles are written when no dialog is offered (the preview, the harness). */
  exportDir?: string;
  /** Electron: a folder (or drive) chooser; null when cancelled. */
  chooseFolder?(title: string): Promise<string | null>;
}

function hoursOf(policy: Policy | undefined): WorkingHours {
  const h = workingHoursOf(policy ?? DEFAULT_POLICY);
  return { startHour: h.startHour, endHour: h.endHour, utcOffsetMinutes: 0, timeZone: h.timeZone, weekendsOff: h.weekendsOff };
}

function describeHours(h: WorkingHours): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(h.startHour)}:00–${two(h.endHour)}:00 ${h.timeZone ?? `UTC${h.utcOffsetMinutes >= 0 ? '+' : '-'}${Math.abs(h.utcOffsetMinutes) / 60}`}${h.weekendsOff ? ', Monday to Friday' : ', every day'}`;
}

function toFilter(request: LeafFilterRequest): LeafFilter {
  const filter: LeafFilter = {};
  if (request.from !== undefined) filter.from = request.from;
  if (request.to !== undefined) filter.to = request.to;
  if (request.user !== undefined) filter.user = request.user;
  if (request.event !== undefined) filter.event = request.event;
  if (request.artifactId !== undefined) filter.objectId = request.artifactId;
  if (request.outcome !== undefined) filter.outcome = request.outcome;
  if (request.page !== undefined) filter.page = request.page;
  if (request.beforeSignIn) filter.beforeSignIn = true;
  return filter;
}

/**
 * The integrity banner's answer over an open audit.db. With `resume` (the state of an earlier intact
 * check of this same database in this process) only what was appended since is verified, so the banner
 * stays cheap on a large log although every console query appends a leaf; a damaged log is re-verified
 * in full each time. The check takes turns with other calls (a first check of a million leaves takes
 * tens of seconds), so the window stays responsive meanwhile.
 */
export async function integrityOf(audit: Database, now: number, resume?: VerifiedState) {
  const { report, state } = await verifyAccessLogInTurns(audit, {}, resume);
  const witnessed = witnessedCheckpoints(audit).at(-1);
  const witnessedOk = witnessed ? report.external.some((e) => e.label === witnessed.label && e.ok) : false;
  return {
    answer: {
      ok: report.ok,
      size: report.size,
      verifiedSize: report.verifiedSize,
      root: report.root,
      problems: report.problems.slice(0, 20),
      lastCheckpoint: report.lastCheckpoint,
      lastWitnessed: witnessed ? { size: witnessed.size, ts: witnessed.ts, ok: witnessedOk } : null,
      checkedAt: now,
    },
    state,
  };
}

export function auditHandlers(deps: AuditHandlerDeps): Handlers<typeof auditChannels> {
  const query = () => new AuditQuery(deps.sessions.require().audit);
  /**
   * Runs work that takes turns with other calls. If the vault locked meanwhile, its database was closed
   * under the work: whatever it answered or threw means nothing, and the caller hears VAULT_LOCKED.
   */
  const whileOpen = async <T>(audit: Database, work: () => Promise<T>): Promise<T> => {
    const locked = () => deps.sessions.current()?.audit !== audit;
    try {
      const result = await work();
      if (locked()) throw new RwError('VAULT_LOCKED', 'The vault was locked.');
      return result;
    } catch (error) {
      if (locked()) throw new RwError('VAULT_LOCKED', 'The vault was locked.');
      throw error;
    }
  };
  // Per open audit.db, so a new sign-in (a new connection) always starts with a full verification.
  const verified = new WeakMap<Database, VerifiedState>();
  return {
    async 'audit.query'(request) {
      return query().query(toFilter(request.filter), request.offset, request.limit);
    },
    async 'audit.summary'(request) {
      return query().summary(toFilter(request.filter));
    },
    async 'audit.integrity'() {
      const audit = deps.sessions.require().audit;
      const { answer, state } = await whileOpen(audit, () => integrityOf(audit, deps.clock(), verified.get(audit)));
      if (state) verified.set(audit, state);
      else verified.delete(audit);
      return answer;
    },
    async 'audit.exportBundle'(_request, ctx) {
      const vault = deps.sessions.require();
      ctx.describe({ kind: 'audit-log', id: vault.workstationId });
      if (!deps.accessLog) throw new RwError('DENIED', 'This window cannot write an audit bundle.');
      let dir: string | null = deps.exportDir ?? null;
      if (deps.chooseFolder) {
        dir = await deps.chooseFolder('Where to write the audit bundle (a folder or a removable drive)');
        if (dir === null) return { written: false, where: null, fileName: null, leaves: 0 };
      } else if (dir === null) throw new RwError('DENIED', 'No export folder is configured.');
      else ensurePrivateDir(dir);
      const log = deps.accessLog();
      const bundle = createAuditBundle(vault.audit, log, deps.clock());
      const fileName = `audit-bundle-${vault.workstationId.slice(0, 8)}-${deps.clock()}.json`;
      writeFileSync(join(dir, fileName), bundle, { flag: 'wx', mode: 0o600 });
      ctx.describe({ kind: 'audit-log', id: vault.workstationId, name: fileName }, { leaves: log.size() });
      return { written: true, where: dir, fileName, leaves: log.size() };
    },
    async 'audit.whoSaw'(request, ctx) {
      ctx.describe({ kind: 'artifact', id: request.artifactId }, { question: 'who-saw', ...(request.page === undefined ? {} : { page: request.page }) });
      return { rows: query().whoSaw(request.artifactId, request.page, request.from, request.to) };
    },
    async 'audit.flags'(request) {
      const filter = toFilter(request.filter);
      const audit = deps.sessions.require().audit;
      const q = new AuditQuery(audit);
      // Both read every matching leaf: over a large log they take turns with other calls.
      const hours = request.hours ?? hoursOf(deps.policy?.());
      return whileOpen(audit, async () => {
        const offHours = await runInTurns(q.offHoursSteps(filter, hours));
        const fastPaging = await runInTurns(q.fastPagingSteps(filter, request.pace ?? DEFAULT_PACE_RULE));
        const names = q.objectNames([...offHours.flatMap((f) => (f.objectId === null ? [] : [f.objectId])), ...fastPaging.map((f) => f.artifactId)]);
        return {
          offHours: offHours.map((f) => ({ ...f, objectName: f.objectId === null ? null : (names.get(f.objectId) ?? null) })),
          workingHours: describeHours(hours),
          fastPaging: fastPaging.map((f) => ({ ...f, artifactName: names.get(f.artifactId) ?? null })),
        };
      });
    },
    async 'artifact.view'(request, ctx) {
      const content = deps.sessions.require().content;
      if (!content) throw new RwError('DENIED', 'Your role does not allow this operation.');
      const row = content.prepare('SELECT path, sha256 FROM artifacts WHERE id = ?').get([request.artifactId]);
      if (!row) throw new RwError('NOT_FOUND', 'No such artifact.');
      const detail: Record<string, string | number> = { action: request.action };
      if (request.page !== undefined) detail['page'] = request.page;
      if (request.region !== undefined) detail['region'] = request.region;
      if (request.dwellMs !== undefined) detail['dwellMs'] = request.dwellMs;
      ctx.describe({ kind: 'artifact', id: request.artifactId, name: String(row['path']), digest: `sha256:${String(row['sha256'])}` }, detail);
      return { logged: true as const };
    },
  };
}
