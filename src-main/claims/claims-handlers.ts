/**
 * IPC handlers for the claims ledger (src-shared/ipc/channels-claims.ts). The router has checked
 * sender, schema and role; these read the ledger through the session's evidence service (so a log the
 * evidence screen already checked is not read again) and store the reviewer's links and overrides.
 * The access log gets ids, statuses and counts — never a claim's sentence or an override's reason.
 */
import type { Database } from '@signalapp/sqlcipher';
import type { CheckedLogView } from '../../src-shared/claims/claim-status';
import { RwError } from '../../src-shared/errors';
import type { claimsChannels, LedgerView } from '../../src-shared/ipc/channels-claims';
import type { CallContext, Handler } from '../ipc/router';
import type { EvidenceService } from '../evidence/evidence-service';
import { randomRecordId, type WorkspaceActor } from '../workspace/workspace-actor';
import { listClaimDecisions, setClaimDecision, type StoredClaimDecision } from './claim-decisions';
import { caseLedger, readArtifactText } from './claims-ledger';
import { checkedLogView } from './evidence-view';
import { writeContent } from '../vault/content-writer';

type ClaimsChannels = typeof claimsChannels;
export type ClaimsHandlers = { [K in keyof ClaimsChannels]: Handler<ClaimsChannels[K]> };

export interface ClaimsDeps {
  contentDb(): Database;
  evidence: EvidenceService;
  clock(): number;
}

/** Every Inspect log of the case, checked once per session by the evidence service. */
export async function checkedCaseLogs(evidence: EvidenceService, caseId: string): Promise<CheckedLogView[]> {
  const views: CheckedLogView[] = [];
  for (const log of await evidence.list(caseId)) {
    const { report } = await evidence.check(log.artifactId);
    views.push(checkedLogView(report, log.artifactId, log.path));
  }
  return views;
}

/** The ledger as the screen shows it: entries with their stored decision, and each document's text. */
export async function ledgerView(deps: ClaimsDeps, caseId: string): Promise<LedgerView> {
  const db = deps.contentDb();
  const texts = new Map<string, string>();
  const readText = (id: string): string => {
    const text = texts.get(id) ?? readArtifactText(db, id);
    texts.set(id, text);
    return text;
  };
  const ledger = await caseLedger(db, caseId, { checkLogs: (id) => checkedCaseLogs(deps.evidence, id), readText, now: deps.clock });
  const decisions = new Map(listClaimDecisions(db, caseId).map((d) => [d.claimKey, d]));
  return {
    caseId,
    counts: ledger.counts,
    documents: ledger.documents.map((d) => ({ ...d, text: readText(d.artifactId) })),
    logs: ledger.logs,
    entries: ledger.entries.map((e) => {
      const stored = decisions.get(e.key);
      return {
        key: e.key,
        artifactId: e.artifactId,
        text: e.claim.text,
        offset: e.claim.offset,
        sentence: e.claim.sentence,
        where: e.claim.where,
        task: e.claim.task,
        metric: e.metric,
        claimed: e.claim.claimed,
        status: e.status,
        computedStatus: e.computedStatus,
        message: e.message,
        evidence: e.evidence,
        evidenceRef: e.evidenceRef,
        linkedBy: e.linkedBy,
        scorer: e.scorer,
        reported: finiteOrNull(e.reported),
        recomputed: finiteOrNull(e.recomputed),
        override: e.override ?? null,
        link: stored?.link.kind ?? 'auto',
        revision: stored?.revision ?? 0,
      };
    }),
  };
}

function finiteOrNull(v: number | null): number | null {
  return v !== null && Number.isFinite(v) ? v : null;
}

function decisionView(d: StoredClaimDecision) {
  return { caseId: d.caseId, claimKey: d.claimKey, link: d.link, override: d.override, author: d.author, updatedAt: d.updatedAt, revision: d.revision };
}

export function claimsHandlers(deps: ClaimsDeps): ClaimsHandlers {
  const actor = (ctx: CallContext): WorkspaceActor => {
    if (ctx.session.role !== 'reviewer' || !ctx.session.user) throw new RwError('DENIED', 'Your role does not allow this operation.');
    return { user: ctx.session.user, clock: deps.clock, newId: randomRecordId };
  };
  return {
    'claims.list': async ({ caseId }, ctx) => {
      actor(ctx);
      ctx.describe({ kind: 'case', id: caseId });
      const view = await ledgerView(deps, caseId);
      ctx.describe({ kind: 'case', id: caseId }, { claims: view.entries.length, ...view.counts });
      return view;
    },
    'claims.link': async ({ caseId, claimKey, link, revision }, ctx) => {
      const who = actor(ctx);
      const detail = { caseId, link: link.kind, ...(link.kind === 'log' ? { artifactId: link.artifactId } : {}) };
      ctx.describe({ kind: 'claim', id: claimKey }, detail);
      if (link.kind === 'log' && !(await deps.evidence.list(caseId)).some((l) => l.artifactId === link.artifactId)) {
        throw new RwError('INVALID_INPUT', 'A claim can only be linked to an evaluation log of its case.');
      }
      const stored = await writeContent(deps.contentDb(), (db) => setClaimDecision(db, who, { caseId, claimKey, link, ...(revision !== undefined ? { revision } : {}) }));
      ctx.describe({ kind: 'claim', id: claimKey }, { ...detail, revision: stored.revision });
      return decisionView(stored);
    },
    'claims.override': async ({ caseId, claimKey, override, revision }, ctx) => {
      const who = actor(ctx);
      // The status, not the reason: the reason is review content and stays in content.db's history.
      const detail = { caseId, status: override?.status ?? 'cleared' };
      ctx.describe({ kind: 'claim', id: claimKey }, detail);
      const stored = await writeContent(deps.contentDb(), (db) => setClaimDecision(db, who, { caseId, claimKey, override, ...(revision !== undefined ? { revision } : {}) }));
      ctx.describe({ kind: 'claim', id: claimKey }, { ...detail, revision: stored.revision });
      return decisionView(stored);
    },
  };
}
