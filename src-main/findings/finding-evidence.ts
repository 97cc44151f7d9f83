/**
 * What a finding rests on, beyond whole artifacts: a claim of the ledger, a sample of a log, a page of
 * an artifact. A reference names its artifact by path (as the ledger and rwctl print it) or by id, and
 * must lie in the finding's case, so a link never crosses cases:
 *   claim:<path>:<line> | claim:<path>:p<page> | claim:<artifact id>@<offset>
 *   sample:<log path>#<sample id>/<epoch>
 *   artifact:<path>[#page=<n>]
 */
import type { Database } from '@signalapp/sqlcipher';
import { RwError } from '../../src-shared/errors';
import type { Finding } from '../../src-shared/ipc/channels-workspace';
import { createFinding, getFinding, listFindings } from '../workspace/findings-service';
import type { WorkspaceActor } from '../workspace/workspace-actor';
import { checkText } from '../workspace/workspace-actor';
import { scoreCvss4, type Cvss4Score, type Cvss4Severity } from './cvss4-score';

export const MAX_EVIDENCE_REFS = 50;
const MAX_REF = 500;

export interface EvidenceRef {
  kind: 'claim' | 'sample' | 'artifact';
  artifactId: string;
  ref: string;
}

function artifactByPathOrId(db: Database, caseId: string, name: string): string | null {
  const row = db.prepare('SELECT id FROM artifacts WHERE case_id = ? AND (path = ? OR id = ?)').get([caseId, name, name]);
  return row ? String(row.id) : null;
}

/** Parses one reference and checks that its artifact is in the case; refuses anything else. */
export function parseEvidenceRef(db: Database, caseId: string, ref: string): EvidenceRef {
  const bad = (why: string): never => {
    throw new RwError('INVALID_INPUT', `Not an evidence reference (${why}): use claim:<file>:<line>, sample:<log>#<id>/<epoch> or artifact:<file>[#page=<n>].`);
  };
  if (ref.length === 0 || ref.length > MAX_REF) bad('length');
  checkText(ref, 'evidence reference');
  if (/[\u0000-\u001f]/.test(ref)) bad('control characters');
  const m = /^(claim|sample|artifact):(.+)$/.exec(ref);
  if (!m) bad('kind');
  const kind = m![1] as EvidenceRef['kind'];
  const body = m![2] as string;
  let name: string | null = null;
  if (kind === 'claim') {
    const at = /^([A-Za-z0-9_-]{1,100})@\d{1,9}$/.exec(body);
    const line = /^(.+):(?:\d{1,7}|p\d{1,6})$/.exec(body);
    name = at?.[1] ?? line?.[1] ?? null;
  } else if (kind === 'sample') {
    name = /^(.+)#[^#/]{1,200}\/\d{1,6}$/.exec(body)?.[1] ?? null;
  } else {
    name = /^(.+?)(?:#page=\d{1,6})?$/.exec(body)?.[1] ?? null;
  }
  if (!name) bad('place');
  const artifactId = artifactByPathOrId(db, caseId, name!);
  if (!artifactId) throw new RwError('NOT_FOUND', 'The evidence reference names no artifact of this case.');
  return { kind, artifactId, ref };
}

export function listFindingEvidence(db: Database, findingId: string): string[] {
  return db.prepare('SELECT ref FROM finding_evidence WHERE finding_id = ? ORDER BY seq', { pluck: true }).all([findingId]).map(String);
}

/** Replaces a finding's evidence references (checked first: a refused list changes nothing). */
export function setFindingEvidence(db: Database, findingId: string, refs: readonly string[]): string[] {
  return db.transaction(() => {
    const finding = getFinding(db, findingId);
    if (!finding || finding.deletedAt !== null) throw new RwError('NOT_FOUND', 'No such finding.');
    const unique = [...new Set(refs)];
    if (unique.length > MAX_EVIDENCE_REFS) throw new RwError('INVALID_INPUT', `A finding links at most ${MAX_EVIDENCE_REFS} pieces of evidence.`);
    for (const r of unique) parseEvidenceRef(db, finding.caseId, r);
    db.prepare('DELETE FROM finding_evidence WHERE finding_id = ?').run([findingId]);
    const insert = db.prepare('INSERT INTO finding_evidence(finding_id, seq, ref) VALUES (?, ?, ?)');
    unique.forEach((r, i) => insert.run([findingId, i, r]));
    return unique;
  })();
}

/** The finding severity a CVSS v4.0 rating maps to ("none" is informational). */
export function severityForCvss(severity: Cvss4Severity): Finding['severity'] {
  return severity === 'none' ? 'info' : severity;
}

export interface ScoredFinding {
  id: string;
  title: string;
  description: string;
  severity: Finding['severity'];
  cvss: Cvss4Score | null;
  evidence: string[];
  createdAt: number;
  updatedAt: number;
}

/**
 * A finding with a required CVSS v4.0 vector and evidence, as `rwctl findings add` records it: the
 * vector is validated and scored first, the evidence checked, then finding and references are written
 * in one transaction.
 */
export function addScoredFinding(
  db: Database,
  actor: WorkspaceActor,
  input: { caseId: string; title: string; description: string; cvssVector: string; evidence: readonly string[]; category?: string },
): ScoredFinding {
  const cvss = scoreCvss4(input.cvssVector);
  return db.transaction(() => {
    for (const r of input.evidence) parseEvidenceRef(db, input.caseId, r);
    const finding = createFinding(db, actor, {
      caseId: input.caseId,
      title: input.title,
      description: input.description,
      severity: severityForCvss(cvss.severity),
      category: input.category ?? 'review',
      cvssVector: cvss.vector,
    });
    const evidence = setFindingEvidence(db, finding.id, input.evidence);
    return { id: finding.id, title: finding.title, description: finding.description, severity: finding.severity, cvss, evidence, createdAt: finding.createdAt, updatedAt: finding.updatedAt };
  })();
}

/** Live findings of a case with their scores and evidence (a stored vector that no longer parses scores null). */
export function listScoredFindings(db: Database, caseId: string): ScoredFinding[] {
  return listFindings(db, { caseId }).map((f) => {
    let cvss: Cvss4Score | null = null;
    if (f.cvssVector) {
      try {
        cvss = scoreCvss4(f.cvssVector);
      } catch {
        cvss = null;
      }
    }
    return { id: f.id, title: f.title, description: f.description, severity: f.severity, cvss, evidence: listFindingEvidence(db, f.id), createdAt: f.createdAt, updatedAt: f.updatedAt };
  });
}
