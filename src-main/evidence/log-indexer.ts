/**
 * The search index's plug-in for Inspect evaluation logs: one unit per sample (its input, messages and
 * tool calls, output, and scorer answers and explanations), read with `iterateSampleTexts` over the
 * artifact's chunks in content.db (never a plaintext copy). A unit's `loc` is `sample` with the epoch as
 * its number and the sample id as its label, which is what the evidence screen needs to open it.
 * A `.json` artifact is taken only when it begins as Inspect writes its logs (`{"version": N,
 * "status": …`); any other JSON, and a log that then fails to open, is indexed as JSON text by the
 * built-in indexer's rules. An `.eval` archive that cannot be read is reported unreadable.
 */
import { RwError } from '../../src-shared/errors';
import type { SampleText } from '../../src-shared/evidence/transcript';
import { jsonIndexer, type ArtifactBytes, type ArtifactIndexer, type ArtifactInfo } from '../search/artifact-indexers';
import type { UnitDraft } from '../search/search-units';
import { ARTIFACT_CHUNK_SIZE } from '../vault/content-schema';
import { chunkedSource, type LogSource } from './log-source';
import { iterateSampleTexts } from './sample-texts';
import { isEvidenceLogPath } from './vault-log-source';

function sourceOf(bytes: ArtifactBytes, artifact: ArtifactInfo): LogSource {
  return chunkedSource({ size: bytes.size, chunkSize: ARTIFACT_CHUNK_SIZE, readChunk: (index) => bytes.chunk(index) }, artifact.path);
}

function unitOf(sample: SampleText): UnitDraft {
  return {
    text: [sample.input, sample.messages, sample.output, sample.explanations].filter((t) => t.length > 0).join('\n'),
    loc: { kind: 'sample', n: sample.epoch },
    label: String(sample.id),
  };
}

async function* sampleUnits(bytes: ArtifactBytes, artifact: ArtifactInfo): AsyncGenerator<UnitDraft> {
  const samples = iterateSampleTexts(sourceOf(bytes, artifact));
  let first: IteratorResult<SampleText>;
  try {
    first = await samples.next();
  } catch (error) {
    // Not an Inspect log after all: a .json document is still searchable as its text.
    if (!/\.json$/i.test(artifact.path) || (error instanceof RwError && error.code === 'VAULT_DAMAGED')) throw error;
    yield* jsonIndexer.units(bytes, artifact);
    return;
  }
  if (first.done) return;
  yield unitOf(first.value);
  for await (const sample of samples) yield unitOf(sample);
}

export const inspectLogIndexer: ArtifactIndexer = {
  name: 'inspect-log',
  kind: 'log',
  accepts: (a) => isEvidenceLogPath(a.path),
  // A zip for .eval; Inspect's own key order for .json (its writer puts version and status first).
  sniff: (head) => (head[0] === 0x50 && head[1] === 0x4b) || /^\s*\{\s*"version"\s*:\s*\d+\s*,\s*"status"\s*:/.test(new TextDecoder().decode(head.subarray(0, 256))),
  units: sampleUnits,
};
