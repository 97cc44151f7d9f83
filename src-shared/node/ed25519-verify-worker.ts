/**
 * The code of a signature-checking worker thread, as plain JavaScript for `new Worker(source, { eval: true })`:
 * it answers batches of Ed25519 checks with one byte each (1 valid, 0 not), keeping the key objects of
 * the keys it has seen (importing a key costs about as much as verifying with it). The server's
 * verification pool runs it (src-server/verify-pool.ts); it lives here with the rest of the node:crypto code.
 */
export const VERIFY_WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createPublicKey, verify } = require('node:crypto');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const keys = new Map();
function keyOf(raw) {
  const id = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('hex');
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
