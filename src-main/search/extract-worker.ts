/**
 * The extraction thread of a large import's indexing (extract-thread.ts): it gets an artifact's bytes
 * (already read back and decrypted by the importing thread, which holds the connection and the key) and
 * the name of the indexer chosen for it, runs that indexer (pdf.js, text cutting, Inspect log samples),
 * cuts each unit to its indexed length and extracts its identifiers, and posts the units back in batches
 * as plain strings, while the importing thread writes the previous batches into the index. It holds no
 * key and no connection; the text it handles never leaves the process.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { identifiersIn } from '../../src-shared/search/identifiers';
import { appIndexers } from './app-indexers';
import type { ArtifactBytes, ArtifactInfo } from './artifact-indexers';
import { unitText, type LocKind } from './search-units';

export interface ExtractWorkerData {
  role: 'search-extract';
}

/** One artifact to read: `chunks` are its stored chunks in order, all of them. */
export interface ToExtract {
  job: number;
  info: ArtifactInfo;
  /** The indexer's name among appIndexers(): the importing thread chose it (with the file's first bytes). */
  indexer: string;
  chunks: Uint8Array[];
}

/** Units of one artifact, in order, as parallel arrays (cheaper to copy between threads than objects). */
export interface UnitBatch {
  texts: string[];
  idents: string[];
  locKinds: Array<LocKind | null>;
  locs: Array<number | null>;
  labels: Array<string | null>;
}

/** Batches of a job, then its end: `readable` false when the indexer failed (the units sent before stay). */
export type FromExtract = { type: 'units'; job: number; batch: UnitBatch } | { type: 'done'; job: number; readable: boolean };

/** Units or characters gathered before a batch is posted. */
const BATCH_UNITS = 256;
const BATCH_CHARS = 512 * 1024;

const emptyBatch = (): UnitBatch => ({ texts: [], idents: [], locKinds: [], locs: [], labels: [] });

function bytesOf(info: ArtifactInfo, chunks: Uint8Array[]): ArtifactBytes {
  return {
    size: info.size,
    chunks: () => chunks,
    chunk: (index) => chunks[index] ?? new Uint8Array(0),
    all: () => {
      const out = new Uint8Array(info.size);
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.byteLength;
      }
      return out;
    },
  };
}

async function extract(port: NonNullable<typeof parentPort>, message: ToExtract): Promise<void> {
  const indexer = appIndexers().find((i) => i.name === message.indexer);
  let batch = emptyBatch();
  let chars = 0;
  const post = () => {
    if (batch.texts.length === 0) return;
    port.postMessage({ type: 'units', job: message.job, batch } satisfies FromExtract);
    batch = emptyBatch();
    chars = 0;
  };
  let readable = indexer !== undefined;
  try {
    if (indexer) {
      for await (const unit of indexer.units(bytesOf(message.info, message.chunks), message.info)) {
        const text = unitText(unit);
        if (text === null) continue;
        batch.texts.push(text);
        batch.idents.push(identifiersIn(text));
        batch.locKinds.push(unit.loc?.kind ?? null);
        batch.locs.push(unit.loc?.n ?? null);
        batch.labels.push(unit.label ?? null);
        chars += text.length;
        if (batch.texts.length >= BATCH_UNITS || chars >= BATCH_CHARS) post();
      }
    }
  } catch {
    // The file's fault (a damaged PDF): what was read stays searchable, the artifact is marked unreadable.
    readable = false;
  }
  post();
  port.postMessage({ type: 'done', job: message.job, readable } satisfies FromExtract);
}

function serve(port: NonNullable<typeof parentPort>): void {
  // One artifact at a time, in the order they came: the importing thread writes them in that order.
  let queue = Promise.resolve();
  port.on('message', (message: ToExtract) => {
    queue = queue.then(() => extract(port, message));
  });
}

// Only as the extraction thread: another thread that loads this module (through an import) is left alone.
const data = workerData as Partial<ExtractWorkerData> | null;
if (parentPort && data?.role === 'search-extract') serve(parentPort);
