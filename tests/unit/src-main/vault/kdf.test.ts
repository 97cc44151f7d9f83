import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../src-shared/encoding';
import { calibrateKdf, checkKdfParams, deriveKey, MIN_KDF_PARAMS, MIN_MEMORY_KIB, warmUpKdf, type KdfParams } from '../../../../src-main/vault/kdf';

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

  it('warms up the modules without deriving anything a slot could use (the floor still holds for keys)', async () => {
    await expect(warmUpKdf()).resolves.toBeUndefined();
    await expect(deriveKey('passphrase', salt, { ...MIN_KDF_PARAMS, memoryKiB: 8 })).rejects.toMatchObject({ code: 'POLICY_REFUSED' });
  });

  it('refuses a salt shorter than 16 bytes', async () => {
    await expect(deriveKey('passphrase', new Uint8Array(8), MIN_KDF_PARAMS)).rejects.toMatchObject({ code: 'POLICY_REFUSED' });
  });

  /**
   * A scripted machine: the n-th measured derivation "costs" durations[n] ms (the first, unmeasured one
   * compiles the module); the parameters asked for are recorded and nothing is derived.
   */
  const scripted = (durations: number[]) => {
    let now = 0;
    let measuredCount = 0;
    const derived: KdfParams[] = [];
    return {
      meter: () => now,
      derive: async (params: KdfParams) => {
        derived.push(params);
        if (derived.length > 1) now += durations[measuredCount++] ?? Number.NaN;
      },
      derived: () => derived.slice(1).map((p) => `${p.memoryKiB / 1024} MiB t=${p.iterations}`),
    };
  };

  it('calibrates from two probes, so the fixed part of a derivation is not taken for pass cost, then checks its choice', async () => {
    // t=1 costs 50, t=2 costs 90: 40 per pass plus 10 fixed, so t=3 at 64 MiB costs 130 and 500 buys
    // three times the memory; the ceiling allows two, and that choice measured at 300 is kept.
    const fast = scripted([50, 90, 300]);
    expect(await calibrateKdf({ ...fast, targetMs: 500, maxMemoryKiB: 2 * MIN_MEMORY_KIB })).toEqual({ ...MIN_KDF_PARAMS, iterations: 3, memoryKiB: 2 * MIN_MEMORY_KIB });
    expect(fast.derived()).toEqual(['64 MiB t=1', '64 MiB t=2', '128 MiB t=3']);
    // The same probes, but the chosen parameters measure at 900 (the model was optimistic): stepped down
    // to 64 MiB, t=3, measured again (400) and kept.
    const over = scripted([50, 90, 900, 400]);
    expect(await calibrateKdf({ ...over, targetMs: 500, maxMemoryKiB: 2 * MIN_MEMORY_KIB })).toEqual({ ...MIN_KDF_PARAMS, iterations: 3 });
    expect(over.derived()).toEqual(['64 MiB t=1', '64 MiB t=2', '128 MiB t=3', '64 MiB t=3']);
  });

  it('calibrates a slow machine to the floor, never below it', async () => {
    const slow = scripted([900, 1800]);
    const params = await calibrateKdf({ ...slow, targetMs: 500 });
    expect(params).toEqual(MIN_KDF_PARAMS);
    expect(slow.derived()).toEqual(['64 MiB t=1', '64 MiB t=2']);
    expect(() => checkKdfParams(params)).not.toThrow();
  });
});
