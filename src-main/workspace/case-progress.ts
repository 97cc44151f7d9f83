/**
 * A case's review progress: checklist completion by status, live findings by severity and the number
 * of notes. The UI shows it; the attestation predicate (DESIGN §5) takes its counts from here.
 */
import type { Database } from '@signalapp/sqlcipher';
import type { CaseProgress } from '../../src-shared/ipc/channels-workspace';
import { checklistCounts } from './checklist-service';
import { findingCounts } from './findings-service';
import { countNotes } from './notes-service';
import { rubricItemCount, type Rubric } from './rubric';
import { requireCase } from './workspace-actor';

export function caseProgress(db: Database, rubric: Rubric, caseId: string): CaseProgress {
  requireCase(db, caseId);
  const byStatus = checklistCounts(db, rubric, caseId);
  const total = rubricItemCount(rubric);
  const reviewed = total - byStatus.unreviewed;
  const bySeverity = findingCounts(db, caseId);
  return {
    caseId,
    rubricVersion: rubric.version,
    checklist: { total, reviewed, completion: total === 0 ? 0 : reviewed / total, byStatus },
    findings: { total: Object.values(bySeverity).reduce((a, b) => a + b, 0), bySeverity },
    notes: countNotes(db, caseId),
  };
}

/** Every case's progress in one read (the cases list shows each), in no particular order. */
export function allCaseProgress(db: Database, rubric: Rubric): CaseProgress[] {
  const ids = db.prepare('SELECT id FROM cases', { pluck: true }).all() as string[];
  return ids.map((id) => caseProgress(db, rubric, id));
}
