/**
 * The reviewer's notes on a case: write, attach to the open artifact and anchor to a place in it (page,
 * lines, row, section) with a quoted excerpt, edit (revision-checked), delete, and go back to the place.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { ArtifactSummary } from '../../src-shared/ipc/channels-cases';
import type { Anchor, Note } from '../../src-shared/ipc/channels-workspace';
import { useArtifacts } from '../api/hooks';
import { NOTE_FIELD_LABELS, withChanges } from '../../src-shared/record-changes';
import { useCreateNote, useDeleteNote, useEditNote, useNoteHistory, useNotes } from '../api/workspace-hooks';
import { HistoryDisclosure, when, type HistoryRow } from './history-list';
import { ErrorAlert } from '../components/error-alert';
import { useViewerPositionStore } from '../state/viewer-position-store';
import { useWorkspaceStore } from '../state/workspace-store';
import { viewerKind } from '../viewers/viewer-kind';
import { AnchorFields, ExcerptField } from './note-anchor-fields';
import { anchorFromDraft, anchorInWords, anchorKindFor, draftFromAnchor, excerptValue, type AnchorDraft, type AnchorKind } from './note-anchor';
import { useFoundItem } from './found-item';

/** The anchor kind a note on this artifact takes (its viewer's), or the kind it already has. */
function kindFor(artifact: ArtifactSummary | undefined, existing: Anchor | null): AnchorKind | null {
  return (artifact ? anchorKindFor(viewerKind(artifact.mediaType, artifact.path)) : null) ?? existing?.kind ?? null;
}

/** Where the open viewer is, if it shows this artifact. */
function useLivePosition(artifactId: string | null): Anchor | null {
  return useViewerPositionStore((s) => (artifactId !== null && s.current?.artifactId === artifactId ? s.current.anchor : null));
}

/** A form-side refusal (a bad page number, say), shown like the router's errors. */
function FieldError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div className="alert alert-error" role="alert">
      <strong className="alert-label">Error:</strong> {message}
    </div>
  );
}

export function NotesPanel({ caseId, artifact }: { caseId: string; artifact: ArtifactSummary | null }) {
  const notes = useNotes(caseId);
  const artifacts = useArtifacts(caseId);
  const create = useCreateNote(caseId);
  const ids = useId();
  const [body, setBody] = useState('');
  const [attach, setAttach] = useState(true);
  const live = useLivePosition(artifact?.id ?? null);
  // null: follow the viewer; set once the reviewer edits the anchor.
  const [manual, setManual] = useState<AnchorDraft | null>(null);
  const [excerpt, setExcerpt] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const kind = artifact ? kindFor(artifact, null) : null;
  const draft = manual ?? draftFromAnchor(live && live.kind === kind ? live : null);
  const artifactId = artifact?.id ?? null;

  useEffect(() => {
    setManual(null);
    setExcerpt('');
    setInvalid(null);
  }, [artifactId]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (body.trim().length === 0) return;
    const about = attach && artifact ? artifact.id : null;
    const anchor = about && kind ? anchorFromDraft(draft) : ({ ok: true, anchor: null } as const);
    if (!anchor.ok) {
      setInvalid(anchor.message);
      return;
    }
    setInvalid(null);
    create.mutate(
      { caseId, body, artifactId: about, ...(about ? { anchor: anchor.anchor, excerpt: excerptValue(excerpt) } : {}) },
      {
        onSuccess: () => {
          setBody('');
          setManual(null);
          setExcerpt('');
        },
      },
    );
  };

  const pathOf = (id: string | null) => (id ? artifacts.data?.find((a) => a.id === id) : undefined);

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
        {artifact && attach ? (
          <>
            {kind ? <AnchorFields kind={kind} draft={draft} onChange={setManual} live={live} /> : null}
            <ExcerptField artifactId={artifact.id} value={excerpt} onChange={setExcerpt} />
          </>
        ) : null}
        <FieldError message={invalid} />
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
            <NoteItem key={note.id} note={note} caseId={caseId} artifact={pathOf(note.artifactId)} />
          ))}
        </ul>
      )}
    </div>
  );
}

/** A note's revisions; places are compared in words, as the list shows them. */
function NoteHistory({ note }: { note: Note }) {
  const [open, setOpen] = useState(false);
  const history = useNoteHistory(note.id, open);
  const snapshots = history.data?.map((e) => ({ ...e, anchor: e.anchor ? anchorInWords(e.anchor) : null }));
  const rows: HistoryRow[] | undefined = snapshots && withChanges(snapshots, NOTE_FIELD_LABELS);
  return <HistoryDisclosure label={`History of the note ${note.body.slice(0, 40)}`} created="written" open={open} onToggle={setOpen} history={{ rows, error: history.error }} />;
}

function NoteItem({ note, caseId, artifact }: { note: Note; caseId: string; artifact: ArtifactSummary | undefined }) {
  const edit = useEditNote(caseId);
  const remove = useDeleteNote(caseId);
  const openArtifact = useWorkspaceStore((s) => s.openArtifact);
  const requestGoTo = useViewerPositionStore((s) => s.requestGoTo);
  const live = useLivePosition(note.artifactId);
  const found = useFoundItem('note', note.id);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(note.body);
  const [anchorDraft, setAnchorDraft] = useState(() => draftFromAnchor(note.anchor));
  const [excerpt, setExcerpt] = useState(note.excerpt ?? '');
  const [invalid, setInvalid] = useState<string | null>(null);
  const ids = useId();
  const kind = note.artifactId ? kindFor(artifact, note.anchor) : null;
  const where = note.anchor ? anchorInWords(note.anchor) : null;
  const name = artifact?.path ?? 'the artifact';

  const startEditing = () => {
    setDraft(note.body);
    setAnchorDraft(draftFromAnchor(note.anchor));
    setExcerpt(note.excerpt ?? '');
    setInvalid(null);
    setEditing(true);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    // Notes on the case itself carry no anchor: send the body alone.
    if (!note.artifactId) {
      edit.mutate({ id: note.id, revision: note.revision, body: draft }, { onSuccess: () => setEditing(false) });
      return;
    }
    const anchor = kind ? anchorFromDraft(anchorDraft) : ({ ok: true, anchor: note.anchor } as const);
    if (!anchor.ok) {
      setInvalid(anchor.message);
      return;
    }
    setInvalid(null);
    edit.mutate({ id: note.id, revision: note.revision, body: draft, anchor: anchor.anchor, excerpt: excerptValue(excerpt) }, { onSuccess: () => setEditing(false) });
  };
  const goTo = () => {
    if (!note.artifactId) return;
    openArtifact(note.artifactId);
    if (note.anchor) requestGoTo(note.artifactId, note.anchor);
  };

  return (
    <li ref={found.ref} {...found.props}>
      {editing ? (
        <form className="panel-form" onSubmit={onSubmit}>
          <label htmlFor={`${ids}-edit`}>Edit note</label>
          <textarea id={`${ids}-edit`} value={draft} onChange={(e) => setDraft(e.target.value)} />
          {note.artifactId ? (
            <>
              {kind ? <AnchorFields kind={kind} draft={anchorDraft} onChange={setAnchorDraft} live={live} /> : null}
              <ExcerptField artifactId={note.artifactId} value={excerpt} onChange={setExcerpt} />
            </>
          ) : null}
          <FieldError message={invalid} />
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
        <>
          {note.artifactId ? (
            <p className="note-anchor">
              About {name}
              {where ? ` · ${where}` : ''}
            </p>
          ) : null}
          {note.excerpt ? <blockquote className="note-excerpt">{note.excerpt}</blockquote> : null}
          <p className="note-body">{note.body}</p>
        </>
      )}
      <p className="item-meta">
        {note.author} · {when(note.updatedAt)} · revision {note.revision}
      </p>
      <ErrorAlert error={edit.error ?? remove.error} />
      {!editing ? (
        <div className="row-actions">
          {note.artifactId ? (
            <button type="button" onClick={goTo} disabled={!artifact} aria-label={`Go to ${where ? `${where} of ` : ''}${name}`}>
              Go to
            </button>
          ) : null}
          <button type="button" onClick={startEditing} aria-label={`Edit note: ${note.body.slice(0, 40)}`}>
            Edit
          </button>
          <button type="button" onClick={() => remove.mutate({ id: note.id, revision: note.revision })} aria-label={`Delete note: ${note.body.slice(0, 40)}`}>
            Delete
          </button>
        </div>
      ) : null}
      <NoteHistory note={note} />
    </li>
  );
}
