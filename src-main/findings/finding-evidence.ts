/**
 * Scored findings: a finding with a CVSS v4.0 vector scored and the evidence it rests on (references
 * are parsed in workspace/evidence-refs.ts), as rwctl and the findings export read them.
 */
import type { Database } from '@signalapp/sqlcipher';
import type { Finding } from '../../src-shared/ipc/channels-workspace';
import { createFinding, listFindings } from '../workspace/findings-service';
import type { WorkspaceActor } from '../workspace/workspace-actor';
import { scoreCvss4, type Cvss4Score, type Cvss4Severity } from './cvss4-score';

/** The finding severity a CVSS v4.0 rating maps to ("none" is informational). */
export function severityForCvss(severity: Cvss4Severity): Finding['severity'] {
  return severity === 'none' ? 'info' : severity;
}

export interface ScoredFinding {
  id: string;
  title: string;
  description: string;
  severity: Finding['severity'];
  status: Finding['status'];
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
  const finding = createFinding(db, actor, {
    caseId: input.caseId,
    title: input.title,
    description: input.description,
    severity: severityForCvss(cvss.severity),
    category: input.category ?? 'review',
    cvssVector: cvss.vector,
    evidence: [...input.evidence],
  });
  return scored(finding, cvss);
}

function scored(f: Finding, cvss: Cvss4Score | null): ScoredFinding {
  return { id: f.id, title: f.title, description: f.description, severity: f.severity, status: f.status, cvss, evidence: f.evidence, createdAt: f.createdAt, updatedAt: f.updatedAt };
}

/** The score of a stored vector, or null when there is none or it no longer parses. */
export function scoreOrNull(vector: string | null): Cvss4Score | null {
  if (!vector) return null;
  try {
    return scoreCvss4(vector);
  } catch {
    return null;
  }
}

/** Live findings of a case with their scores and evidence (a stored vector that no longer parses scores null). */
export function listScoredFindings(db: Database, caseId: string): ScoredFinding[] {
  return listFindings(db, { caseId }).map((f) => scored(f, scoreOrNull(f.cvssVector)));
}
