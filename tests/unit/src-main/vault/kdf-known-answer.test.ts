/**
 * Argon2id known answers. RFC 9106 §5.3's vector uses a secret and associated data, which hash-wasm's
 * argon2id does not take (associated data is not exposed), so the RFC vector cannot run through it. The
 * reference implementation's own vectors (phc-winner-argon2 src/test.c, argon2id, version 0x13) can,
 * and they pin the same algorithm: a build or wrapper that computed Argon2i, Argon2d, version 0x10 or
 * the wrong memory unit would fail them.
 */
import { argon2id } from 'hash-wasm';
import { describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../../../src-shared/encoding';
import { deriveKey } from '../../../../src-main/vault/kdf';

describe('Argon2id known answers (phc-winner-argon2 test.c, v=19)', () => {
  it.each([
    // m = 2^16 KiB, t = 2, p = 1, password "password", salt "somesalt"
    [65536, 2, 1, 'password', 'somesalt', '09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7'],
  ])('m=%i KiB, t=%i, p=%i derives the reference tag', async (memorySize, iterations, parallelism, password, salt, tag) => {
    const out = await argon2id({ password, salt: utf8(salt), iterations, parallelism, memorySize, hashLength: 32, outputType: 'hex' });
    expect(out).toBe(tag);
  });

  it('the vault KDF is that Argon2id: same parameters, same bytes (NFC applied first)', async () => {
    const salt = utf8('somesaltsomesalt');
    const params = { algorithm: 'argon2id', version: 19, memoryKiB: 65536, iterations: 1, parallelism: 1 } as const;
    const expected = await argon2id({ password: 'password', salt, iterations: 1, parallelism: 1, memorySize: 65536, hashLength: 32, outputType: 'hex' });
    expect(toHex(await deriveKey('password', salt, params))).toBe(expected);
    // "é" typed as e + combining acute derives the same key as the precomposed letter.
    expect(toHex(await deriveKey('caf\u0065\u0301', salt, params))).toBe(toHex(await deriveKey('caf\u00e9', salt, params)));
  });
});
