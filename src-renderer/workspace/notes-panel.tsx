/** The reviewer's notes on a case: write, attach to the open artifact, edit (revision-checked), delete. */
import { useId, useState, type FormEvent } from 'react';
import type { ArtifactSummary } from '../../src-shared/ipc/channels-cases';
import type { Note } from '../../src-shared/ipc/channels-workspace';
import { useCreateNote, useDeleteNote, useEditNote, useNotes } from '../api/workspace-hooks';
import { ErrorAlert } from '../components/error-alert';

function when(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function NotesPanel({ caseId, artifact }: { caseId: string; artifact: ArtifactSummary | null }) {
  const notes = useNotes(caseId);
  const create = useCreateNote(caseId);
  const ids = useId();
  const [body, setBody] = useState('');
  const [attach, setAttach] = useState(true);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (body.trim().length === 0) return;
    create.mutate(
      { caseId, body, artifactId: attach && artifact ? artifact.id : null },
      { onSuccess: () => setBody('') },
    );
  };

  return (
    <div>
      <h2 className="visually-hidden">Notes</h2>
      <form className="panel-form" onSubmit={onSubmit}>
        <label htmlFor={`${ids}-body`}>New note</label>
        <textarea id={`${ids}-body`} value={body} onChange={(e) => setBody(e.target.value)} maxLength={100_000} />
        {artifact ? (
          <label className="checkbox">
            <input type="checkbox" checked={attach} onChange={(e) => setAttach(e.target.checked)} /> About {artifact.path}
          </label>
        ) : null}
        <ErrorAlert error={create.error} />
        <button type="submit" className="primary" disabled={create.isPending || body.trim().length === 0}>
          Save note
        </button>
      </form>
      {notes.isPending ? (
        <p className="loading">Loading notes…</p>
      ) : notes.isError ? (
        <ErrorAlert error={notes.error} />
      ) : notes.data.length === 0 ? (
        <p className="hint">No notes yet.</p>
      ) : (
        <ul className="item-list" aria-label="Notes">
          {notes.data.map((note) => (
            <NoteItem key={note.id} note={note} caseId={caseId} />
          ))}
        </ul>
      )}
    </div>
  );
}

function NoteItem({ note, caseId }: { note: Note; caseId: string }) {
  const edit = useEditNote(caseId);
  const remove = useDeleteNote(caseId);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(note.body);
  const ids = useId();
  return (
    <li>
      {editing ? (
        <form
          className="panel-form"
          onSubmit={(e) => {
            e.preventDefault();
            edit.mutate({ id: note.id, revision: note.revision, body: draft }, { onSuccess: () => setEditing(false) });
          }}
        >
          <label htmlFor={`${ids}-edit`}>Edit note</label>
          <textarea id={`${ids}-edit`} value={draft} onChange={(e) => setDraft(e.target.value)} />
          <div className="row-actions">
            <button type="submit" className="primary" disabled={edit.isPending || draft.trim().length === 0}>
              Save changes
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <p className="note-body">{note.body}</p>
      )}
      <p className="item-meta">
        {note.author} · {when(note.updatedAt)} · revision {note.revision}
        {note.artifactId ? ' · about an artifact' : ''}
      </p>
      <ErrorAlert error={edit.error ?? remove.error} />
      {!editing ? (
        <div className="row-actions">
          <button
            type="button"
            onClick={() => {
              setDraft(note.body);
              setEditing(true);
            }}
            aria-label={`Edit note: ${note.body.slice(0, 40)}`}
          >
            Edit
          </button>
          <button type="button" onClick={() => remove.mutate({ id: note.id, revision: note.revision })} aria-label={`Delete note: ${note.body.slice(0, 40)}`}>
            Delete
          </button>
        </div>
      ) : null}
    </li>
  );
}
