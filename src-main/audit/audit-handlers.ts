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
import { consoleAnswerer, type ConsoleAnswers, type ConsoleOp, type ConsoleRequest, type VerifyProgress } from './audit-console';
import { DEFAULT_PACE_RULE, type LeafFilter, type WorkingHours } from './audit-query';
import { AuditWorker } from './audit-worker-client';
import { runInTurns } from './in-turns';

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

export function auditHandlers(deps: AuditHandlerDeps): Handlers<typeof auditChannels> {
  // One worker per sign-in (per open audit.db): its connection, and the verification state it keeps, go
  // with the session. A vault that cannot hand out a reader (a fake in tests) is answered on this thread,
  // in turns, by the same code.
  const workers = new WeakMap<Database, AuditWorker>();
  const inProcess = new WeakMap<Database, ReturnType<typeof consoleAnswerer>>();
  let current: AuditWorker | null = null;
  deps.sessions.onBeforeLock(() => {
    void current?.close();
    current = null;
  });
  const ask = async <O extends ConsoleOp>(request: Extract<ConsoleRequest, { op: O }>, progress?: VerifyProgress): Promise<ConsoleAnswers[O]> => {
    const vault = deps.sessions.require();
    const audit = vault.audit;
    const locked = () => deps.sessions.current()?.audit !== audit;
    try {
      let answer: ConsoleAnswers[O];
      if (vault.auditReader) {
        let worker = workers.get(audit);
        if (!worker?.alive) {
          worker = new AuditWorker(vault.auditReader());
          workers.set(audit, worker);
          current = worker;
        }
        answer = await worker.ask(request, progress);
      } else {
        let answerer = inProcess.get(audit);
        if (!answerer) inProcess.set(audit, (answerer = consoleAnswerer(audit)));
        answer = (await runInTurns(answerer.steps(request, progress))) as ConsoleAnswers[O];
      }
      // If the vault locked meanwhile, whatever was answered means nothing: the caller hears VAULT_LOCKED.
      if (locked()) throw new RwError('VAULT_LOCKED', 'The vault was locked.');
      return answer;
    } catch (error) {
      if (locked()) throw new RwError('VAULT_LOCKED', 'The vault was locked.');
      throw error;
    }
  };
  return {
    async 'audit.query'(request) {
      return ask({ op: 'query', filter: toFilter(request.filter), offset: request.offset, limit: request.limit });
    },
    async 'audit.summary'(request) {
      return ask({ op: 'summary', filter: toFilter(request.filter) });
    },
    async 'audit.integrity'(_request, ctx) {
      // Progress ticks carry counts only; a tick per batch of 10 000 leaves.
      return ask({ op: 'integrity', now: deps.clock() }, (leavesDone, leavesTotal) => ctx.emit('audit.progress', { leavesDone, leavesTotal, phase: 'verifying' }));
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
      return { rows: await ask({ op: 'whoSaw', artifactId: request.artifactId, ...(request.page === undefined ? {} : { page: request.page }), from: request.from, to: request.to }) };
    },
    async 'audit.flags'(request) {
      const hours = request.hours ?? hoursOf(deps.policy?.());
      const flags = await ask({ op: 'flags', filter: toFilter(request.filter), hours, pace: request.pace ?? DEFAULT_PACE_RULE });
      return { ...flags, workingHours: describeHours(hours) };
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
