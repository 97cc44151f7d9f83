/**
 * The importing thread's side of the extraction thread (extract-worker.ts). A large import's indexing is
 * two stages: reading the artifacts' text (pdf.js, cutting, identifiers) and writing the index (the units
 * table and both FTS5 indexes, on the one connection that holds the import's transaction). On one thread
 * they add up; here the thread runs the first while this one reads the next artifacts' chunks and writes
 * the units that came back, so on two cores an import takes about as long as the slower stage. Only the
 * app's own indexers run there (the thread loads them itself, by name); any other indexer runs on the
 * calling thread. The thread is started for one import and ended with it.
 */
import type { Worker } from 'node:worker_threads';
import { RwError } from '../../src-shared/errors';
import { startThread } from '../audit/start-thread';
import { appIndexers } from './app-indexers';
import type { ArtifactIndexer, ArtifactInfo } from './artifact-indexers';
import type { ExtractWorkerData, FromExtract, ToExtract, UnitBatch } from './extract-worker';

const THREAD_FAILED = 'The search index could not be built.';

/** One artifact handed to the thread: its batches of units as they come, then whether it was readable. */
export class ExtractJob {
  private readonly queue: FromExtract[] = [];
  private wake: (() => void) | null = null;
  private failed = false;

  constructor(readonly bytes: number) {}

  /** Called by the thread's message handler. */
  push(message: FromExtract | 'failed'): void {
    if (message === 'failed') this.failed = true;
    else this.queue.push(message);
    this.wake?.();
    this.wake = null;
  }

  /** Yields the unit batches in order; returns whether the indexer read the whole file. */
  async *batches(): AsyncGenerator<UnitBatch, boolean> {
    for (;;) {
      const message = this.queue.shift();
      if (message?.type === 'units') yield message.batch;
      else if (message?.type === 'done') return message.readable;
      else if (this.failed) throw new RwError('INTERNAL', THREAD_FAILED);
      else await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

export class ExtractThread {
  private readonly jobs = new Map<number, ExtractJob>();
  private readonly known: ReadonlyMap<string, ArtifactIndexer>;
  private next = 1;
  private ended = false;

  private constructor(private readonly worker: Worker) {
    this.known = new Map(appIndexers().map((i) => [i.name, i]));
    worker.on('message', (message: FromExtract) => {
      const job = this.jobs.get(message.job);
      if (message.type === 'done') this.jobs.delete(message.job);
      job?.push(message);
    });
    // Its error may carry a file's text: it is not logged, the import fails as a whole.
    const fail = () => {
      this.ended = true;
      for (const job of this.jobs.values()) job.push('failed');
      this.jobs.clear();
    };
    worker.on('error', fail);
    worker.on('exit', fail);
  }

  /** The thread, or null when it cannot be started (the caller then reads on its own thread). */
  static start(): ExtractThread | null {
    try {
      return new ExtractThread(startThread('search-extract-worker', { workerData: { role: 'search-extract' } satisfies ExtractWorkerData }));
    } catch {
      return null;
    }
  }

  /** Whether the thread runs this indexer: the very same one, from the app's list. */
  takes(indexer: ArtifactIndexer): boolean {
    return !this.ended && this.known.get(indexer.name) === indexer;
  }

  submit(info: ArtifactInfo, indexer: ArtifactIndexer, chunks: Uint8Array[]): ExtractJob {
    const job = new ExtractJob(info.size);
    if (this.ended) {
      job.push('failed');
      return job;
    }
    const id = this.next++;
    this.jobs.set(id, job);
    this.worker.postMessage({ job: id, info, indexer: indexer.name, chunks } satisfies ToExtract);
    return job;
  }

  async close(): Promise<void> {
    this.ended = true;
    this.jobs.clear();
    await this.worker.terminate();
  }
}
