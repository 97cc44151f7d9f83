import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../src-shared/encoding';
import { calibrateKdf, checkKdfParams, deriveKey, MIN_KDF_PARAMS, MIN_MEMORY_KIB } from '../../../../src-main/vault/kdf';

const salt = new Uint8Array(16).fill(7);

describe('Argon2id key derivation', () => {
  it('derives 32 bytes, the same for NFC and NFD spellings of a passphrase, different for another salt', async () => {
    const a = await deriveKey('caf\u00e9 au lait 123', salt, MIN_KDF_PARAMS);
    const b = await deriveKey('cafe\u0301 au lait 123', salt, MIN_KDF_PARAMS);
    const c = await deriveKey('caf\u00e9 au lait 123', new Uint8Array(16).fill(8), MIN_KDF_PARAMS);
    expect(a.byteLength).toBe(32);
    expect(toHex(a)).toBe(toHex(b));
    expect(toHex(a)).not.toBe(toHex(c));
  });

  it.each([
    ['memory below 64 MiB', { ...MIN_KDF_PARAMS, memoryKiB: MIN_MEMORY_KIB - 1 }],
    ['zero iterations', { ...MIN_KDF_PARAMS, iterations: 0 }],
    ['zero parallelism', { ...MIN_KDF_PARAMS, parallelism: 0 }],
    ['absurd memory (a planted slot)', { ...MIN_KDF_PARAMS, memoryKiB: 64 * 1024 * 1024 }],
    ['absurd iterations', { ...MIN_KDF_PARAMS, iterations: 1000 }],
    ['another algorithm', { ...MIN_KDF_PARAMS, algorithm: 'argon2i' }],
    ['another Argon2 version', { ...MIN_KDF_PARAMS, version: 16 }],
  ])('refuses %s', async (_name, params) => {
    expect(() => checkKdfParams(params as typeof MIN_KDF_PARAMS)).toThrow(expect.objectContaining({ code: 'POLICY_REFUSED' }));
    await expect(deriveKey('passphrase', salt, params as typeof MIN_KDF_PARAMS)).rejects.toMatchObject({ code: 'POLICY_REFUSED' });
  });

  it('refuses a salt shorter than 16 bytes', async () => {
    await expect(deriveKey('passphrase', new Uint8Array(8), MIN_KDF_PARAMS)).rejects.toMatchObject({ code: 'POLICY_REFUSED' });
  });

  it('calibrates to parameters at or above the floor, scaling with the measured speed', async () => {
    let t = 0;
    // A scripted clock: each measured pass "takes" 50 ms, so 500 ms buys ten passes -> t=3 and more memory.
    const fast = await calibrateKdf({ clock: () => (t += 50), targetMs: 500 });
    expect(fast.iterations).toBe(3);
    expect(fast.memoryKiB).toBe(3 * MIN_MEMORY_KIB);
    let u = 0;
    const slow = await calibrateKdf({ clock: () => (u += 900), targetMs: 500 });
    expect(slow).toEqual(MIN_KDF_PARAMS);
    expect(() => checkKdfParams(fast)).not.toThrow();
  });
});
