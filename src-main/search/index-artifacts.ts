/**
 * Indexes a case's artifacts, reading each back from its chunk rows. Called by the importer inside
 * its transaction, so a case is searchable exactly when it exists: a refused or failed import leaves
 * no index rows either. Hands the event loop back every few milliseconds, so the main process keeps
 * answering the window while a large package is indexed; reports progress in artifact bytes.
 * A large import reads the artifacts' text on the extraction thread (extract-thread.ts) while this
 * thread writes the index: this thread reads (and decrypts) the chunks of the artifacts ahead, hands
 * them over, and writes each artifact's units, in artifact order, as they come back.
 */
import type { Database } from '@signalapp/sqlcipher';
import { RwError } from '../../src-shared/errors';
import { indexerFor, type ArtifactBytes, type ArtifactIndexer, type ArtifactInfo } from './artifact-indexers';
import { ExtractThread, type ExtractJob } from './extract-thread';
import { IMPORT_BATCH_UNITS, UnitWriter, type SourceRef, type SourceStatus, type UnitDraft } from './search-units';

export interface IndexProgress {
  bytesDone: number;
  bytesTotal: number;
}

export interface IndexOptions {
  indexers: readonly ArtifactIndexer[];
  clock: () => number;
  onProgress?: (progress: IndexProgress) => void;
  /** Milliseconds of work between yields to the event loop. */
  sliceMs?: number;
  /** Artifact bytes from which the extraction thread is used (default THREAD_MIN_BYTES). */
  threadMinBytes?: number;
}

export interface IndexSummary {
  artifacts: number;
  units: number;
  textChars: number;
  unreadable: number;
}

/** How much of a file an indexer may sniff before it is chosen. */
const HEAD_BYTES = 4096;

/**
 * Below this many artifact bytes an import reads its text on this thread: starting the extraction
 * thread (loading pdf.js and the indexers again there) costs more than a small package saves.
 */
export const THREAD_MIN_BYTES = 8 * 1024 * 1024;

/**
 * Bytes of artifacts handed to the extraction thread and not yet written: enough that the thread never
 * waits for the next file, few enough that memory holds a bounded share of a large package.
 */
const READ_AHEAD_BYTES = 32 * 1024 * 1024;

/** A larger artifact is read here, a chunk at a time, rather than handed over whole. */
const THREAD_MAX_ARTIFACT_BYTES = 256 * 1024 * 1024;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function artifactBytes(db: Database, artifact: ArtifactInfo, chunkCount: number): ArtifactBytes {
  const read = db.prepare('SELECT data FROM artifact_chunks WHERE artifact_id = ? AND seq = ?', { pluck: true });
  const chunk = (seq: number): Uint8Array => {
    const data = read.get([artifact.id, seq]);
    if (!(data instanceof Uint8Array)) throw new RwError('VAULT_DAMAGED', 'An artifact chunk is missing.');
    return data;
  };
  return {
    size: artifact.size,
    chunk,
    *chunks() {
      for (let seq = 0; seq < chunkCount; seq++) yield chunk(seq);
    },
    all() {
      const out = new Uint8Array(artifact.size);
      let at = 0;
      for (let seq = 0; seq < chunkCount; seq++) {
        const data = chunk(seq);
        out.set(data, at);
        at += data.byteLength;
      }
      return out;
    },
  };
}

/** An artifact as the indexer reads it from the artifacts table. */
export type ArtifactRow = Record<string, unknown> & { id: unknown; case_id: unknown; path: unknown; size: unknown; media_type: unknown; chunk_count: unknown };

export const ARTIFACT_ROW_COLUMNS = 'id, case_id, path, size, media_type, chunk_count';

export async function indexCaseArtifacts(db: Database, caseId: string, options: IndexOptions): Promise<IndexSummary> {
  const rows = db.prepare(`SELECT ${ARTIFACT_ROW_COLUMNS} FROM artifacts WHERE case_id = ? ORDER BY path`).all([caseId]) as ArtifactRow[];
  return indexArtifactRows(db, rows, options);
}

/** Indexes the given artifacts (replacing whatever the index held for them), in the caller's transaction. */
export async function indexArtifactRows(db: Database, rows: readonly ArtifactRow[], options: IndexOptions): Promise<IndexSummary> {
  const bytesTotal = rows.reduce((n, r) => n + Number(r.size), 0);
  const writer = new UnitWriter(db, IMPORT_BATCH_UNITS);
  const summary: IndexSummary = { artifacts: 0, units: 0, textChars: 0, unreadable: 0 };
  const slicer = new Slicer(options.sliceMs);
  const thread = rows.length > 0 && bytesTotal >= (options.threadMinBytes ?? THREAD_MIN_BYTES) ? ExtractThread.start() : null;
  let bytesDone = 0;
  options.onProgress?.({ bytesDone, bytesTotal });
  // Artifacts handed to the thread and not yet written, in order; null: read here when its turn comes.
  const ahead: Array<{ row: ArtifactRow; handed: HandedArtifact | null }> = [];
  let aheadBytes = 0;
  const writeNext = async () => {
    const { row, handed } = ahead.shift()!;
    writer.remove(String(row.id));
    const add = (source: SourceRef, unit: UnitDraft) => writer.add(source, unit);
    const read = handed ? await writeHanded(handed, writer, slicer) : await readArtifactUnits(db, row, options.indexers, slicer, add);
    writer.finish(read.source, read.units, read.chars, read.status, options.clock());
    count(summary, read);
    if (handed) aheadBytes -= handed.job.bytes;
    bytesDone += Number(row.size);
    options.onProgress?.({ bytesDone, bytesTotal });
  };
  try {
    for (const row of rows) {
      const handed = thread ? handArtifact(db, row, options.indexers, thread) : null;
      ahead.push({ row, handed });
      if (handed) aheadBytes += handed.job.bytes;
      // An artifact read here waits for those handed over before it: units are written in artifact order.
      while (ahead.length > 0 && (aheadBytes > READ_AHEAD_BYTES || ahead.at(-1)!.handed === null)) await writeNext();
    }
    while (ahead.length > 0) await writeNext();
  } finally {
    await thread?.close();
  }
  return summary;
}

interface HandedArtifact {
  source: SourceRef;
  job: ExtractJob;
}

/** Hands the artifact to the thread when the thread runs its indexer; null: it is read here. */
function handArtifact(db: Database, row: ArtifactRow, indexers: readonly ArtifactIndexer[], thread: ExtractThread): HandedArtifact | null {
  const { artifact, bytes, indexer, source } = openArtifact(db, row, indexers);
  if (!indexer || !thread.takes(indexer) || artifact.size > THREAD_MAX_ARTIFACT_BYTES) return null;
  return { source, job: thread.submit(artifact, indexer, [...bytes.chunks()]) };
}

/** Writes the units the thread read from a handed artifact, as they come. */
async function writeHanded(handed: HandedArtifact, writer: UnitWriter, slicer: Slicer): Promise<ArtifactUnits> {
  const read: ArtifactUnits = { source: handed.source, units: 0, chars: 0, status: 'no-text' };
  const batches = handed.job.batches();
  for (;;) {
    const next = await batches.next();
    if (next.done) {
      read.status = !next.value ? 'unreadable' : read.units > 0 ? 'indexed' : 'no-text';
      return read;
    }
    const { texts, idents, locKinds, locs, labels } = next.value;
    try {
      texts.forEach((text, i) => {
        const kind = locKinds[i];
        const label = labels[i];
        writer.addExtracted(handed.source, { text, ...(kind ? { loc: { kind, n: locs[i]! } } : {}), ...(label !== null && label !== undefined ? { label } : {}) }, idents[i]!);
        read.chars += text.length;
      });
    } catch {
      throw new RwError('INTERNAL', 'The search index could not be written.');
    }
    read.units += texts.length;
    await slicer.maybeYield();
  }
}

export function count(summary: IndexSummary, read: ArtifactUnits): void {
  summary.artifacts++;
  summary.units += read.units;
  summary.textChars += read.chars;
  if (read.status === 'unreadable') summary.unreadable++;
}

/** Hands the event loop back once `sliceMs` of work has passed. */
export class Slicer {
  private start = performance.now();
  constructor(private readonly sliceMs = 20) {}
  async maybeYield(): Promise<void> {
    if (performance.now() - this.start < this.sliceMs) return;
    await yieldToEventLoop();
    this.start = performance.now();
  }
}

export interface ArtifactUnits {
  source: SourceRef;
  units: number;
  chars: number;
  status: SourceStatus;
}

/** The artifact's description, its bytes (read from the chunks as they are asked for) and the indexer chosen for it. */
function openArtifact(db: Database, row: ArtifactRow, indexers: readonly ArtifactIndexer[]) {
  const caseId = String(row.case_id);
  const artifact: ArtifactInfo = { id: String(row.id), caseId, path: String(row.path), size: Number(row.size), mediaType: String(row.media_type) };
  const bytes = artifactBytes(db, artifact, Number(row.chunk_count));
  const indexer = indexerFor(indexers, artifact, () => (Number(row.chunk_count) > 0 ? bytes.chunk(0).subarray(0, HEAD_BYTES) : new Uint8Array(0)));
  const source: SourceRef = { caseId, kind: indexer?.kind ?? 'text', sourceId: artifact.id, artifactId: artifact.id };
  return { artifact, bytes, indexer, source };
}

/**
 * Runs the artifact's indexer and hands each unit to `add` (which returns the characters it kept).
 * A file the indexer cannot read (a damaged PDF) is still imported and viewable: it is marked
 * unreadable, and whatever units it gave before failing stay searchable. A failing `add` or a missing
 * chunk is not the file's fault and is thrown.
 */
export async function readArtifactUnits(
  db: Database,
  row: ArtifactRow,
  indexers: readonly ArtifactIndexer[],
  slicer: Slicer,
  add: (source: SourceRef, unit: UnitDraft) => number,
): Promise<ArtifactUnits> {
  const { artifact, bytes, indexer, source } = openArtifact(db, row, indexers);
  const read: ArtifactUnits = { source, units: 0, chars: 0, status: 'no-text' };
  if (!indexer) return read;
  let storeFailed = false;
  try {
    for await (const unit of indexer.units(bytes, artifact)) {
      let added: number;
      try {
        added = add(source, unit);
      } catch {
        storeFailed = true;
        throw new RwError('INTERNAL', 'The search index could not be written.');
      }
      if (added > 0) {
        read.units++;
        read.chars += added;
      }
      await slicer.maybeYield();
    }
    read.status = read.units > 0 ? 'indexed' : 'no-text';
  } catch (error) {
    if (storeFailed || (error instanceof RwError && error.code === 'VAULT_DAMAGED')) throw error;
    read.status = 'unreadable';
  }
  return read;
}
