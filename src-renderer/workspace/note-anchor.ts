/**
 * Note anchors (see ARCHITECTURE: artifacts and review) as the reviewer reads and types them: an anchor in words for the notes list,
 * the anchor kinds each viewer can point at, and the form's text fields parsed back into an anchor.
 * Pure, so the wording and the checks are unit-tested apart from React.
 */
import type { Anchor } from '../../src-shared/ipc/channels-workspace';
import type { ViewerKind } from '../viewers/viewer-kind';

export type AnchorKind = Anchor['kind'];

/** The form's fields, kept as typed text so a half-typed number is not lost or coerced. */
export interface AnchorDraft {
  kind: AnchorKind | 'none';
  page: string;
  line: string;
  endLine: string;
  row: string;
  sheet: string;
  heading: string;
}

/** The schema's limits (excerpt max 4000); the form and the selection quote cut to it. */
export const EXCERPT_MAX = 4000;

export function anchorInWords(anchor: Anchor): string {
  switch (anchor.kind) {
    case 'page':
      return `Page ${anchor.page}`;
    case 'line':
      return anchor.endLine !== undefined && anchor.endLine !== anchor.line ? `Lines ${anchor.line}–${anchor.endLine}` : `Line ${anchor.line}`;
    case 'row':
      return anchor.sheet !== undefined ? `Row ${anchor.row} of sheet ${anchor.sheet}` : `Row ${anchor.row}`;
    case 'heading':
      return `Section: ${anchor.heading}`;
  }
}

/** Which anchor a viewer can point at: PDF pages, text lines, table rows, Markdown headings. */
export function anchorKindFor(kind: ViewerKind): AnchorKind | null {
  switch (kind) {
    case 'pdf':
      return 'page';
    case 'text':
    case 'json':
      return 'line';
    case 'csv':
    case 'tsv':
    case 'jsonl':
      return 'row';
    case 'markdown':
      return 'heading';
    default:
      return null;
  }
}

export function anchorKindLabel(kind: AnchorKind): string {
  return { page: 'Page', line: 'Lines', row: 'Row', heading: 'Section' }[kind];
}

export const EMPTY_DRAFT: AnchorDraft = { kind: 'none', page: '', line: '', endLine: '', row: '', sheet: '', heading: '' };

export function draftFromAnchor(anchor: Anchor | null): AnchorDraft {
  if (!anchor) return EMPTY_DRAFT;
  switch (anchor.kind) {
    case 'page':
      return { ...EMPTY_DRAFT, kind: 'page', page: String(anchor.page) };
    case 'line':
      return { ...EMPTY_DRAFT, kind: 'line', line: String(anchor.line), endLine: anchor.endLine !== undefined ? String(anchor.endLine) : '' };
    case 'row':
      return { ...EMPTY_DRAFT, kind: 'row', row: String(anchor.row), sheet: anchor.sheet ?? '' };
    case 'heading':
      return { ...EMPTY_DRAFT, kind: 'heading', heading: anchor.heading };
  }
}

export type DraftResult = { ok: true; anchor: Anchor | null } | { ok: false; message: string };

function position(text: string, what: string): number | string {
  const t = text.trim();
  if (!/^\d+$/.test(t) || Number(t) < 1 || Number(t) > 100_000_000) return `${what} must be a whole number from 1.`;
  return Number(t);
}

/**
 * The fields as an anchor, or a sentence saying which field is wrong: checked before anything is sent,
 * to the same limits as the IPC anchor schema (which the router applies again).
 */
export function anchorFromDraft(draft: AnchorDraft): DraftResult {
  const fail = (message: string): DraftResult => ({ ok: false, message });
  switch (draft.kind) {
    case 'none':
      return { ok: true, anchor: null };
    case 'page': {
      const page = position(draft.page, 'The page');
      if (typeof page === 'string') return fail(page);
      return { ok: true, anchor: { kind: 'page', page } };
    }
    case 'line': {
      const line = position(draft.line, 'The first line');
      if (typeof line === 'string') return fail(line);
      if (draft.endLine.trim() === '') {
        return { ok: true, anchor: { kind: 'line', line } };
      }
      const endLine = position(draft.endLine, 'The last line');
      if (typeof endLine === 'string') return fail(endLine);
      if (endLine < line) return fail('The last line is before the first line.');
      return { ok: true, anchor: endLine === line ? { kind: 'line', line } : { kind: 'line', line, endLine } };
    }
    case 'row': {
      const row = position(draft.row, 'The row');
      if (typeof row === 'string') return fail(row);
      const sheet = draft.sheet.trim();
      if (sheet.length > 200) return fail('The sheet name is longer than 200 characters.');
      return { ok: true, anchor: sheet === '' ? { kind: 'row', row } : { kind: 'row', row, sheet } };
    }
    case 'heading': {
      const heading = draft.heading.trim();
      if (heading === '') return fail('Name the section heading.');
      if (heading.length > 500) return fail('The heading is longer than 500 characters.');
      return { ok: true, anchor: { kind: 'heading', heading } };
    }
  }
}

/** The excerpt field's text as the IPC value: blank means no excerpt; longer than the schema allows is cut. */
export function excerptValue(text: string): string | null {
  return text.trim() === '' ? null : text.slice(0, EXCERPT_MAX);
}
