/**
 * Indexes a case's artifacts, reading each back from its chunk rows. Called by the importer inside
 * its transaction, so a case is searchable exactly when it exists: a refused or failed import leaves
 * no index rows either. Hands the event loop back every few milliseconds, so the main process keeps
 * answering the window while a large package is indexed; reports progress in artifact bytes.
 */
import type { Database } from '@signalapp/sqlcipher';
import { RwError } from '../../src-shared/errors';
import { indexerFor, type ArtifactBytes, type ArtifactIndexer, type ArtifactInfo } from './artifact-indexers';
import { UnitWriter, type SourceStatus } from './search-units';

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
}

export interface IndexSummary {
  artifacts: number;
  units: number;
  textChars: number;
  unreadable: number;
}

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

export async function indexCaseArtifacts(db: Database, caseId: string, options: IndexOptions): Promise<IndexSummary> {
  const rows = db.prepare('SELECT id, path, size, media_type, chunk_count FROM artifacts WHERE case_id = ? ORDER BY path').all([caseId]);
  const bytesTotal = rows.reduce((n, r) => n + Number(r.size), 0);
  const writer = new UnitWriter(db);
  const sliceMs = options.sliceMs ?? 20;
  const summary: IndexSummary = { artifacts: 0, units: 0, textChars: 0, unreadable: 0 };
  let bytesDone = 0;
  let sliceStart = performance.now();
  options.onProgress?.({ bytesDone, bytesTotal });
  for (const row of rows) {
    const artifact: ArtifactInfo = { id: String(row.id), caseId, path: String(row.path), size: Number(row.size), mediaType: String(row.media_type) };
    const indexer = indexerFor(options.indexers, artifact);
    const source = { caseId, kind: indexer?.kind ?? 'text', sourceId: artifact.id, artifactId: artifact.id } as const;
    writer.remove(artifact.id);
    let units = 0;
    let chars = 0;
    let status: SourceStatus = 'no-text';
    let storeFailed = false;
    if (indexer) {
      try {
        for await (const unit of indexer.units(artifactBytes(db, artifact, Number(row.chunk_count)), artifact)) {
          let added: number;
          try {
            added = writer.add(source, unit);
          } catch {
            storeFailed = true;
            throw new RwError('INTERNAL', 'The search index could not be written.');
          }
          if (added > 0) {
            units++;
            chars += added;
          }
          if (performance.now() - sliceStart >= sliceMs) {
            await yieldToEventLoop();
            sliceStart = performance.now();
          }
        }
        status = units > 0 ? 'indexed' : 'no-text';
      } catch (error) {
        // A file the indexer cannot read (a damaged PDF) is still imported and viewable; it is
        // marked unreadable, and whatever units it gave before failing stay searchable.
        if (storeFailed || (error instanceof RwError && error.code === 'VAULT_DAMAGED')) throw error;
        status = 'unreadable';
        summary.unreadable++;
      }
    }
    writer.finish(source, units, chars, status, options.clock());
    summary.artifacts++;
    summary.units += units;
    summary.textChars += chars;
    bytesDone += artifact.size;
    options.onProgress?.({ bytesDone, bytesTotal });
  }
  return summary;
}
