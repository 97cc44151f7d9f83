/**
 * Text artifacts as search units, streamed chunk by chunk (memory stays at one chunk and one unit
 * whatever the file size). Line numbers follow the text viewer (LF, CRLF or CR end a line), table
 * rows the table viewer (CSV/TSV: records after the header, RFC 4180 quotes; JSON Lines: non-blank
 * lines), so a hit opens exactly where it was found.
 */
import type { UnitDraft } from './search-units';

/** A block of lines becomes one unit of about this many characters: small enough for a precise
 * line, large enough that the per-row cost of FTS5 does not dominate. */
export const TEXT_UNIT_CHARS = 4096;
/** A line longer than this is indexed in pieces (all with its line number). */
export const LINE_PIECE_CHARS = 8192;

export interface NumberedLine {
  n: number;
  text: string;
}

/** UTF-8 chunks to numbered lines (U+FFFD for invalid bytes, like the viewer; a BOM dropped). */
export function* linesOf(chunks: Iterable<Uint8Array>): Generator<NumberedLine> {
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  let carry = '';
  let n = 1;
  let skipLf = false;
  const emit = function* (text: string, final: boolean): Generator<NumberedLine> {
    let start = 0;
    let i = 0;
    if (skipLf && text.length > 0) {
      if (text.charCodeAt(0) === 10) start = i = 1;
      skipLf = false;
    }
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      yield { n: n++, text: carry + text.slice(start, i) };
      carry = '';
      if (c === 13) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else {
          skipLf = true;
        }
      }
      start = i + 1;
    }
    carry += text.slice(start);
    if (final && carry.length > 0) {
      yield { n: n++, text: carry };
      carry = '';
    }
  };
  for (const chunk of chunks) yield* emit(decoder.decode(chunk, { stream: true }), false);
  yield* emit(decoder.decode(), true);
}

/** Lines grouped into units of about TEXT_UNIT_CHARS; a heading pattern (Markdown) starts a new unit and names it. */
export function* lineBlocks(lines: Iterable<NumberedLine>, heading?: (line: string) => string | null): Generator<UnitDraft> {
  let parts: string[] = [];
  let size = 0;
  let first = 0;
  let label: string | undefined;
  const flush = (): UnitDraft | null => {
    if (parts.length === 0) return null;
    const unit: UnitDraft = { text: parts.join('\n'), loc: { kind: 'line', n: first } };
    if (label !== undefined) unit.label = label;
    parts = [];
    size = 0;
    return unit;
  };
  for (const line of lines) {
    const title = heading?.(line.text) ?? null;
    if (title !== null) {
      const unit = flush();
      if (unit) yield unit;
      label = title;
    }
    if (line.text.length > LINE_PIECE_CHARS) {
      const unit = flush();
      if (unit) yield unit;
      for (let at = 0; at < line.text.length; at += LINE_PIECE_CHARS) {
        const piece: UnitDraft = { text: line.text.slice(at, at + LINE_PIECE_CHARS), loc: { kind: 'line', n: line.n } };
        if (label !== undefined) piece.label = label;
        yield piece;
      }
      continue;
    }
    if (parts.length === 0) first = line.n;
    parts.push(line.text);
    size += line.text.length + 1;
    if (size >= TEXT_UNIT_CHARS) {
      const unit = flush();
      if (unit) yield unit;
    }
  }
  const unit = flush();
  if (unit) yield unit;
}

const ATX_HEADING = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/u;

/** A Markdown ATX heading's text as the viewer shows it (inline emphasis and code marks dropped). */
export function markdownHeading(line: string): string | null {
  const m = ATX_HEADING.exec(line);
  if (!m) return null;
  const text = m[1]!.replace(/[*_`]+/gu, '').trim();
  return text.length > 0 ? text.slice(0, 500) : null;
}

/** JSON Lines: one row per non-blank line, numbered as the table viewer numbers them. */
export function* jsonLineRows(lines: Iterable<NumberedLine>): Generator<UnitDraft> {
  let row = 0;
  for (const line of lines) {
    if (line.text.trim().length === 0) continue;
    row++;
    yield { text: line.text.slice(0, LINE_PIECE_CHARS * 2), loc: { kind: 'row', n: row } };
  }
}

/**
 * CSV/TSV: one unit per data record (the header is record 0), fields joined by tabs with quotes
 * undone. Every line end outside quotes ends a record, an empty line too (as in the viewer).
 */
export function* delimitedRows(chunks: Iterable<Uint8Array>, delimiter: ',' | '\t'): Generator<UnitDraft> {
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  const d = delimiter.charCodeAt(0);
  let record = 0;
  let field = '';
  let fields: string[] = [];
  let inQuotes = false;
  let quotePending = false; // saw a quote inside quotes: either a doubled quote or the closing one
  let skipLf = false;
  let fieldStarted = false;
  let size = 0;
  const endRecord = (): UnitDraft | null => {
    fields.push(field);
    const text = fields.join('\t');
    const unit: UnitDraft | null = record > 0 ? { text, loc: { kind: 'row', n: record } } : null;
    record++;
    fields = [];
    field = '';
    fieldStarted = false;
    size = 0;
    return unit;
  };
  const step = function* (text: string): Generator<UnitDraft> {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (skipLf) {
        skipLf = false;
        if (c === 10) continue;
      }
      if (inQuotes) {
        if (quotePending) {
          quotePending = false;
          if (c === 34) {
            if (size < LINE_PIECE_CHARS) field += '"';
            size++;
            continue;
          }
          inQuotes = false;
          // fall through: this character is read outside quotes
        } else if (c === 34) {
          quotePending = true;
          continue;
        } else {
          if (size < LINE_PIECE_CHARS) field += text[i];
          size++;
          continue;
        }
      }
      if (c === 34 && !fieldStarted) {
        inQuotes = true;
        fieldStarted = true;
        continue;
      }
      if (c === d) {
        fields.push(field);
        field = '';
        fieldStarted = false;
        continue;
      }
      if (c === 10 || c === 13) {
        if (c === 13) skipLf = true;
        const unit = endRecord();
        if (unit) yield unit;
        continue;
      }
      fieldStarted = true;
      if (size < LINE_PIECE_CHARS) field += text[i];
      size++;
    }
  };
  for (const chunk of chunks) yield* step(decoder.decode(chunk, { stream: true }));
  yield* step(decoder.decode());
  if (quotePending) inQuotes = false;
  if (field.length > 0 || fields.length > 0 || inQuotes) {
    const unit = endRecord();
    if (unit) yield unit;
  }
}
