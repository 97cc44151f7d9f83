/**
 * Reviewer notes on a case or an artifact, anchored to a page, line range, row or heading with the
 * quoted excerpt. Notes are personal: only the author edits or deletes them. Every change appends a
 * history row in the same transaction, and delete is soft (the note stays, marked, with its history),
 * so what a reviewer wrote when can be shown later.
 */
import type { Database } from '@signalapp/sqlcipher';
import { RwError } from '../../src-shared/errors';
import { anchorSchema, type Anchor, type Note, type NoteCreate, type NoteEdit, type NoteHistoryEntry } from '../../src-shared/ipc/channels-workspace';
import { syncNote } from '../search/record-index';
import { checkRevision, checkText, markDeleted, num, numOrNull, requireArtifacts, requireCase, str, strOrNull, type WorkspaceActor } from './workspace-actor';

type Row = Record<string, unknown>;

function anchorFrom(json: string | null): Anchor | null {
  if (json === null) return null;
  return anchorSchema.parse(JSON.parse(json));
}

function toNote(row: Row): Note {
  return {
    id: str(row, 'id'),
    caseId: str(row, 'case_id'),
    artifactId: strOrNull(row, 'artifact_id'),
    anchor: anchorFrom(strOrNull(row, 'anchor_json')),
    excerpt: strOrNull(row, 'excerpt'),
    body: str(row, 'body'),
    author: str(row, 'author'),
    createdAt: num(row, 'created_at'),
    updatedAt: num(row, 'updated_at'),
    revision: num(row, 'revision'),
    deletedAt: numOrNull(row, 'deleted_at'),
  };
}

export interface NoteQuery {
  caseId: string;
  artifactId?: string;
  includeDeleted?: boolean;
}

export function listNotes(db: Database, query: NoteQuery): Note[] {
  requireCase(db, query.caseId);
  const rows = db
    .prepare(
      `SELECT * FROM notes WHERE case_id = $caseId AND ($artifactId IS NULL OR artifact_id = $artifactId)
       AND ($all = 1 OR deleted_at IS NULL) ORDER BY created_at, id`,
    )
    .all({ caseId: query.caseId, artifactId: query.artifactId ?? null, all: query.includeDeleted ? 1 : 0 });
  return rows.map(toNote);
}

export function getNote(db: Database, id: string): Note | null {
  const row = db.prepare('SELECT * FROM notes WHERE id = ?').get([id]);
  return row ? toNote(row) : null;
}

function appendHistory(db: Database, note: Note, action: 'create' | 'edit' | 'delete', author: string, at: number): void {
  db.prepare('INSERT INTO note_history(note_id, revision, action, anchor_json, excerpt, body, author, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run([
    note.id,
    note.revision,
    action,
    note.anchor ? JSON.stringify(note.anchor) : null,
    note.excerpt,
    note.body,
    author,
    at,
  ]);
}

export function createNote(db: Database, actor: WorkspaceActor, input: NoteCreate): Note {
  checkText(input.body, 'note');
  checkText(input.excerpt, 'excerpt');
  if ((input.anchor != null || input.excerpt != null) && input.artifactId == null) throw new RwError('INVALID_INPUT', 'An anchor or excerpt needs an artifact.');
  return db.transaction(() => {
    requireCase(db, input.caseId);
    if (input.artifactId != null) requireArtifacts(db, input.caseId, [input.artifactId]);
    const now = actor.clock();
    const note: Note = {
      id: actor.newId(),
      caseId: input.caseId,
      artifactId: input.artifactId ?? null,
      anchor: input.anchor ?? null,
      excerpt: input.excerpt ?? null,
      body: input.body,
      author: actor.user,
      createdAt: now,
      updatedAt: now,
      revision: 1,
      deletedAt: null,
    };
    db.prepare(
      'INSERT INTO notes(id, case_id, artifact_id, anchor_json, excerpt, body, author, created_at, updated_at, revision, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)',
    ).run([note.id, note.caseId, note.artifactId, note.anchor ? JSON.stringify(note.anchor) : null, note.excerpt, note.body, note.author, now, now, 1]);
    appendHistory(db, note, 'create', actor.user, now);
    syncNote(db, note.id);
    return note;
  })();
}

function requireOwnLiveNote(db: Database, actor: WorkspaceActor, id: string, revision: number | undefined): Note {
  const note = getNote(db, id);
  if (!note || note.deletedAt !== null) throw new RwError('NOT_FOUND', 'No such note.');
  if (note.author !== actor.user) throw new RwError('DENIED', 'Only the author may change a note.');
  checkRevision(revision, note.revision);
  return note;
}

export function editNote(db: Database, actor: WorkspaceActor, input: NoteEdit): Note {
  checkText(input.body, 'note');
  checkText(input.excerpt, 'excerpt');
  return db.transaction(() => {
    const current = requireOwnLiveNote(db, actor, input.id, input.revision);
    const next: Note = {
      ...current,
      body: input.body ?? current.body,
      anchor: input.anchor === undefined ? current.anchor : input.anchor,
      excerpt: input.excerpt === undefined ? current.excerpt : input.excerpt,
      updatedAt: actor.clock(),
      revision: current.revision + 1,
    };
    if ((next.anchor !== null || next.excerpt !== null) && next.artifactId === null) throw new RwError('INVALID_INPUT', 'An anchor or excerpt needs an artifact.');
    db.prepare('UPDATE notes SET body = ?, anchor_json = ?, excerpt = ?, updated_at = ?, revision = ? WHERE id = ?').run([
      next.body,
      next.anchor ? JSON.stringify(next.anchor) : null,
      next.excerpt,
      next.updatedAt,
      next.revision,
      next.id,
    ]);
    appendHistory(db, next, 'edit', actor.user, next.updatedAt);
    syncNote(db, next.id);
    return next;
  })();
}

export function deleteNote(db: Database, actor: WorkspaceActor, input: { id: string; revision?: number }): Note {
  return db.transaction(() =>
    markDeleted(db, 'notes', requireOwnLiveNote(db, actor, input.id, input.revision), actor.clock(), (next) => {
      appendHistory(db, next, 'delete', actor.user, next.updatedAt);
      syncNote(db, next.id);
    }),
  )();
}

export function noteHistory(db: Database, id: string): NoteHistoryEntry[] {
  if (!getNote(db, id)) throw new RwError('NOT_FOUND', 'No such note.');
  return db
    .prepare('SELECT * FROM note_history WHERE note_id = ? ORDER BY revision')
    .all([id])
    .map((row) => ({
      revision: num(row, 'revision'),
      action: str(row, 'action') as NoteHistoryEntry['action'],
      anchor: anchorFrom(strOrNull(row, 'anchor_json')),
      excerpt: strOrNull(row, 'excerpt'),
      body: str(row, 'body'),
      author: str(row, 'author'),
      at: num(row, 'at'),
    }));
}

/** Live notes on a case (for progress summaries). */
export function countNotes(db: Database, caseId: string): number {
  const row = db.prepare('SELECT count(*) AS n FROM notes WHERE case_id = ? AND deleted_at IS NULL').get([caseId]);
  return Number(row?.n ?? 0);
}
