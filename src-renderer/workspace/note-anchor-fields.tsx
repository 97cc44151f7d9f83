/**
 * The "Anchor to" and "Quoted excerpt" parts of the note forms (see ARCHITECTURE: artifacts and review): the anchor follows the open
 * viewer until the reviewer edits it; the excerpt is typed or taken from the text selected in the viewer.
 */
import { useEffect, useId, useState } from 'react';
import type { Anchor } from '../../src-shared/ipc/channels-workspace';
import { useWorkspaceStore } from '../state/workspace-store';
import { anchorInWords, anchorKindLabel, draftFromAnchor, EXCERPT_MAX, type AnchorDraft, type AnchorKind } from './note-anchor';

interface AnchorFieldsProps {
  kind: AnchorKind;
  draft: AnchorDraft;
  onChange(draft: AnchorDraft): void;
  /** Where the viewer of this note's artifact is, when it is open. */
  live: Anchor | null;
}

type TextField = Exclude<keyof AnchorDraft, 'kind'>;
const FIELDS: Record<AnchorKind, Array<{ field: TextField; label: string; numeric: boolean }>> = {
  page: [{ field: 'page', label: 'Page number', numeric: true }],
  line: [
    { field: 'line', label: 'First line', numeric: true },
    { field: 'endLine', label: 'Last line (optional)', numeric: true },
  ],
  row: [
    { field: 'row', label: 'Row number', numeric: true },
    { field: 'sheet', label: 'Sheet (optional)', numeric: false },
  ],
  heading: [{ field: 'heading', label: 'Section heading', numeric: false }],
};

export function AnchorFields({ kind, draft, onChange, live }: AnchorFieldsProps) {
  const ids = useId();
  return (
    <fieldset className="anchor-fields">
      <legend>Anchor to</legend>
      <label className="checkbox">
        <input type="radio" name={`${ids}-kind`} checked={draft.kind === 'none'} onChange={() => onChange({ ...draft, kind: 'none' })} /> No anchor
      </label>
      <label className="checkbox">
        <input type="radio" name={`${ids}-kind`} checked={draft.kind === kind} onChange={() => onChange({ ...draft, kind })} /> {anchorKindLabel(kind)}
      </label>
      {draft.kind === kind
        ? FIELDS[kind].map(({ field, label, numeric }) => (
            <span key={field} className="anchor-field">
              <label htmlFor={`${ids}-${field}`}>{label}</label>
              <input
                id={`${ids}-${field}`}
                type="text"
                inputMode={numeric ? 'numeric' : undefined}
                maxLength={numeric ? 9 : 500}
                value={draft[field]}
                onChange={(e) => onChange({ ...draft, [field]: e.target.value })}
              />
            </span>
          ))
        : null}
      {live && live.kind === kind ? (
        <button type="button" onClick={() => onChange(draftFromAnchor(live))}>
          Use the viewer&apos;s position ({anchorInWords(live)})
        </button>
      ) : null}
    </fieldset>
  );
}

/**
 * The text last selected inside the open artifact's view, and which artifact that was. Remembered when
 * the selection moves out (into the note's text box, say), forgotten when the reviewer clicks elsewhere
 * in the viewer. Component state only: artifact text is not kept in a store.
 */
function useViewerSelectionText(): { artifactId: string; text: string } | null {
  const [selected, setSelected] = useState<{ artifactId: string; text: string } | null>(null);
  useEffect(() => {
    const listener = () => {
      const selection = document.getSelection();
      const inViewer = (node: Node | null) => (node instanceof Element ? node : (node?.parentElement ?? null))?.closest('.artifact-view') != null;
      const artifactId = useWorkspaceStore.getState().artifactId;
      if (!selection || !artifactId || !inViewer(selection.anchorNode)) return;
      const text = selection.isCollapsed || !inViewer(selection.focusNode) ? '' : selection.toString().trim();
      setSelected(text === '' ? null : { artifactId, text: text.slice(0, EXCERPT_MAX) });
    };
    document.addEventListener('selectionchange', listener);
    return () => document.removeEventListener('selectionchange', listener);
  }, []);
  return selected;
}

/** The quote for a note on artifactId: typed, or the text selected in that artifact's viewer (never another's). */
export function ExcerptField({ artifactId, value, onChange }: { artifactId: string; value: string; onChange(value: string): void }) {
  const ids = useId();
  const lastSelection = useViewerSelectionText();
  const selected = lastSelection?.artifactId === artifactId ? lastSelection.text : null;
  return (
    <div className="excerpt-field">
      <label htmlFor={`${ids}-excerpt`}>Quoted excerpt (optional)</label>
      <textarea id={`${ids}-excerpt`} value={value} maxLength={EXCERPT_MAX} onChange={(e) => onChange(e.target.value)} aria-describedby={`${ids}-hint`} />
      <p id={`${ids}-hint`} className="hint">
        {selected ? `${selected.length} characters selected in the viewer.` : 'Select text in the viewer to quote it.'}
      </p>
      <button type="button" disabled={!selected} onClick={() => selected && onChange(selected)}>
        Quote the selected text
      </button>
    </div>
  );
}
