/**
 * The main side of the audit worker (audit-worker.ts; see ARCHITECTURE: access log): starts it with the
 * path and a copy of audit.db's key, sends it the console's questions and resolves each answer. The
 * worker holds a reference on the event loop only while a question is pending, so an idle worker never
 * keeps a process (a test run, rwctl) alive; the session's lock closes it.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ERROR_CODES, RwError, type ErrorCode } from '../../src-shared/errors';
import type { ConsoleAnswers, ConsoleOp, ConsoleRequest, VerifyProgress } from './audit-console';
import type { AuditWorkerData, FromWorker, ToWorker } from './audit-worker';

/** How long a closing worker may take to close its connection before it is terminated. */
const CLOSE_GRACE_MS = 2000;

/**
 * The worker's code: the built file beside the bundle (electron-vite writes `audit-worker.js` next to the
 * main entry; a shared chunk sits one folder down), else the TypeScript source through tsx (tests, the
 * preview and benches run from source; tsx is a development dependency only).
 */
function startWorker(data: AuditWorkerData): Worker {
  const options = { workerData: data, transferList: [data.key.buffer as ArrayBuffer] };
  for (const candidate of ['./audit-worker.js', '../audit-worker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return new Worker(url, options);
  }
  const source = new URL('./audit-worker.ts', import.meta.url);
  if (!existsSync(fileURLToPath(source))) throw new RwError('INTERNAL', 'The audit worker is missing from this build.');
  // The ES module build of tsx's API (the CommonJS one registers its hooks by a path that does not exist).
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => m.tsImport(${JSON.stringify(source.href)}, ${JSON.stringify(source.href)}))`;
  return new Worker(boot, { ...options, eval: true });
}

function toRwError(code: string, message: string): RwError {
  return new RwError((ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'INTERNAL', message);
}

interface Pending {
  resolve(answer: unknown): void;
  reject(error: Error): void;
  progress?: VerifyProgress;
}

export class AuditWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  readonly #ready: Promise<void>;
  #next = 1;
  #ended: RwError | null = null;
  readonly #exited: Promise<void>;

  /** Starts a worker over audit.db at `path`; `key` is moved to the worker (this side's copy is gone). */
  constructor(reader: { path: string; key: Uint8Array }) {
    // A copy of its own, transferred: no second copy of the key stays on this thread.
    const key = Uint8Array.from(reader.key);
    reader.key.fill(0);
    this.#worker = startWorker({ path: reader.path, key });
    this.#worker.unref();
    let ready!: () => void;
    let failed!: (error: Error) => void;
    this.#ready = new Promise<void>((resolve, reject) => {
      ready = resolve;
      failed = reject;
    });
    // Nobody may be waiting yet; a failure is seen by the first question.
    this.#ready.catch(() => undefined);
    this.#worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'ready':
          ready();
          return;
        case 'failed':
          this.#end(toRwError(message.code, message.message));
          failed(this.#ended!);
          return;
        case 'progress':
          this.#pending.get(message.id)?.progress?.(message.done, message.total);
          return;
        case 'answer':
        case 'error': {
          const pending = this.#pending.get(message.id);
          if (!pending) return;
          this.#pending.delete(message.id);
          if (this.#pending.size === 0) this.#worker.unref();
          if (message.type === 'answer') pending.resolve(message.answer);
          else pending.reject(toRwError(message.code, message.message));
        }
      }
    });
    this.#worker.on('error', () => {
      this.#end(new RwError('INTERNAL', 'The audit worker stopped.'));
      failed(this.#ended!);
    });
    this.#exited = new Promise((resolve) =>
      this.#worker.once('exit', () => {
        this.#end(new RwError('INTERNAL', 'The audit worker stopped.'));
        failed(this.#ended!);
        resolve();
      }),
    );
  }

  /** False once the worker failed, stopped or was closed: the caller starts a new one. */
  get alive(): boolean {
    return this.#ended === null;
  }

  async ask<O extends ConsoleOp>(request: Extract<ConsoleRequest, { op: O }>, progress?: VerifyProgress): Promise<ConsoleAnswers[O]> {
    if (this.#ended) throw this.#ended;
    await this.#ready;
    if (this.#ended) throw this.#ended;
    const id = this.#next++;
    const answer = new Promise<unknown>((resolve, reject) => this.#pending.set(id, { resolve, reject, ...(progress ? { progress } : {}) }));
    this.#worker.ref();
    this.#worker.postMessage({ type: 'ask', id, request } satisfies ToWorker);
    return answer as Promise<ConsoleAnswers[O]>;
  }

  /**
   * Closes the worker's connection and ends it (terminated if it does not end in time). Questions still
   * pending are refused with `reason` (VAULT_LOCKED at a lock). Resolves once the thread has exited.
   */
  close(reason: RwError = new RwError('VAULT_LOCKED', 'The vault was locked.')): Promise<void> {
    this.#end(reason);
    // Referenced until it has exited: a caller awaiting the close (a bench at top level) must not see
    // its process end first with the promise unsettled.
    this.#worker.ref();
    this.#worker.postMessage({ type: 'close' } satisfies ToWorker);
    const timer = setTimeout(() => void this.#worker.terminate(), CLOSE_GRACE_MS);
    timer.unref();
    return this.#exited.finally(() => clearTimeout(timer));
  }

  #end(reason: RwError): void {
    if (!this.#ended) this.#ended = reason;
    for (const pending of this.#pending.values()) pending.reject(this.#ended);
    this.#pending.clear();
    this.#worker.unref();
  }
}
