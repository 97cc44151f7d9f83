/**
 * Tabular artifacts (CSV, TSV, JSONL) as rows of display strings. Pure and forgiving: the viewer must
 * show whatever a submitter sent, so malformed input becomes visible cells and a warning, never an
 * exception. CSV follows RFC 4180 (quoted fields, doubled quotes, CRLF or LF line ends).
 *
 * The main process pages large tables row by row (src-main/artifacts/table-rows.ts) with the same
 * record parser and cell rules, so a paged table shows exactly what a whole-file parse would.
 */
export interface Table {
  columns: string[];
  rows: string[][];
  /** Problems found while parsing (first few only), shown above the table. */
  warnings: string[];
}

export const MAX_WARNINGS = 5;
/** The extra JSONL column that holds a line which is not JSON, as text. */
export const UNPARSED_COLUMN = '(unparsed line)';
export const invalidLineWarning = (line: number) => `Line ${line} is not valid JSON; it is shown as text.`;
export const moreInvalidWarning = (more: number) => `${more} more invalid line(s).`;

export type Delimiter = ',' | '\t';

/** The records of a delimited text; `unclosedQuote` when a quoted field runs to the end. */
export function parseRecords(text: string, delimiter: Delimiter): { records: string[][]; unclosedQuote: boolean } {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let inQuotes = false;
  let quoteProblem = false;
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i += 1;
        continue;
      }
      field += c;
      i += 1;
      continue;
    }
    if (c === '"' && field.length === 0) {
      inQuotes = true;
      i += 1;
      continue;
    }
    if (c === delimiter) {
      record.push(field);
      field = '';
      i += 1;
      continue;
    }
    if (c === '\n' || c === '\r') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += c;
    i += 1;
  }
  if (inQuotes) quoteProblem = true;
  if (field.length > 0 || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return { records, unclosedQuote: quoteProblem };
}

export const UNCLOSED_QUOTE_WARNING = 'A quoted field is not closed before the end of the file.';

export function raggedWarning(ragged: number, width: number): string {
  return `${ragged} row${ragged === 1 ? ' has' : 's have'} a different number of fields than the header (${width}).`;
}

/** Header cells as column names (blank ones numbered), widened to the widest row. */
export function columnNames(header: readonly string[], widest: number): string[] {
  const columns = header.map((h, index) => (h.trim().length > 0 ? h : `column ${index + 1}`));
  for (let c = columns.length; c < widest; c += 1) columns.push(`column ${c + 1}`);
  return columns;
}

export function parseDelimited(text: string, delimiter: Delimiter): Table {
  const { records, unclosedQuote } = parseRecords(text, delimiter);
  const warnings: string[] = [];
  if (unclosedQuote) warnings.push(UNCLOSED_QUOTE_WARNING);
  const header = records.shift() ?? [];
  const width = header.length;
  let ragged = 0;
  for (const row of records) if (row.length !== width) ragged += 1;
  if (ragged > 0) warnings.push(raggedWarning(ragged, width));
  const extra = records.reduce((max, row) => Math.max(max, row.length), width);
  return { columns: columnNames(header, extra), rows: records, warnings };
}

/** A JSON value as one display cell. */
export function jsonCell(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

/** One JSON value per line; objects become rows with the union of their keys as columns. */
export function parseJsonLines(text: string): Table {
  const columns: string[] = [];
  const index = new Map<string, number>();
  const objects: Array<Record<string, unknown> | null> = [];
  const raw: string[] = [];
  const warnings: string[] = [];
  let bad = 0;
  const lines = text.split(/\r\n|\n|\r/);
  for (let lineNo = 0; lineNo < lines.length; lineNo += 1) {
    const line = lines[lineNo]!;
    if (line.trim().length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      bad += 1;
      if (warnings.length < MAX_WARNINGS) warnings.push(invalidLineWarning(lineNo + 1));
      objects.push(null);
      raw.push(line);
      continue;
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const obj = value as Record<string, unknown>;
      for (const key of Object.keys(obj)) {
        if (!index.has(key)) {
          index.set(key, columns.length);
          columns.push(key);
        }
      }
      objects.push(obj);
      raw.push(line);
    } else {
      objects.push({ value });
      if (!index.has('value')) {
        index.set('value', columns.length);
        columns.push('value');
      }
      raw.push(line);
    }
  }
  if (bad > MAX_WARNINGS) warnings.push(moreInvalidWarning(bad - MAX_WARNINGS));
  const hasRawColumn = bad > 0;
  if (hasRawColumn) columns.push(UNPARSED_COLUMN);
  const rows = objects.map((obj, r) => {
    const row = new Array<string>(columns.length).fill('');
    if (obj === null) {
      row[columns.length - 1] = raw[r] ?? '';
      return row;
    }
    for (const [key, value] of Object.entries(obj)) {
      const c = index.get(key);
      if (c !== undefined) row[c] = jsonCell(value);
    }
    return row;
  });
  return { columns, rows, warnings };
}
