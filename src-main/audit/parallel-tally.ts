/**
 * The console's aggregates recomputed on a thread of their own (tally-worker.ts) while the verifying
 * thread reads, hashes and checks the leaves: the tally is a third of a verification's work, and the
 * verification's steps stay synchronous (the CLI and the audit worker run them as they are). Leaves are
 * copied into one buffer per batch and moved to the tally thread; at most MAX_IN_FLIGHT batches wait
 * there, so a slow tally holds the reader back instead of filling memory. The answer is read with
 * Atomics.wait and receiveMessageOnPort, without the event loop. The same thread also opens the stored
 * checkpoints (openCheckpoints: their Ed25519 signatures, a quarter of the raw work over a million leaves)
 * in the time the tally leaves it, a few between batches.
 *
 * Anything unexpected (the thread cannot start, fails or stalls) makes finish() or the checkpoints'
 * results() return null: the caller then does that work on its own thread, so the result never depends
 * on the second thread working.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { AggregateTally } from './aggregate-tally';
import { startThread } from './start-thread';
import type { FromTally, TallyWorkerData, ToTally } from './tally-worker';
import type { CheckpointsAside } from './verify-log';

/**
 * Slots of the shared control array: batches in flight, 1 once the tally thread has answered, 1 once it
 * has opened the checkpoints handed to it, and a count it raises as it opens them (a sign of life).
 */
export const IN_FLIGHT = 0;
export const ANSWERED = 1;
export const OPENED = 2;
export const OPENING = 3;

/** Leaves per batch handed over. */
const BATCH = 8192;
const MAX_IN_FLIGHT = 4;
/** No progress for this long (the thread died or never started): give up and count on this thread. */
const STALL_MS = 60_000;

export class ParallelTally {
  readonly #worker: Worker;
  readonly #control: Int32Array;
  readonly #results: MessagePort;
  #failed = false;
  #count = 0;
  #used = 0;
  #bytes = new Uint8Array(BATCH * 512);
  #ends = new Uint32Array(BATCH);
  #seqs = new Float64Array(BATCH);
  #tailSeqs = new Float64Array(BATCH);
  #tailTs = new Float64Array(BATCH);

  private constructor(worker: Worker, control: Int32Array, results: MessagePort) {
    this.#worker = worker;
    this.#control = control;
    this.#results = results;
  }

  /** A tally thread, or null when none can start here (the caller counts on its own thread). */
  static start(): ParallelTally | null {
    const control = new SharedArrayBuffer(16);
    const { port1, port2 } = new MessageChannel();
    try {
      const worker = startThread('tally-worker', { workerData: { control, results: port2 } satisfies TallyWorkerData, transferList: [port2] });
      // Never what keeps a process alive: the verifier waits for it synchronously when it needs it.
      worker.unref();
      worker.on('error', () => undefined);
      return new ParallelTally(worker, new Int32Array(control), port1);
    } catch {
      port1.close();
      return null;
    }
  }

  /** One leaf, in log order, with the tail the verifier read from it (null when it had none). */
  push(seq: number, leaf: Uint8Array, tail: { seq: number; ts: number } | null): void {
    if (this.#failed) return;
    if (this.#used + leaf.length > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(this.#bytes.length * 2, this.#used + leaf.length));
      grown.set(this.#bytes.subarray(0, this.#used));
      this.#bytes = grown;
    }
    const i = this.#count++;
    this.#bytes.set(leaf, this.#used);
    this.#used += leaf.length;
    this.#ends[i] = this.#used;
    this.#seqs[i] = seq;
    this.#tailSeqs[i] = tail ? tail.seq : Number.NaN;
    this.#tailTs[i] = tail ? tail.ts : Number.NaN;
    if (this.#count === BATCH) this.#flush();
  }

  /**
   * Has the thread open these stored checkpoints (as verifySteps opens them) in the time the tally
   * leaves it, between batches; null when the thread is gone (the caller opens them itself).
   */
  openCheckpoints(notes: string[], origin: string, publicKey: Uint8Array): CheckpointsAside | null {
    if (this.#failed) return null;
    this.#worker.postMessage({ type: 'checkpoints', notes, origin, publicKey } satisfies ToTally);
    return {
      results: () => {
        if (this.#failed || !this.#await(OPENED, () => Atomics.load(this.#control, OPENED) === 0 && Atomics.load(this.#control, ANSWERED) === 0)) return null;
        const message = Atomics.load(this.#control, OPENED) === 1 ? (receiveMessageOnPort(this.#results)?.message as FromTally | undefined) : undefined;
        if (message?.type === 'checkpoints') return message.opened;
        this.close();
        return null;
      },
    };
  }

  /** The tally of every leaf pushed, or null when the thread could not give it. Ends the thread. */
  finish(): { tally: AggregateTally; unreadable: number } | null {
    try {
      this.#flush();
      if (this.#failed) return null;
      this.#worker.postMessage({ type: 'finish' } satisfies ToTally);
      if (!this.#await(ANSWERED, () => Atomics.load(this.#control, ANSWERED) === 0)) return null;
      const message = receiveMessageOnPort(this.#results)?.message as FromTally | undefined;
      if (message?.type !== 'tally') return null;
      return { tally: AggregateTally.fromState(message.state), unreadable: message.unreadable };
    } finally {
      this.close();
    }
  }

  /** Ends the thread without an answer (a verification that stopped early). */
  close(): void {
    this.#failed = true;
    this.#results.close();
    void this.#worker.terminate().catch(() => undefined);
  }

  #flush(): void {
    if (this.#failed || this.#count === 0) return;
    // Wait for room; the tally thread's answer (a failure) also ends the wait.
    if (!this.#await(IN_FLIGHT, () => Atomics.load(this.#control, IN_FLIGHT) >= MAX_IN_FLIGHT && Atomics.load(this.#control, ANSWERED) === 0) || Atomics.load(this.#control, ANSWERED) !== 0) {
      this.close();
      return;
    }
    const message: ToTally = { type: 'leaves', count: this.#count, bytes: this.#bytes, ends: this.#ends, seqs: this.#seqs, tailSeqs: this.#tailSeqs, tailTs: this.#tailTs };
    Atomics.add(this.#control, IN_FLIGHT, 1);
    this.#worker.postMessage(message, [this.#bytes.buffer, this.#ends.buffer, this.#seqs.buffer, this.#tailSeqs.buffer, this.#tailTs.buffer] as ArrayBuffer[]);
    this.#bytes = new Uint8Array(this.#bytes.length);
    this.#ends = new Uint32Array(BATCH);
    this.#seqs = new Float64Array(BATCH);
    this.#tailSeqs = new Float64Array(BATCH);
    this.#tailTs = new Float64Array(BATCH);
    this.#count = 0;
    this.#used = 0;
  }

  /** Waits on `slot` while `waiting()`; false when the tally thread made no progress for STALL_MS. */
  #await(slot: number, waiting: () => boolean): boolean {
    const progress = () => `${Atomics.load(this.#control, IN_FLIGHT)},${Atomics.load(this.#control, ANSWERED)},${Atomics.load(this.#control, OPENING)}`;
    let seen = progress();
    let since = Date.now();
    while (waiting()) {
      Atomics.wait(this.#control, slot, Atomics.load(this.#control, slot), 1000);
      const now = progress();
      if (now !== seen) {
        seen = now;
        since = Date.now();
      } else if (Date.now() - since > STALL_MS) return false;
    }
    return true;
  }
}
