/**
 * The review checklist: one row per rubric item and case, holding its status (unreviewed, pass,
 * concern, fail, not-applicable), a comment and supporting artifacts. An item never set reads as
 * `unreviewed`. Each set appends a history row; the rubric version in force is recorded with it.
 */
import type { Database } from '@signalapp/sqlcipher';
import { RwError } from '../../src-shared/errors';
import {
  CHECKLIST_STATUS_VALUES,
  checklistStatusSchema,
  type Checklist,
  type ChecklistItemState,
  type ChecklistSet,
  type ChecklistStatus,
} from '../../src-shared/ipc/channels-workspace';
import { rubricItem, type Rubric, type RubricItem } from './rubric';
import { proposeAnswer } from './documentation-answers';
import { checkRevision, checkText, num, requireArtifacts, requireCase, str, type WorkspaceActor } from './workspace-actor';

type Row = Record<string, unknown>;

function stateOf(item: RubricItem, row: Row | undefined): ChecklistItemState {
  if (!row) return { id: item.id, title: item.title, guidance: item.guidance, status: 'unreviewed', comment: '', artifactIds: [], updatedBy: null, updatedAt: null, revision: 0 };
  return {
    id: item.id,
    title: item.title,
    guidance: item.guidance,
    status: checklistStatusSchema.parse(str(row, 'status')),
    comment: str(row, 'comment'),
    artifactIds: (JSON.parse(str(row, 'artifact_ids_json')) as unknown[]).map(String),
    updatedBy: str(row, 'author'),
    updatedAt: num(row, 'updated_at'),
    revision: num(row, 'revision'),
  };
}

function rowsByItem(db: Database, caseId: string): Map<string, Row> {
  const rows = db.prepare('SELECT * FROM checklist_items WHERE case_id = ?').all([caseId]);
  return new Map(rows.map((row) => [str(row, 'item_id'), row]));
}

export function getChecklist(db: Database, rubric: Rubric, caseId: string): Checklist {
  requireCase(db, caseId);
  const rows = rowsByItem(db, caseId);
  const withAnswers = (item: RubricItem): ChecklistItemState => {
    const state = stateOf(item, rows.get(item.id));
    if (item.prefill) state.prefill = item.prefill;
    if (item.lookFor) state.answer = { proposal: proposeAnswer(db, caseId, item) };
    return state;
  };
  const sections = rubric.sections.map((section) => ({ id: section.id, title: section.title, items: section.items.map(withAnswers) }));
  return { caseId, rubric: { id: rubric.id, version: rubric.version, title: rubric.title }, sections, unanswered: unansweredCriteria(sections.flatMap((s) => s.items)) };
}

/** Documentation criteria the reviewer has not confirmed an answer for (no document linked to the item). */
export function unansweredCriteria(items: readonly ChecklistItemState[]): Checklist['unanswered'] {
  return items.filter((i) => i.answer !== undefined && i.artifactIds.length === 0).map((i) => ({ id: i.id, title: i.title, proposed: i.answer?.proposal != null }));
}

export function setChecklistItem(db: Database, actor: WorkspaceActor, rubric: Rubric, input: ChecklistSet): ChecklistItemState {
  const item = rubricItem(rubric, input.itemId);
  if (!item) throw new RwError('NOT_FOUND', 'No such checklist item in this rubric.');
  const comment = input.comment ?? '';
  checkText(comment, 'comment');
  const artifactIds = [...new Set(input.artifactIds ?? [])].sort();
  return db.transaction(() => {
    requireCase(db, input.caseId);
    requireArtifacts(db, input.caseId, artifactIds);
    const current = db.prepare('SELECT revision FROM checklist_items WHERE case_id = ? AND item_id = ?').get([input.caseId, input.itemId]);
    const revision = current ? num(current, 'revision') : 0;
    checkRevision(input.revision, revision);
    const now = actor.clock();
    const next = revision + 1;
    const links = JSON.stringify(artifactIds);
    db.prepare(
      `INSERT INTO checklist_items(case_id, item_id, rubric_version, status, comment, artifact_ids_json, author, updated_at, revision)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(case_id, item_id) DO UPDATE SET rubric_version = excluded.rubric_version, status = excluded.status, comment = excluded.comment,
         artifact_ids_json = excluded.artifact_ids_json, author = excluded.author, updated_at = excluded.updated_at, revision = excluded.revision`,
    ).run([input.caseId, input.itemId, rubric.version, input.status, comment, links, actor.user, now, next]);
    db.prepare('INSERT INTO checklist_history(case_id, item_id, revision, rubric_version, status, comment, artifact_ids_json, author, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run([
      input.caseId,
      input.itemId,
      next,
      rubric.version,
      input.status,
      comment,
      links,
      actor.user,
      now,
    ]);
    return { id: item.id, title: item.title, guidance: item.guidance, status: input.status, comment, artifactIds, updatedBy: actor.user, updatedAt: now, revision: next };
  })();
}

export interface ChecklistHistoryEntry {
  revision: number;
  rubricVersion: string;
  status: ChecklistStatus;
  comment: string;
  artifactIds: string[];
  author: string;
  at: number;
}

export function checklistHistory(db: Database, caseId: string, itemId: string): ChecklistHistoryEntry[] {
  return db
    .prepare('SELECT * FROM checklist_history WHERE case_id = ? AND item_id = ? ORDER BY revision')
    .all([caseId, itemId])
    .map((row) => ({
      revision: num(row, 'revision'),
      rubricVersion: str(row, 'rubric_version'),
      status: checklistStatusSchema.parse(str(row, 'status')),
      comment: str(row, 'comment'),
      artifactIds: (JSON.parse(str(row, 'artifact_ids_json')) as unknown[]).map(String),
      author: str(row, 'author'),
      at: num(row, 'at'),
    }));
}

/** Counts by status over the rubric's items only (rows for items a newer rubric dropped are ignored). */
export function checklistCounts(db: Database, rubric: Rubric, caseId: string): Record<ChecklistStatus, number> {
  const counts = Object.fromEntries(CHECKLIST_STATUS_VALUES.map((s) => [s, 0])) as Record<ChecklistStatus, number>;
  const rows = rowsByItem(db, caseId);
  for (const section of rubric.sections) {
    for (const item of section.items) {
      const row = rows.get(item.id);
      counts[row ? checklistStatusSchema.parse(str(row, 'status')) : 'unreviewed']++;
    }
  }
  return counts;
}
