/**
 * The worker pool gives the same answer as a check on the calling thread, for good, forged and
 * malformed signatures alike, when many checks arrive in one turn (they are spread over workers).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ed25519PublicFromSeed, ed25519Sign, randomBytes } from '../../../src-shared/node/crypto';
import { utf8 } from '../../../src-shared/encoding';
import { createVerifyPool, inlineVerifier } from '../../../src-server/verify-pool';

const pool = createVerifyPool(2);
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

  it('refuses checks once closed', async () => {
    const closing = createVerifyPool(1);
    const c = signed(1);
    expect(await closing.verify(c.publicKey, c.message, c.signature)).toBe(true);
    await closing.close();
    await expect(closing.verify(c.publicKey, c.message, c.signature)).rejects.toThrow(/closed/);
  });
});
