/**
 * The reviewer's decisions on the claims ledger in content.db: link a claim to a log by hand, unlink
 * it, return it to the automatic link, and override its status with a reason. One current row per
 * claim plus an append-only history written in the same transaction; a refused change writes nothing.
 */
import type { Database } from '@signalapp/sqlcipher';
import { CLAIM_STATUSES, type ClaimDecision, type ClaimStatus } from '../../src-shared/claims/claim-status';
import { RwError } from '../../src-shared/errors';
import { checkRevision, checkText, requireArtifacts, requireCase, type WorkspaceActor } from '../workspace/workspace-actor';

export type LinkChoice = { kind: 'auto' } | { kind: 'log'; artifactId: string } | { kind: 'none' };

export interface ClaimDecisionInput {
  caseId: string;
  claimKey: string;
  /** Omitted: keep the current link. */
  link?: LinkChoice;
  /** Omitted: keep; null: clear the override. */
  override?: { status: ClaimStatus; reason: string } | null;
  revision?: number;
}

export interface StoredClaimDecision {
  caseId: string;
  claimKey: string;
  link: LinkChoice;
  override: { status: ClaimStatus; reason: string } | null;
  author: string;
  updatedAt: number;
  revision: number;
}

/** `<artifact id>@<character offset>`: where the claim stands in an immutable document. */
export const CLAIM_KEY = /^[A-Za-z0-9_-]{1,100}@\d{1,9}$/;
const MIN_REASON = 10;
const MAX_REASON = 2000;

type Row = Record<string, unknown>;

function toDecision(row: Row): StoredClaimDecision {
  const kind = String(row.link_kind);
  const link: LinkChoice = kind === 'log' ? { kind: 'log', artifactId: String(row.link_artifact_id) } : kind === 'none' ? { kind: 'none' } : { kind: 'auto' };
  return {
    caseId: String(row.case_id),
    claimKey: String(row.claim_key),
    link,
    override: row.override_status == null ? null : { status: row.override_status as ClaimStatus, reason: String(row.override_reason) },
    author: String(row.author),
    updatedAt: Number(row.updated_at),
    revision: Number(row.revision),
  };
}

export function listClaimDecisions(db: Database, caseId: string): StoredClaimDecision[] {
  return db.prepare('SELECT * FROM claim_decisions WHERE case_id = ? ORDER BY claim_key').all([caseId]).map(toDecision);
}

export function claimDecisionHistory(db: Database, caseId: string, claimKey: string): Array<StoredClaimDecision & { at: number }> {
  return db
    .prepare('SELECT * FROM claim_decision_history WHERE case_id = ? AND claim_key = ? ORDER BY revision')
    .all([caseId, claimKey])
    .map((row) => ({ ...toDecision({ ...row, updated_at: row.at }), at: Number(row.at) }));
}

function checkInput(db: Database, input: ClaimDecisionInput): void {
  if (!CLAIM_KEY.test(input.claimKey)) throw new RwError('INVALID_INPUT', 'Not a claim reference.');
  const [artifactId] = input.claimKey.split('@') as [string];
  requireCase(db, input.caseId);
  requireArtifacts(db, input.caseId, [artifactId]);
  if (input.link?.kind === 'log') requireArtifacts(db, input.caseId, [input.link.artifactId]);
  if (input.override) {
    if (!CLAIM_STATUSES.includes(input.override.status)) throw new RwError('INVALID_INPUT', 'Not a claim status.');
    const reason = input.override.reason.trim();
    checkText(reason, 'reason');
    if (reason.length < MIN_REASON || reason.length > MAX_REASON) {
      throw new RwError('INVALID_INPUT', `An override needs a reason of ${MIN_REASON} to ${MAX_REASON} characters.`);
    }
  }
}

export function setClaimDecision(db: Database, actor: WorkspaceActor, input: ClaimDecisionInput): StoredClaimDecision {
  return db.transaction(() => {
    checkInput(db, input);
    const row = db.prepare('SELECT * FROM claim_decisions WHERE case_id = ? AND claim_key = ?').get([input.caseId, input.claimKey]);
    const current = row ? toDecision(row) : null;
    checkRevision(input.revision, current?.revision ?? 0);
    const next: StoredClaimDecision = {
      caseId: input.caseId,
      claimKey: input.claimKey,
      link: input.link ?? current?.link ?? { kind: 'auto' },
      override: input.override === undefined ? (current?.override ?? null) : input.override && { status: input.override.status, reason: input.override.reason.trim() },
      author: actor.user,
      updatedAt: actor.clock(),
      revision: (current?.revision ?? 0) + 1,
    };
    const values = [
      next.link.kind,
      next.link.kind === 'log' ? next.link.artifactId : null,
      next.override?.status ?? null,
      next.override?.reason ?? null,
      next.author,
      next.updatedAt,
      next.revision,
      next.caseId,
      next.claimKey,
    ];
    if (current) {
      db.prepare('UPDATE claim_decisions SET link_kind = ?, link_artifact_id = ?, override_status = ?, override_reason = ?, author = ?, updated_at = ?, revision = ? WHERE case_id = ? AND claim_key = ?').run(values);
    } else {
      db.prepare('INSERT INTO claim_decisions(link_kind, link_artifact_id, override_status, override_reason, author, updated_at, revision, case_id, claim_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(values);
    }
    db.prepare(
      'INSERT INTO claim_decision_history(link_kind, link_artifact_id, override_status, override_reason, author, at, revision, case_id, claim_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(values);
    return next;
  })();
}

/** The pure status logic's view of a stored decision (log refs are artifact ids in a vault). */
export function asClaimDecision(stored: StoredClaimDecision | undefined, by?: string): ClaimDecision {
  if (!stored) return {};
  const decision: ClaimDecision = {};
  if (stored.link.kind === 'log') decision.link = { kind: 'log', ref: stored.link.artifactId };
  if (stored.link.kind === 'none') decision.link = { kind: 'none' };
  if (stored.override) decision.override = { ...stored.override, by: by ?? stored.author };
  return decision;
}
