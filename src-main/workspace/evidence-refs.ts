/**
 * What a finding rests on, beyond whole artifacts: a claim of the ledger, a sample of a log, a page of
 * an artifact. A reference names its artifact by path (as the ledger and rwctl print it) or by id, and
 * must lie in the finding's case, so a link never crosses cases:
 *   claim:<path>:<line> | claim:<path>:p<page> | claim:<artifact id>@<offset>
 *   sample:<log path>#<sample id>/<epoch>
 *   artifact:<path>[#page=<n>]
 * Kept beside the findings service, which writes references in the same transaction (and history
 * snapshot) as the rest of a finding's change.
 */
import type { Database } from '@signalapp/sqlcipher';
import { RwError } from '../../src-shared/errors';
import { checkText } from './workspace-actor';

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

/** Checks every reference first (a refused list changes nothing), then replaces the finding's list. */
export function writeFindingEvidence(db: Database, findingId: string, caseId: string, refs: readonly string[]): string[] {
  const unique = [...new Set(refs)];
  if (unique.length > MAX_EVIDENCE_REFS) throw new RwError('INVALID_INPUT', `A finding links at most ${MAX_EVIDENCE_REFS} pieces of evidence.`);
  for (const r of unique) parseEvidenceRef(db, caseId, r);
  db.prepare('DELETE FROM finding_evidence WHERE finding_id = ?').run([findingId]);
  const insert = db.prepare('INSERT INTO finding_evidence(finding_id, seq, ref) VALUES (?, ?, ?)');
  unique.forEach((r, i) => insert.run([findingId, i, r]));
  return unique;
}
