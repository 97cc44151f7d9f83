/**
 * Finds where each row of a tabular artifact starts, byte by byte over its stored chunks, without
 * decoding or keeping any content: the row index that lets the main process page a 300 000-row table
 * instead of sending the whole file to the renderer.
 *
 * CSV/TSV follow the record rules of `parseRecords` (src-shared/tabular/delimited.ts) exactly: a quote
 * opens a quoted field only while the field is still empty, a doubled quote inside one is a literal
 * quote, and CR, LF or CRLF outside quotes end a record. JSON Lines: every line that holds more than
 * ASCII white space is a row. Every byte these rules look at is ASCII, and UTF-8 never uses ASCII bytes
 * inside a multi-byte character, so scanning bytes gives the same boundaries as scanning the decoded text.
 */
import type { TableFormat } from '../../src-shared/tabular/table-format';

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const COMMA = 0x2c;
const TAB = 0x09;

export interface ScannedRows {
  /** Absolute byte offset where each record starts (for CSV/TSV the first is the header). */
  starts: number[];
  /** Where the text ends (the artifact's size). */
  end: number;
  /** A quoted field ran to the end of the file (CSV/TSV). */
  unclosedQuote: boolean;
  /** CSV/TSV: how many fields each record has (parallel to `starts`); empty for JSONL. */
  fieldCounts: number[];
}

export class RowScanner {
  readonly #format: TableFormat;
  readonly #delimiter: number;
  readonly #starts: number[] = [];
  readonly #fieldCounts: number[] = [];
  #fields = 1;
  #offset = 0;
  // CSV state, carried across chunk boundaries.
  #inQuotes = false;
  #fieldEmpty = true;
  /** A quote inside a quoted field was the last byte seen: the next byte decides (doubled or closing). */
  #quotePending = false;
  /** A CR ended a record as the last byte seen: an LF right after belongs to it. */
  #crPending = false;
  /** Where the record or line being read began (-1 when between records). */
  #recordStart = -1;
  /** JSONL: the current line has a byte above ASCII space. */
  #lineHasContent = false;

  constructor(format: TableFormat) {
    this.#format = format;
    this.#delimiter = format === 'tsv' ? TAB : COMMA;
  }

  /** The next bytes of the artifact, in order. */
  push(bytes: Uint8Array): void {
    const base = this.#offset;
    let i = 0;
    // A byte-order mark is not content (the renderer's decoder drops it too).
    if (base === 0 && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
    if (this.#format === 'jsonl') this.#pushLines(bytes, base, i);
    else this.#pushRecords(bytes, base, i);
    this.#offset = base + bytes.length;
  }

  // Hot loops keep their state in locals (private fields in a per-byte loop cost several times more)
  // and write it back once per chunk.
  #pushLines(bytes: Uint8Array, base: number, from: number): void {
    const n = bytes.length;
    const starts = this.#starts;
    let recordStart = this.#recordStart;
    let hasContent = this.#lineHasContent;
    let i = from;
    // The next CR at or after i (n when none): searched again only once passed, so a file without CRs
    // costs one search per chunk, not one per line.
    let cr = -1;
    while (i < n) {
      // Most of a line is content: find its end with the native search, then look at its first bytes only.
      let end = bytes.indexOf(LF, i);
      if (end < 0) end = n;
      if (cr < i) {
        cr = bytes.indexOf(CR, i);
        if (cr < 0) cr = n;
      }
      if (cr < end) end = cr;
      if (recordStart < 0 && i < end) recordStart = base + i;
      if (!hasContent) {
        for (let j = i; j < end; j++) {
          if (bytes[j]! > 0x20) {
            hasContent = true;
            break;
          }
        }
      }
      if (end === n) break;
      if (recordStart >= 0 && hasContent) starts.push(recordStart);
      recordStart = -1;
      hasContent = false;
      i = end + 1;
    }
    this.#recordStart = recordStart;
    this.#lineHasContent = hasContent;
  }

  #pushRecords(bytes: Uint8Array, base: number, from: number): void {
    const n = bytes.length;
    const delimiter = this.#delimiter;
    const starts = this.#starts;
    const fieldCounts = this.#fieldCounts;
    let i = from;
    let inQuotes = this.#inQuotes;
    let fieldEmpty = this.#fieldEmpty;
    let fields = this.#fields;
    let recordStart = this.#recordStart;
    if (this.#crPending && i < n) {
      this.#crPending = false;
      if (bytes[i] === LF) i++;
    }
    if (this.#quotePending && i < n) {
      this.#quotePending = false;
      if (bytes[i] === QUOTE) {
        fieldEmpty = false;
        i++;
      } else inQuotes = false;
    }
    for (; i < n; i++) {
      const c = bytes[i]!;
      if (recordStart < 0) recordStart = base + i;
      if (inQuotes) {
        if (c === QUOTE) {
          if (i + 1 >= n) {
            this.#quotePending = true;
            continue;
          }
          if (bytes[i + 1] === QUOTE) {
            fieldEmpty = false;
            i++;
            continue;
          }
          inQuotes = false;
          continue;
        }
        fieldEmpty = false;
        continue;
      }
      if (c > QUOTE) {
        // Neither quote, delimiter (comma is above quote, so checked here) nor line end.
        if (c === delimiter) {
          fieldEmpty = true;
          fields++;
        } else fieldEmpty = false;
        continue;
      }
      if (c === QUOTE && fieldEmpty) {
        inQuotes = true;
        continue;
      }
      if (c === delimiter) {
        fieldEmpty = true;
        fields++;
        continue;
      }
      if (c === LF || c === CR) {
        starts.push(recordStart);
        fieldCounts.push(fields);
        fields = 1;
        recordStart = -1;
        fieldEmpty = true;
        if (c === CR) {
          if (i + 1 >= n) this.#crPending = true;
          else if (bytes[i + 1] === LF) i++;
        }
        continue;
      }
      fieldEmpty = false;
    }
    this.#inQuotes = inQuotes;
    this.#fieldEmpty = fieldEmpty;
    this.#fields = fields;
    this.#recordStart = recordStart;
  }

  /** Call once after the last chunk. */
  finish(): ScannedRows {
    // A quote pending at the very end closed its field.
    if (this.#quotePending) this.#inQuotes = false;
    if (this.#recordStart >= 0 && (this.#format !== 'jsonl' || this.#lineHasContent)) {
      this.#starts.push(this.#recordStart);
      if (this.#format !== 'jsonl') this.#fieldCounts.push(this.#fields);
    }
    this.#recordStart = -1;
    return { starts: this.#starts, end: this.#offset, unclosedQuote: this.#inQuotes, fieldCounts: this.#fieldCounts };
  }
}
