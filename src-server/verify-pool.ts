/**
 * Ed25519 signature checks for the attestation intake, off the event loop: a pool of worker threads, one
 * per core, so HTTP parsing, the strict JSON and schema checks and the SQLite commits of the main thread
 * overlap with the verifications instead of waiting behind them.
 *
 * Checks asked for in the same turn of the event loop travel together (one message per worker per
 * turn), since a message costs a sizeable fraction of a verification. Each worker keeps the key objects
 * of the keys it has seen (importing a key costs about as much as verifying with it).
 *
 * The worker's code is a few lines of plain JavaScript run with `eval`: it needs only node:crypto, and
 * the same source then works under tsx, in the bundled rwctl and in tests, with no second entry point
 * to build. A worker that dies fails the checks it held (the requests get a 500, nothing is stored) and
 * is replaced on the next check.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ed25519Verify } from '../src-shared/node/crypto';

export interface SignatureVerifier {
  /** True when `signature` is a valid Ed25519 signature of `message` under the raw 32-byte `publicKey`. */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean>;
  close(): Promise<void>;
}

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createPublicKey, verify } = require('node:crypto');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const keys = new Map();
function keyOf(raw) {
  const id = Buffer.from(raw).toString('hex');
  let key = keys.get(id);
  if (!key) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    if (keys.size >= 4096) keys.clear();
    keys.set(id, key);
  }
  return key;
}
parentPort.on('message', ({ batch, checks }) => {
  const results = new Uint8Array(checks.length);
  for (let i = 0; i < checks.length; i++) {
    const c = checks[i];
    try {
      results[i] = c.publicKey.byteLength === 32 && c.signature.byteLength === 64 && verify(null, c.message, keyOf(c.publicKey), c.signature) ? 1 : 0;
    } catch {
      results[i] = 0;
    }
  }
  parentPort.postMessage({ batch, results });
});
`;

interface Check {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
  resolve(ok: boolean): void;
  reject(error: unknown): void;
}

interface PoolWorker {
  worker: Worker;
  /** Batches sent and not yet answered, by batch number. */
  pending: Map<number, Check[]>;
  outstanding: number;
}

export function createVerifyPool(size = availableParallelism()): SignatureVerifier {
  const workers: (PoolWorker | null)[] = Array.from({ length: Math.max(1, size) }, () => null);
  let waiting: Check[] = [];
  let flushQueued = false;
  let nextBatch = 0;
  let closed = false;

  function fail(slot: number, error: unknown): void {
    const w = workers[slot];
    if (!w) return;
    workers[slot] = null;
    for (const checks of w.pending.values()) for (const c of checks) c.reject(error);
    void w.worker.terminate();
  }

  function start(slot: number): PoolWorker {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    // Idle workers must not keep a process alive (rwctl commands, tests); a pending request keeps its socket open anyway.
    worker.unref();
    const w: PoolWorker = { worker, pending: new Map(), outstanding: 0 };
    worker.on('message', ({ batch, results }: { batch: number; results: Uint8Array }) => {
      const checks = w.pending.get(batch);
      if (!checks) return;
      w.pending.delete(batch);
      w.outstanding -= checks.length;
      checks.forEach((c, i) => c.resolve(results[i] === 1));
    });
    worker.on('error', (error) => fail(slot, error));
    worker.on('exit', (code) => fail(slot, new Error(`A signature worker stopped (exit ${code}).`)));
    workers[slot] = w;
    return w;
  }

  function flush(): void {
    flushQueued = false;
    const all = waiting;
    waiting = [];
    // Spread this turn's checks over the workers, the least loaded first.
    const slots = workers.map((w, slot) => w ?? start(slot));
    const share = Math.ceil(all.length / slots.length);
    const order = [...slots].sort((a, b) => a.outstanding - b.outstanding);
    for (let i = 0; i < order.length && i * share < all.length; i++) {
      const w = order[i]!;
      const checks = all.slice(i * share, (i + 1) * share);
      const batch = nextBatch++;
      w.pending.set(batch, checks);
      w.outstanding += checks.length;
      w.worker.postMessage({ batch, checks: checks.map(({ publicKey, message, signature }) => ({ publicKey, message, signature })) });
    }
  }

  return {
    verify(publicKey, message, signature) {
      if (closed) return Promise.reject(new Error('The signature pool is closed.'));
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
      workers.forEach((_, slot) => fail(slot, new Error('The signature pool is closed.')));
    },
  };
}

/** The same checks on the calling thread (rwctl server import-bundle, tests that need no pool). */
export const inlineVerifier: SignatureVerifier = {
  async verify(publicKey, message, signature) {
    try {
      return publicKey.byteLength === 32 && signature.byteLength === 64 && ed25519Verify(publicKey, message, signature);
    } catch {
      return false;
    }
  },
  async close() {},
};

let shared: SignatureVerifier | null = null;

/** One pool per process, started on first use, for every server handler the process creates. */
export function sharedVerifyPool(): SignatureVerifier {
  return (shared ??= createVerifyPool());
}
