import { existsSync, mkdtempSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SafeStorage } from 'electron';
import { toHex } from '../../../../src-shared/encoding';
import { safeStorageCounterKey } from '../../../../src-main/window/safe-storage-counter-key';
import { initVault, unlockVault } from '../../../../src-main/vault/vault';
import { MIN_KDF_PARAMS } from '../../../../src-main/vault/kdf';
import { randomBytes } from '../../../../src-shared/node/crypto';
import { FakeSafeStorage } from '../../../helpers/fake-electron';

let dir: string;
let file: string;
const KEY = new Uint8Array(32).fill(7);
const random = (n: number) => KEY.slice(0, n);
const asApi = (s: FakeSafeStorage) => s as unknown as SafeStorage;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rw-counter-key-'));
  file = join(dir, 'counter-key.safe');
});

describe('the unlock-record key in safeStorage', () => {
  it('makes the key once, stores only the keystore ciphertext (0600), and reads it back through the keystore', () => {
    const storage = new FakeSafeStorage('gnome_libsecret');
    const counterKey = safeStorageCounterKey(asApi(storage), file, random, 'linux');
    expect(counterKey()).toEqual(KEY);
    expect(readFileSync(file, 'utf8')).toBe(`sealed:${toHex(KEY)}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(counterKey()).toEqual(KEY);
    expect(storage.calls).toEqual([
      ['getSelectedStorageBackend'],
      ['isEncryptionAvailable'],
      ['encryptString', toHex(KEY)],
      ['getSelectedStorageBackend'],
      ['isEncryptionAvailable'],
      ['decryptString', `sealed:${toHex(KEY)}`],
    ]);
  });

  it.each([
    ['Linux basic_text (a password in Chromium source)', 'basic_text', true, 'linux', [['getSelectedStorageBackend']]],
    ['Linux with no backend', 'unknown', true, 'linux', [['getSelectedStorageBackend']]],
    ['encryption unavailable', 'kwallet5', false, 'linux', [['getSelectedStorageBackend'], ['isEncryptionAvailable']]],
    ['macOS without a keychain', 'unknown', false, 'darwin', [['isEncryptionAvailable']]],
  ] as const)('gives no key with %s, and writes nothing', (_name, backend, available, platform, calls) => {
    const storage = new FakeSafeStorage(backend, available);
    expect(safeStorageCounterKey(asApi(storage), file, random, platform)()).toBeNull();
    expect(storage.calls).toEqual(calls);
    expect(existsSync(file)).toBe(false);
  });

  it('uses the keystore on macOS and Windows without asking for a Linux backend', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const storage = new FakeSafeStorage('unknown');
      expect(safeStorageCounterKey(asApi(storage), join(dir, `${platform}.safe`), random, platform)()).toEqual(KEY);
      expect(storage.calls).toEqual([['isEncryptionAvailable'], ['encryptString', toHex(KEY)]]);
    }
  });

  it.each([
    ['replaced by a ciphertext the keystore cannot open', 'garbage'],
    ['replaced by a plain key', toHex(KEY)],
    ['a ciphertext of something that is not a key', 'sealed:not-a-key'],
  ])('locks out when the stored key is %s', (_name, content) => {
    writeFileSync(file, content);
    const counterKey = safeStorageCounterKey(asApi(new FakeSafeStorage('gnome_libsecret')), file, random, 'linux');
    expect(() => counterKey()).toThrow(expect.objectContaining({ code: 'LOCKED_OUT', detail: { reason: 'tampered' } }));
  });

  it('MACs the vault unlock record: an edited count locks out, and deleting the keystore ciphertext does not reset it', async () => {
    const storage = new FakeSafeStorage('gnome_libsecret');
    const deps = { clock: () => 1_000, random: randomBytes, kdf: MIN_KDF_PARAMS };
    const vault = join(dir, 'vault');
    const counterKey = safeStorageCounterKey(asApi(storage), join(vault, 'counter-key.safe'), deps.random, 'linux');
    await initVault(vault, 'alice', 'correct horse battery', { ...deps, counterKey });
    await unlockVault(vault, 'alice', 'wrong one', { ...deps, counterKey }).catch(() => undefined);
    const state = JSON.parse(readFileSync(join(vault, 'unlock-state.json'), 'utf8')) as Record<string, unknown>;
    expect(state).toMatchObject({ failures: 1, mac: expect.stringMatching(/^[0-9a-f]{64}$/) });
    writeFileSync(join(vault, 'unlock-state.json'), JSON.stringify({ ...state, failures: 0 }));
    await expect(unlockVault(vault, 'alice', 'correct horse battery', { ...deps, counterKey })).rejects.toMatchObject({ code: 'LOCKED_OUT' });
    // A fresh key (the ciphertext deleted) cannot vouch for the old record either.
    writeFileSync(join(vault, 'unlock-state.json'), JSON.stringify(state));
    unlinkSync(join(vault, 'counter-key.safe'));
    await expect(unlockVault(vault, 'alice', 'correct horse battery', { ...deps, counterKey })).rejects.toMatchObject({ code: 'LOCKED_OUT' });
  });
});
