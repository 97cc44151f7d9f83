/**
 * The code of a signature-checking worker thread, as plain JavaScript for `new Worker(source, { eval: true })`:
 * it answers batches of Ed25519 checks with one byte each (1 valid, 0 not), keeping the key objects of
 * the keys it has seen (importing a key costs about as much as verifying with it). The server's
 * verification pool runs it (src-server/verify-pool.ts); it lives here with the rest of the node:crypto code.
 *
 * A batch arrives as one transferred buffer (packVerifyBatch), not as an array of objects: the structured
 * clone of many small typed arrays copied each one's whole backing store (an 8 KiB pool slab for a
 * decoded signature) and cost the event loop more than the verification it handed off.
 */
export const VERIFY_WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createPublicKey, verify } = require('node:crypto');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const keys = new Map();
function keyOf(raw) {
  const id = raw.toString('hex');
  let key = keys.get(id);
  if (!key) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    if (keys.size >= 4096) keys.clear();
    keys.set(id, key);
  }
  return key;
}
parentPort.on('message', ({ batch, buffer }) => {
  const view = new DataView(buffer);
  const count = view.getUint32(0);
  const results = new Uint8Array(count);
  let at = 4 + count * 100;
  for (let i = 0; i < count; i++) {
    const entry = 4 + i * 100;
    const length = view.getUint32(entry + 96);
    try {
      const key = keyOf(Buffer.from(buffer, entry, 32));
      results[i] = verify(null, Buffer.from(buffer, at, length), key, Buffer.from(buffer, entry + 32, 64)) ? 1 : 0;
    } catch {
      results[i] = 0;
    }
    at += length;
  }
  parentPort.postMessage({ batch, results }, [results.buffer]);
});
`;

/** One check for the worker: a raw 32-byte Ed25519 key, a 64-byte signature, the signed bytes. */
export interface PackedCheck {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}

/**
 * The worker's batch layout: count (u32), then per check its key (32 bytes), signature (64) and message
 * length (u32), then the messages in order. Keys and signatures of another length cannot be packed: the
 * caller answers those itself (they never verify).
 */
export function packVerifyBatch(checks: readonly PackedCheck[]): ArrayBuffer {
  let size = 4 + checks.length * 100;
  for (const c of checks) size += c.message.byteLength;
  const buffer = new ArrayBuffer(size);
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  view.setUint32(0, checks.length);
  let at = 4 + checks.length * 100;
  checks.forEach((c, i) => {
    const entry = 4 + i * 100;
    bytes.set(c.publicKey, entry);
    bytes.set(c.signature, entry + 32);
    view.setUint32(entry + 96, c.message.byteLength);
    bytes.set(c.message, at);
    at += c.message.byteLength;
  });
  return buffer;
}
