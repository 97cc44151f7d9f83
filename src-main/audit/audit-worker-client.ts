/**
 * The main side of the audit worker (audit-worker.ts; see ARCHITECTURE: access log): starts it with the
 * path and a copy of audit.db's key, sends it the console's questions and resolves each answer. The
 * worker holds a reference on the event loop only while a question is pending, so an idle worker never
 * keeps a process (a test run, rwctl) alive; the session's lock closes it.
 */
import type { Worker } from 'node:worker_threads';
import { ERROR_CODES, RwError, type ErrorCode } from '../../src-shared/errors';
import type { ConsoleAnswers, ConsoleOp, ConsoleRequest, VerifyProgress } from './audit-console';
import type { AuditWorkerData, FromWorker, ToWorker } from './audit-worker';
import { startThread } from './start-thread';

/** How long a closing worker may take to close its connection before it is terminated. */
const CLOSE_GRACE_MS = 2000;

function startWorker(data: AuditWorkerData): Worker {
  return startThread('audit-worker', { workerData: data, transferList: [data.key.buffer as ArrayBuffer] });
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
