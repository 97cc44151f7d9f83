/**
 * How an artifact's text gets into the index: an indexer per format, chosen by the media type the
 * importer sniffed (and the name, for text). A new source plugs in by handing createIndexers() an
 * indexer that accepts its artifacts; extra indexers are asked first, so an Inspect evaluation log
 * reader (one unit per sample: input, messages, output, scorer explanations, with `loc: sample`)
 * takes `.eval` and log `.json` files before the generic JSON indexer does.
 */
import type { SearchKind } from '../../src-shared/search/search-kinds';
import { pdfPages } from './pdf-units';
import type { UnitDraft } from './search-units';
import { delimitedRows, jsonLineRows, lineBlocks, linesOf, markdownHeading } from './text-units';

export interface ArtifactInfo {
  id: string;
  caseId: string;
  /** The path in the package. */
  path: string;
  mediaType: string;
  size: number;
}

/** The artifact's stored bytes, read back from content.db inside the import transaction. */
export interface ArtifactBytes {
  size: number;
  /** The 1 MiB chunks in order (streaming formats). */
  chunks(): Iterable<Uint8Array>;
  /** One chunk by its number (random-access formats: the evaluation log reader). */
  chunk(index: number): Uint8Array;
  /** The whole file (formats that need it all: PDF, zip). */
  all(): Uint8Array;
}

export interface ArtifactIndexer {
  /** For the index status and diagnostics. */
  name: string;
  kind: SearchKind;
  accepts(artifact: ArtifactInfo): boolean;
  /** When present, also asked with the file's first bytes (a `.json` may or may not be an evaluation log). */
  sniff?(head: Uint8Array): boolean;
  units(bytes: ArtifactBytes, artifact: ArtifactInfo): Iterable<UnitDraft> | AsyncIterable<UnitDraft>;
}

function typeOf(artifact: ArtifactInfo): string {
  return artifact.mediaType.split(';')[0]!.trim().toLowerCase();
}

function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1);
}

const isType = (...types: string[]) => (a: ArtifactInfo) => types.includes(typeOf(a));

export const pdfIndexer: ArtifactIndexer = {
  name: 'pdf',
  kind: 'pdf',
  accepts: isType('application/pdf'),
  units: (bytes) => pdfPages(bytes.all()),
};

export const markdownIndexer: ArtifactIndexer = {
  name: 'markdown',
  kind: 'md',
  accepts: (a) => typeOf(a) === 'text/markdown' || (typeOf(a).startsWith('text/') && ['md', 'markdown'].includes(extensionOf(a.path))),
  units: (bytes) => lineBlocks(linesOf(bytes.chunks()), markdownHeading),
};

export const csvIndexer: ArtifactIndexer = {
  name: 'csv',
  kind: 'csv',
  accepts: (a) => typeOf(a) === 'text/csv' || (typeOf(a).startsWith('text/') && extensionOf(a.path) === 'csv'),
  units: (bytes) => delimitedRows(bytes.chunks(), ','),
};

export const tsvIndexer: ArtifactIndexer = {
  name: 'tsv',
  kind: 'csv',
  accepts: (a) => typeOf(a) === 'text/tab-separated-values' || (typeOf(a).startsWith('text/') && extensionOf(a.path) === 'tsv'),
  units: (bytes) => delimitedRows(bytes.chunks(), '\t'),
};

export const jsonLinesIndexer: ArtifactIndexer = {
  name: 'jsonl',
  kind: 'jsonl',
  accepts: (a) => ['application/jsonl', 'application/x-ndjson'].includes(typeOf(a)) || (typeOf(a).startsWith('text/') && ['jsonl', 'ndjson'].includes(extensionOf(a.path))),
  units: (bytes) => jsonLineRows(linesOf(bytes.chunks())),
};

/** JSON as its raw text, by line: the JSON viewer shows the raw text when opened at a line. */
export const jsonIndexer: ArtifactIndexer = {
  name: 'json',
  kind: 'json',
  accepts: isType('application/json'),
  units: (bytes) => lineBlocks(linesOf(bytes.chunks())),
};

export const textIndexer: ArtifactIndexer = {
  name: 'text',
  kind: 'text',
  accepts: (a) => typeOf(a).startsWith('text/'),
  units: (bytes) => lineBlocks(linesOf(bytes.chunks())),
};

export const BUILT_IN_INDEXERS: readonly ArtifactIndexer[] = [pdfIndexer, markdownIndexer, csvIndexer, tsvIndexer, jsonLinesIndexer, jsonIndexer, textIndexer];

/** The indexers in the order they are asked: plug-ins (evidence logs, …) first, then the built-in ones. */
export function createIndexers(extra: readonly ArtifactIndexer[] = []): readonly ArtifactIndexer[] {
  return [...extra, ...BUILT_IN_INDEXERS];
}

/** `head`: the file's first bytes, read only if an indexer sniffs. */
export function indexerFor(indexers: readonly ArtifactIndexer[], artifact: ArtifactInfo, head: () => Uint8Array = () => new Uint8Array(0)): ArtifactIndexer | null {
  let first: Uint8Array | undefined;
  return indexers.find((i) => i.accepts(artifact) && (!i.sniff || i.sniff((first ??= head())))) ?? null;
}
