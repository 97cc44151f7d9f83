/** The indexers the app uses: evaluation logs (a plug-in from evidence/) ahead of the built-in formats. */
import { inspectLogIndexer } from '../evidence/log-indexer';
import { createIndexers, type ArtifactIndexer } from './artifact-indexers';

export function appIndexers(): readonly ArtifactIndexer[] {
  return createIndexers([inspectLogIndexer]);
}
