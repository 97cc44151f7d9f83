/**
 * An evaluation log stored in the vault, read in place: each 1 MiB chunk is fetched from the
 * SQLCipher content.db when the reader needs it (at most two kept), so the log's plaintext exists
 * only in memory, a chunk at a time, and never in a temporary file.
 */
import type { Database } from '@signalapp/sqlcipher';
import { RwError } from '../../src-shared/errors';
import { getArtifact } from '../artifacts/case-queries';
import { ARTIFACT_CHUNK_SIZE } from '../vault/content-schema';
import { chunkedSource, type LogSource } from './log-source';

export function vaultLogSource(db: Database, artifactId: string): LogSource {
  const artifact = getArtifact(db, artifactId);
  const select = db.prepare('SELECT data FROM artifact_chunks WHERE artifact_id = ? AND seq = ?');
  return chunkedSource(
    {
      size: artifact.size,
      chunkSize: ARTIFACT_CHUNK_SIZE,
      readChunk(index) {
        const data = select.get([artifactId, index])?.data;
        if (!(data instanceof Uint8Array)) throw new RwError('INTERNAL', 'A stored chunk is missing.');
        return data;
      },
    },
    artifact.path,
  );
}

/** Artifacts that look like Inspect logs by name: `.eval` archives and `.json` documents. */
export function isEvidenceLogPath(path: string): boolean {
  return /\.eval$/i.test(path) || /\.json$/i.test(path);
}
