/**
 * Table artifacts (CSV, TSV, JSON Lines) paged from the main process, so a 300 000-row file shows its
 * first screen at once instead of after the whole file has crossed the bridge and been parsed.
 *
 * The first request for an artifact scans its chunks once for row boundaries (row-scanner.ts) and
 * stores them in content.db (encrypted like the content): per stored chunk, the offsets of the rows that
 * start in it. Later requests, in this session or the next, load that index and read only the chunks a
 * page touches. Sort and filter read every row, in turns with the event loop, and keep only the
 * resulting order of row numbers (never content) in a small cache that is dropped on lock.
 */
import type { Database } from '@signalapp/sqlcipher';
import { RwError } from '../../src-shared/errors';
import type { ArtifactRows, ArtifactRowsRequest, ArtifactSummary } from '../../src-shared/ipc/channels-cases';
import {
  MAX_WARNINGS,
  UNCLOSED_QUOTE_WARNING,
  UNPARSED_COLUMN,
  columnNames,
  jsonCell,
  moreInvalidWarning,
  parseRecords,
  raggedWarning,
  type Delimiter,
} from '../../src-shared/tabular/delimited';
import { tableFormatOf, type TableFormat } from '../../src-shared/tabular/table-format';
import { runAll, runInTurns, type Steps } from '../audit/in-turns';
import { getArtifact } from './case-queries';
import { RowScanner } from './row-scanner';

/** Bump when the row rules change: stored indexes of another version are rebuilt. */
export const ROW_INDEX_VERSION = 1;

interface RowIndex {
  artifactId: string;
  format: TableFormat;
  columns: string[];
  warnings: string[];
  /** Start of every data row, then the end of the text: rowCount + 1 entries. */
  bounds: Float64Array;
  /** Byte offset where each stored chunk begins, then the artifact's size. */
  chunkStarts: number[];
}

const rowCount = (index: RowIndex) => index.bounds.length - 1;

/** Reads byte ranges of one artifact from its stored chunks, keeping the last two chunks read. */
class ChunkReader {
  readonly #artifactId: string;
  readonly #chunkStarts: number[];
  readonly #cache = new Map<number, Uint8Array>();
  readonly #select;

  constructor(db: Database, artifactId: string, chunkStarts: number[]) {
    this.#artifactId = artifactId;
    this.#chunkStarts = chunkStarts;
    this.#select = db.prepare('SELECT data FROM artifact_chunks WHERE artifact_id = ? AND seq = ?');
  }

  chunk(seq: number): Uint8Array {
    const hit = this.#cache.get(seq);
    if (hit) return hit;
    const data = this.#select.get([this.#artifactId, seq])?.data;
    if (!(data instanceof Uint8Array)) throw new RwError('INTERNAL', 'A stored chunk is missing.');
    if (this.#cache.size >= 2) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(seq, data);
    return data;
  }

  /** The chunk that holds byte `offset`. */
  chunkOf(offset: number): number {
    const starts = this.#chunkStarts;
    let lo = 0;
    let hi = starts.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  range(start: number, end: number): Uint8Array {
    if (end <= start) return new Uint8Array(0);
    const first = this.chunkOf(start);
    const last = this.chunkOf(end - 1);
    if (first === last) {
      const base = this.#chunkStarts[first]!;
      return this.chunk(first).subarray(start - base, end - base);
    }
    const out = new Uint8Array(end - start);
    let at = 0;
    for (let c = first; c <= last; c++) {
      const base = this.#chunkStarts[c]!;
      const data = this.chunk(c);
      const from = Math.max(start, base) - base;
      const to = Math.min(end, base + data.length) - base;
      out.set(data.subarray(from, to), at);
      at += to - from;
    }
    return out;
  }
}

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** One data row as display cells, by the rules of src-shared/tabular/delimited.ts. */
type RowParser = (bytes: Uint8Array) => string[];

function rowParser(format: TableFormat, columns: readonly string[]): RowParser {
  if (format !== 'jsonl') {
    const delimiter: Delimiter = format === 'tsv' ? '\t' : ',';
    return (bytes) => parseRecords(decoder.decode(bytes), delimiter).records[0] ?? [''];
  }
  const index = new Map<string, number>();
  columns.forEach((c, i) => index.set(c, i));
  const unparsed = columns[columns.length - 1] === UNPARSED_COLUMN ? columns.length - 1 : -1;
  return (bytes) => {
    const line = firstLine(decoder.decode(bytes));
    const cells = new Array<string>(columns.length).fill('');
    const parsed = parseJson(line);
    if (parsed === INVALID) {
      if (unparsed >= 0) cells[unparsed] = line;
    } else if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
        const c = index.get(key);
        if (c !== undefined) cells[c] = jsonCell(value);
      }
    } else {
      const c = index.get('value');
      if (c !== undefined) cells[c] = jsonCell(parsed);
    }
    return cells;
  };
}

const INVALID = Symbol('invalid');

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return INVALID;
  }
}

/** A JSONL row's bytes run to the next row: the line itself ends at the first line break. */
function firstLine(text: string): string {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
  return end < 0 ? text : text.slice(0, end);
}

/** Yields after each stored chunk's worth of rows so the main process keeps answering. */
function* eachRow(index: RowIndex, reader: ChunkReader, parse: RowParser, visit: (row: number, cells: string[]) => void): Steps<void> {
  const n = rowCount(index);
  const { bounds } = index;
  let chunk = -1;
  for (let row = 0; row < n; row++) {
    const c = reader.chunkOf(bounds[row]!);
    if (c !== chunk) {
      if (chunk >= 0) yield;
      chunk = c;
    }
    visit(row, parse(reader.range(bounds[row]!, bounds[row + 1]!)));
  }
}

function* buildIndex(db: Database, artifact: ArtifactSummary, format: TableFormat): Steps<RowIndex> {
  const reader = new ChunkReader(db, artifact.id, []);
  const scanner = new RowScanner(format);
  const chunkStarts: number[] = [];
  let offset = 0;
  for (let c = 0; c < artifact.chunkCount; c++) {
    const data = reader.chunk(c);
    chunkStarts.push(offset);
    scanner.push(data);
    offset += data.length;
    yield;
  }
  chunkStarts.push(offset);
  if (offset !== artifact.size) throw new RwError('INTERNAL', 'The stored chunks do not add up to the artifact.');
  const scanned = scanner.finish();
  const withStarts = new ChunkReader(db, artifact.id, chunkStarts);
  const warnings: string[] = [];
  let columns: string[];
  let starts = scanned.starts;
  if (format === 'jsonl') {
    // Columns are the union of the keys in order of first appearance, which takes one pass over the rows.
    columns = [];
    const seen = new Set<string>();
    let bad = 0;
    let anyValue = false;
    const bounds = Float64Array.from([...starts, scanned.end]);
    const probe: RowIndex = { artifactId: artifact.id, format, columns, warnings, bounds, chunkStarts };
    yield* eachRow(probe, withStarts, (bytes) => [decoder.decode(bytes)], (row, [text]) => {
      const parsed = parseJson(firstLine(text!));
      if (parsed === INVALID) {
        bad += 1;
        if (warnings.length < MAX_WARNINGS) warnings.push(`Row ${row + 1} is not valid JSON; it is shown as text.`);
      } else if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        for (const key of Object.keys(parsed as Record<string, unknown>)) {
          if (!seen.has(key)) {
            seen.add(key);
            columns.push(key);
          }
        }
      } else if (!anyValue) {
        anyValue = true;
        if (!seen.has('value')) {
          seen.add('value');
          columns.push('value');
        }
      }
    });
    if (bad > MAX_WARNINGS) warnings.push(moreInvalidWarning(bad - MAX_WARNINGS));
    if (bad > 0) columns.push(UNPARSED_COLUMN);
  } else {
    if (scanned.unclosedQuote) warnings.push(UNCLOSED_QUOTE_WARNING);
    const header = starts.length > 0 ? parseRecords(decoder.decode(withStarts.range(starts[0]!, starts[1] ?? scanned.end)), format === 'tsv' ? '\t' : ',').records[0] ?? [] : [];
    starts = starts.slice(1);
    let ragged = 0;
    let widest = header.length;
    for (let r = 1; r < scanned.fieldCounts.length; r++) {
      const fields = scanned.fieldCounts[r]!;
      if (fields !== header.length) ragged += 1;
      if (fields > widest) widest = fields;
    }
    if (ragged > 0) warnings.push(raggedWarning(ragged, header.length));
    columns = columnNames(header, widest);
  }
  return { artifactId: artifact.id, format, columns, warnings, bounds: Float64Array.from([...starts, scanned.end]), chunkStarts };
}

/** Stores an index in one transaction; skipped (kept in memory only) while another holds the connection. */
function storeIndex(db: Database, index: RowIndex, now: number): void {
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch {
    return;
  }
  try {
    writeIndexRows(db, index, now);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

/** The index rows, inside the caller's transaction. */
function writeIndexRows(db: Database, index: RowIndex, now: number): void {
  {
    db.prepare('DELETE FROM artifact_row_chunks WHERE artifact_id = ?').run([index.artifactId]);
    db.prepare('DELETE FROM artifact_row_index WHERE artifact_id = ?').run([index.artifactId]);
    db.prepare('INSERT INTO artifact_row_index(artifact_id, version, format, row_count, columns_json, warnings_json, built_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run([
      index.artifactId,
      ROW_INDEX_VERSION,
      index.format,
      rowCount(index),
      JSON.stringify(index.columns),
      JSON.stringify(index.warnings),
      now,
    ]);
    const insert = db.prepare('INSERT INTO artifact_row_chunks(artifact_id, chunk, byte_start, first_row, offsets) VALUES (?, ?, ?, ?, ?)');
    const n = rowCount(index);
    let row = 0;
    for (let c = 0; c < index.chunkStarts.length - 1; c++) {
      const base = index.chunkStarts[c]!;
      const next = index.chunkStarts[c + 1]!;
      const first = row;
      while (row < n && index.bounds[row]! < next) row++;
      const offsets = new Uint32Array(row - first);
      for (let r = first; r < row; r++) offsets[r - first] = index.bounds[r]! - base;
      insert.run([index.artifactId, c, base, first, offsets.length > 0 ? new Uint8Array(offsets.buffer) : null]);
    }
  }
}

/**
 * Indexes a table artifact as it is imported, inside the import's transaction (which can read the
 * chunks it has just written), so the first open needs no scan. Other artifacts are left alone.
 */
export async function indexImportedTable(db: Database, artifact: ArtifactSummary, now: number): Promise<void> {
  const format = tableFormatOf(artifact.mediaType, artifact.path);
  if (!format) return;
  let index: RowIndex;
  try {
    index = await runInTurns(buildIndex(db, artifact, format));
  } catch {
    // Reading back what was just written failed: the viewer builds the index on first open instead.
    return;
  }
  writeIndexRows(db, index, now);
}

function loadIndex(db: Database, artifact: ArtifactSummary, format: TableFormat): RowIndex | null {
  const meta = db.prepare('SELECT version, format, row_count, columns_json, warnings_json FROM artifact_row_index WHERE artifact_id = ?').get([artifact.id]);
  if (!meta || meta.version !== ROW_INDEX_VERSION || meta.format !== format) return null;
  const count = Number(meta.row_count);
  const bounds = new Float64Array(count + 1);
  const chunkStarts: number[] = [];
  let filled = 0;
  for (const part of db.prepare('SELECT chunk, byte_start, first_row, offsets FROM artifact_row_chunks WHERE artifact_id = ? ORDER BY chunk').all([artifact.id])) {
    const blob = part.offsets ?? new Uint8Array(0);
    const base = Number(part.byte_start);
    if (!(blob instanceof Uint8Array) || Number(part.chunk) !== chunkStarts.length || Number(part.first_row) !== filled) return null;
    chunkStarts.push(base);
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    for (let i = 0; i + 4 <= blob.byteLength; i += 4) {
      if (filled >= count) return null;
      bounds[filled++] = base + view.getUint32(i, true);
    }
  }
  if (filled !== count || chunkStarts.length !== artifact.chunkCount) return null;
  chunkStarts.push(artifact.size);
  bounds[count] = artifact.size;
  return {
    artifactId: artifact.id,
    format,
    columns: JSON.parse(String(meta.columns_json)) as string[],
    warnings: JSON.parse(String(meta.warnings_json)) as string[],
    bounds,
    chunkStarts,
  };
}

const ORDER_CACHE = 8;
const INDEX_CACHE = 8;

export interface TableRowsDeps {
  /** The unlocked content.db; throws VAULT_LOCKED when there is none. */
  contentDb(): Database;
  clock(): number;
  /** Long work in turns with the event loop (the app) or in one go (tests, CLI). */
  inTurns?: boolean;
}

export interface TableRowsService {
  page(request: ArtifactRowsRequest): Promise<{ artifact: ArtifactSummary; page: ArtifactRows }>;
  /** Drops every cached index and order (on lock). */
  forget(): void;
}

export function tableRowsService(deps: TableRowsDeps): TableRowsService {
  // Offsets and row orders only; no content is kept between calls.
  const indexes = new Map<string, RowIndex>();
  const orders = new Map<string, Uint32Array>();
  let generation = 0;
  const run = <T>(steps: Steps<T>): Promise<T> => (deps.inTurns === false ? Promise.resolve(runAll(steps)) : runInTurns(steps));
  const remember = <V>(cache: Map<string, V>, key: string, value: V, max: number) => {
    cache.delete(key);
    cache.set(key, value);
    if (cache.size > max) cache.delete(cache.keys().next().value!);
  };

  async function indexFor(db: Database, artifact: ArtifactSummary, format: TableFormat): Promise<RowIndex> {
    const cached = indexes.get(artifact.id);
    if (cached && cached.format === format) return cached;
    const started = generation;
    let index = loadIndex(db, artifact, format);
    if (!index) {
      index = await run(buildIndex(db, artifact, format));
      // A lock while the scan took turns closed this connection: nothing is stored or kept.
      if (started !== generation) throw new RwError('VAULT_LOCKED', 'The vault was locked while the table was being indexed.');
      storeIndex(db, index, deps.clock());
    }
    remember(indexes, artifact.id, index, INDEX_CACHE);
    return index;
  }

  async function orderFor(db: Database, index: RowIndex, request: ArtifactRowsRequest): Promise<Uint32Array | null> {
    const { sort, filter } = request;
    if (!sort && !filter) return null;
    const key = JSON.stringify([index.artifactId, sort ?? null, filter ?? null]);
    const cached = orders.get(key);
    if (cached) return cached;
    const width = index.columns.length;
    if ((sort && sort.column >= width) || (filter?.column !== undefined && filter.column >= width)) throw new RwError('INVALID_INPUT', 'No such column.');
    const started = generation;
    const reader = new ChunkReader(db, index.artifactId, index.chunkStarts);
    const parse = rowParser(index.format, index.columns);
    const needle = filter?.text.toLowerCase();
    const kept: number[] = [];
    const keys: string[] = [];
    await run(
      eachRow(index, reader, parse, (row, cells) => {
        if (needle !== undefined) {
          const hit = filter?.column !== undefined ? (cells[filter.column] ?? '').toLowerCase().includes(needle) : cells.some((c) => c.toLowerCase().includes(needle));
          if (!hit) return;
        }
        kept.push(row);
        if (sort) keys.push(cells[sort.column] ?? '');
      }),
    );
    if (started !== generation) throw new RwError('VAULT_LOCKED', 'The vault was locked while the table was being sorted.');
    let order: Uint32Array = Uint32Array.from(kept);
    if (sort) order = sortRows(kept, keys, sort.direction);
    remember(orders, key, order, ORDER_CACHE);
    return order;
  }

  return {
    async page(request) {
      const db = deps.contentDb();
      const artifact = getArtifact(db, request.artifactId);
      const format = tableFormatOf(artifact.mediaType, artifact.path);
      if (!format) throw new RwError('INVALID_INPUT', 'This artifact is not a table.');
      const index = await indexFor(db, artifact, format);
      const order = await orderFor(db, index, request);
      const matched = order ? order.length : rowCount(index);
      const reader = new ChunkReader(db, artifact.id, index.chunkStarts);
      const parse = rowParser(index.format, index.columns);
      const rows: ArtifactRows['rows'] = [];
      const end = Math.min(matched, request.offset + request.limit);
      for (let i = request.offset; i < end; i++) {
        const row = order ? order[i]! : i;
        rows.push({ row: row + 1, cells: parse(reader.range(index.bounds[row]!, index.bounds[row + 1]!)) });
      }
      return {
        artifact,
        page: { artifactId: artifact.id, format, columns: index.columns, warnings: index.warnings, totalRows: rowCount(index), matchedRows: matched, offset: request.offset, rows },
      };
    },
    forget() {
      generation += 1;
      indexes.clear();
      orders.clear();
    },
  };
}

/**
 * Numbers sort as numbers when every non-empty cell of the column is one, else as text (case folded,
 * by code unit: the same order on every machine). Empty cells go last either way; ties keep file order.
 */
export function sortRows(rows: readonly number[], keys: readonly string[], direction: 'asc' | 'desc'): Uint32Array {
  const n = rows.length;
  const positions = Array.from({ length: n }, (_, i) => i);
  const numeric = keys.every((k) => k.trim() === '' || Number.isFinite(Number(k)));
  const sign = direction === 'asc' ? 1 : -1;
  if (numeric) {
    const values = Float64Array.from(keys, (k) => (k.trim() === '' ? Number.NaN : Number(k)));
    positions.sort((a, b) => {
      const x = values[a]!;
      const y = values[b]!;
      const xe = Number.isNaN(x);
      const ye = Number.isNaN(y);
      if (xe || ye) return xe === ye ? a - b : xe ? 1 : -1;
      return x === y ? a - b : (x < y ? -1 : 1) * sign;
    });
  } else {
    const folded = keys.map((k) => k.toLowerCase());
    positions.sort((a, b) => {
      const x = folded[a]!;
      const y = folded[b]!;
      if (x === '' || y === '') return x === y ? a - b : x === '' ? 1 : -1;
      return x === y ? a - b : (x < y ? -1 : 1) * sign;
    });
  }
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = rows[positions[i]!]!;
  return out;
}
