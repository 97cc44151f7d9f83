/**
 * Ed25519 signature checks for the attestation intake, off the event loop: a pool of worker threads
 * sized to the cores beside the main thread's (HTTP, strict JSON and schema checks, commits), so those
 * overlap with the verifications instead of waiting behind them.
 *
 * Lifecycle rules (a first attempt that broke them hung a restarted server in a test):
 * - one pool per server handler, never per process: closing a server terminates its workers, and a
 *   server started again in the same process gets a pool of its own;
 * - workers are unref'd, so an idle pool never keeps a process alive (rwctl commands, test runners);
 * - a worker that dies or errs fails the checks it held with a 503 refusal ('verifier-unavailable'),
 *   never leaves them pending; the next check starts a fresh worker in its slot;
 * - the exit of a worker that was already replaced touches nothing of its successor.
 *
 * Checks asked for in the same turn of the event loop travel together (one message per worker per turn,
 * packed into one transferred buffer): a message costs a sizeable fraction of a verification. Each worker
 * keeps the key objects of the keys it has seen (importing a key costs about as much as verifying with it).
 *
 * The worker's code is a few lines of plain JavaScript run with `eval` (src-shared/node/ed25519-verify-worker.ts,
 * beside the other node:crypto code): the same source then works under tsx, in the bundled rwctl and in
 * tests, with no second entry point to build.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ed25519PublicKey, verifySignature, type PublicKey } from '../src-shared/node/crypto';
import { packVerifyBatch, VERIFY_WORKER_SOURCE } from '../src-shared/node/ed25519-verify-worker';
import { refusal } from './refusal';

export interface SignatureVerifier {
  /** True when `signature` is a valid Ed25519 signature of `message` under the raw 32-byte `publicKey`. */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean>;
  close(): Promise<void>;
}


interface Check {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
  resolve(ok: boolean): void;
  reject(error: unknown): void;
}

interface PoolWorker {
  worker: Worker;
  /** Batches sent and not yet answered, by batch number (at most MAX_BATCHES_PER_WORKER). */
  pending: Map<number, Check[]>;
}

const MAX_BATCHES_PER_WORKER = 2;

export interface VerifyPoolOptions {
  /** Worker threads; default one per core beside the main thread's (at least one). */
  size?: number;
  /** The worker's JavaScript (tests pass one that crashes). */
  source?: string;
}

/** One core stays with the main thread; on one core a single worker still keeps verification off the event loop. */
export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism() - 1);
}

function unavailable(why: string) {
  return refusal('verifier-unavailable', `Signature verification is unavailable (${why}); nothing was stored, retry.`);
}

export function createVerifyPool(options: VerifyPoolOptions = {}): SignatureVerifier {
  const source = options.source ?? VERIFY_WORKER_SOURCE;
  const workers: (PoolWorker | null)[] = Array.from({ length: Math.max(1, options.size ?? defaultPoolSize()) }, () => null);
  let waiting: Check[] = [];
  let flushQueued = false;
  let nextBatch = 0;
  let closed = false;

  /** Fails what `w` held; only clears the slot if `w` still holds it (a successor is left alone). */
  function retire(slot: number, w: PoolWorker, error: unknown): void {
    if (workers[slot] === w) workers[slot] = null;
    const held = [...w.pending.values()];
    w.pending.clear();
    for (const checks of held) for (const c of checks) c.reject(error);
    // What waited for this worker goes to its successor.
    if (waiting.length > 0 && !flushQueued) {
      flushQueued = true;
      setImmediate(flush);
    }
    void w.worker.terminate().catch(() => undefined);
  }

  function start(slot: number): PoolWorker {
    const worker = new Worker(source, { eval: true });
    worker.unref();
    const w: PoolWorker = { worker, pending: new Map() };
    worker.on('message', ({ batch, results }: { batch: number; results: Uint8Array }) => {
      const checks = w.pending.get(batch);
      if (!checks) return;
      w.pending.delete(batch);
      checks.forEach((c, i) => c.resolve(results[i] === 1));
      if (waiting.length > 0) flush();
    });
    worker.on('error', () => retire(slot, w, unavailable('a verification worker failed')));
    worker.on('exit', () => retire(slot, w, unavailable(closed ? 'the server is closing' : 'a verification worker stopped')));
    workers[slot] = w;
    return w;
  }

  function flush(): void {
    flushQueued = false;
    if (waiting.length === 0) return;
    if (closed) {
      const all = waiting;
      waiting = [];
      for (const c of all) c.reject(unavailable('the server is closing'));
      return;
    }
    let slots: PoolWorker[];
    try {
      slots = workers.map((w, slot) => w ?? start(slot));
    } catch {
      const all = waiting;
      waiting = [];
      for (const c of all) c.reject(unavailable('no verification worker could start'));
      return;
    }
    // A worker holds at most two batches: the one it verifies and the next, queued behind it, so it never
    // waits for this thread between batches. What arrives beyond that waits here and goes to the first
    // worker to answer, in one message: under load, one message (and one thread wake-up each way) per
    // batch instead of per request.
    const idle = slots.filter((w) => w.pending.size < MAX_BATCHES_PER_WORKER);
    if (idle.length === 0) return;
    const all = waiting;
    waiting = [];
    const share = Math.ceil(all.length / idle.length);
    for (let i = 0; i < idle.length && i * share < all.length; i++) {
      const w = idle[i]!;
      const checks = all.slice(i * share, (i + 1) * share);
      const batch = nextBatch++;
      w.pending.set(batch, checks);
      const buffer = packVerifyBatch(checks);
      w.worker.postMessage({ batch, buffer }, [buffer]);
    }
  }

  return {
    verify(publicKey, message, signature) {
      if (closed) return Promise.reject(unavailable('the server is closing'));
      // Ed25519 keys and signatures have one length each: anything else fails here, without a worker.
      if (publicKey.byteLength !== 32 || signature.byteLength !== 64) return Promise.resolve(false);
      return new Promise<boolean>((resolve, reject) => {
        waiting.push({ publicKey, message, signature, resolve, reject });
        if (!flushQueued) {
          flushQueued = true;
          setImmediate(flush);
        }
      });
    },
    async close() {
      closed = true;
      const running = workers.flatMap((w, slot) => (w ? [{ w, slot }] : []));
      for (const { w, slot } of running) retire(slot, w, unavailable('the server is closing'));
      await Promise.all(running.map(({ w }) => w.worker.terminate().catch(() => undefined)));
    },
  };
}

// Raw keys as verification keys, converted once (the conversion costs more than a verification).
const inlineKeys = new Map<string, PublicKey>();

/** The same checks on the calling thread (rwctl server import-bundle, tests without a server). */
export const inlineVerifier: SignatureVerifier = {
  async verify(publicKey, message, signature) {
    if (publicKey.byteLength !== 32 || signature.byteLength !== 64) return false;
    const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString('hex');
    let key = inlineKeys.get(id);
    if (!key) {
      try {
        key = ed25519PublicKey(publicKey);
      } catch {
        return false;
      }
      if (inlineKeys.size >= 4096) inlineKeys.clear();
      inlineKeys.set(id, key);
    }
    return verifySignature(key, message, signature);
  },
  async close() {},
};
