/**
 * The signature worker pool: the same answers as a check on the calling thread (good, forged and
 * malformed signatures, many in one turn); a worker that dies fails its pending checks with a 503
 * refusal instead of leaving them hanging, and the pool recovers; a closed pool refuses; and a server
 * closed and listening again in the same process answers an attestation (its own workers).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ed25519PublicFromSeed, ed25519Sign, randomBytes } from '../../../src-shared/node/crypto';
import { utf8 } from '../../../src-shared/encoding';
import { createVerifyPool, inlineVerifier } from '../../../src-server/verify-pool';
import { VERIFY_WORKER_SOURCE } from '../../../src-shared/node/ed25519-verify-worker';
import { listen } from '../../../src-server/http-server';
import { viewOf } from '../../../src-server/refusal';
import { reviewAttestation, testWorkstation } from '../../integration/server-fixtures';
import { request } from '../../integration/server-process';
import { inProcessServer } from './in-process-server';

const pool = createVerifyPool({ size: 2 });
afterAll(() => pool.close());

function signed(i: number) {
  const seed = randomBytes(32);
  const message = utf8(`attestation ${i}`);
  return { publicKey: ed25519PublicFromSeed(seed), message, signature: ed25519Sign(seed, message) };
}

describe('signature worker pool', () => {
  it('agrees with the inline check on 80 mixed checks sent in one turn', async () => {
    const cases = Array.from({ length: 80 }, (_, i) => {
      const c = signed(i % 7);
      if (i % 4 === 1) return { ...c, signature: c.signature.map((b, j) => (j === 5 ? b ^ 1 : b)), expected: false };
      if (i % 4 === 2) return { ...c, message: utf8('another message'), expected: false };
      if (i % 4 === 3 && i % 3 === 0) return { ...c, signature: c.signature.subarray(0, 63), expected: false };
      if (i % 4 === 3) return { ...c, publicKey: new Uint8Array(31), expected: false };
      return { ...c, expected: true };
    });
    const pooled = await Promise.all(cases.map((c) => pool.verify(c.publicKey, c.message, c.signature)));
    const inline = await Promise.all(cases.map((c) => inlineVerifier.verify(c.publicKey, c.message, c.signature)));
    expect(pooled).toEqual(cases.map((c) => c.expected));
    expect(inline).toEqual(pooled);
  });

  it('a worker that dies fails its pending checks with a 503 refusal, and the next check gets a fresh worker', async () => {
    // Dies on a batch holding a one-byte message (the first check's length field); otherwise the real worker.
    const crashing = `require('node:worker_threads').parentPort.on('message', ({ buffer }) => { if (new DataView(buffer).getUint32(100) === 1) process.exit(7); });\n${VERIFY_WORKER_SOURCE}`;
    const flaky = createVerifyPool({ size: 1, source: crashing });
    try {
      const c = signed(1);
      const failed = await Promise.allSettled([flaky.verify(c.publicKey, utf8('x'), c.signature), flaky.verify(c.publicKey, c.message, c.signature)]);
      for (const outcome of failed) {
        expect(outcome.status).toBe('rejected');
        const view = viewOf((outcome as PromiseRejectedResult).reason);
        expect(view.status).toBe(503);
        expect(view.reason).toBe('verifier-unavailable');
      }
      expect(await flaky.verify(c.publicKey, c.message, c.signature)).toBe(true);
    } finally {
      await flaky.close();
    }
  });

  it('refuses checks once closed', async () => {
    const closing = createVerifyPool({ size: 1 });
    const c = signed(1);
    expect(await closing.verify(c.publicKey, c.message, c.signature)).toBe(true);
    await closing.close();
    await expect(closing.verify(c.publicKey, c.message, c.signature)).rejects.toThrow(/unavailable/);
  });

  it('a server closed and started again in the same process accepts an attestation each time', async () => {
    const server = await inProcessServer();
    const ws = testWorkstation(1);
    await server.enroll(ws);
    try {
      for (const sequence of [1, 2]) {
        const running = await listen({ loaded: server.loaded, store: server.store, clock: () => server.now.ms }, { host: '127.0.0.1', port: 0 });
        try {
          const answer = await request(`${running.url}/v1/attestations`, 'POST', reviewAttestation(ws.reviewers[0]!.key, sequence));
          expect(answer.status).toBe(201);
        } finally {
          await running.close();
        }
      }
    } finally {
      await server.store.close();
    }
  }, 30_000);
});
