/**
 * Where a search hit opens (pure): the note anchor a viewer already knows how to go to, and how hits
 * group on the screen. A Markdown hit goes to its section heading; a PDF hit to its page; text and
 * JSON hits to the line; table hits to the row; a log sample to its transcript in the evidence review.
 */
import type { SearchHitView } from '../../src-shared/ipc/channels-search';
import type { Anchor } from '../../src-shared/ipc/channels-workspace';

export function anchorOfHit(hit: SearchHitView): Anchor | null {
  if (hit.kind === 'md' && hit.label) return { kind: 'heading', heading: hit.label };
  const place = hit.place;
  if (!place || place.n < 1) return null;
  switch (place.kind) {
    case 'page':
      return { kind: 'page', page: place.n };
    case 'line':
      return { kind: 'line', line: place.n };
    case 'row':
    case 'sample':
      return { kind: 'row', row: place.n };
  }
}

/** The evaluation-log sample a hit opens in the evidence review: its id is the label, its epoch the place's number. */
export function sampleOfHit(hit: SearchHitView): { artifactId: string; sampleId: string; epoch: number } | null {
  if (hit.kind !== 'log' || hit.place?.kind !== 'sample' || hit.label === null || hit.artifactId === null) return null;
  return { artifactId: hit.artifactId, sampleId: hit.label, epoch: hit.place.n };
}

export interface HitGroup {
  key: string;
  /** The artifact path, or "Notes" / "Findings". */
  title: string;
  hits: Array<{ hit: SearchHitView; index: number }>;
}

export interface CaseGroup {
  caseId: string;
  count: number;
  groups: HitGroup[];
}

/** Hits grouped by case, then by artifact (records by their kind), keeping the ranking order within each. */
export function groupHits(hits: readonly SearchHitView[]): CaseGroup[] {
  const cases = new Map<string, CaseGroup>();
  hits.forEach((hit, index) => {
    let c = cases.get(hit.caseId);
    if (!c) {
      c = { caseId: hit.caseId, count: 0, groups: [] };
      cases.set(hit.caseId, c);
    }
    c.count++;
    const record = hit.kind === 'note' || hit.kind === 'finding' || hit.kind === 'claim';
    const key = record ? `record:${hit.kind}` : `artifact:${hit.sourceId}`;
    const title = record ? `${hit.kind[0]!.toUpperCase()}${hit.kind.slice(1)}s` : (hit.path ?? hit.sourceId);
    let g = c.groups.find((x) => x.key === key);
    if (!g) {
      g = { key, title, hits: [] };
      c.groups.push(g);
    }
    g.hits.push({ hit, index });
  });
  return [...cases.values()];
}

export interface TextPart {
  text: string;
  mark: boolean;
}

/**
 * Splits text at every case-insensitive occurrence of any mark (longest first), for <mark> in the
 * viewers. Diacritics count as different letters here: the marks are the matched text itself.
 */
export function markParts(text: string, marks: readonly string[]): TextPart[] {
  const needles = [...new Set(marks.map((m) => m.toLowerCase()).filter((m) => m.length > 0))].sort((a, b) => b.length - a.length);
  if (needles.length === 0 || text.length === 0) return [{ text, mark: false }];
  const lower = text.toLowerCase();
  // toLowerCase can change a string's length (e.g. İ); then positions would not line up: no marks.
  if (lower.length !== text.length) return [{ text, mark: false }];
  const parts: TextPart[] = [];
  let at = 0;
  let plain = 0;
  while (at < text.length) {
    const needle = needles.find((n) => lower.startsWith(n, at));
    if (needle) {
      if (plain < at) parts.push({ text: text.slice(plain, at), mark: false });
      parts.push({ text: text.slice(at, at + needle.length), mark: true });
      at += needle.length;
      plain = at;
    } else {
      at++;
    }
  }
  if (plain < text.length) parts.push({ text: text.slice(plain), mark: false });
  return parts;
}
