/**
 * The key that MACs the unlock-attempt record, kept by the OS keystore through Electron's safeStorage
 * (Keychain on macOS, DPAPI on Windows, the Secret Service or KWallet on Linux). The vault folder holds
 * only the keystore's ciphertext of it (`counter-key.safe`), which opens in this user's OS session and
 * nowhere else, so a copy of the folder carries no usable key (see ARCHITECTURE: stores and keys).
 *
 * Where no real backend exists (Linux `basic_text`, which encrypts under a hard-coded password, or
 * `unknown`), or encryption is unavailable, there is no key: the record stays plain and the docs say
 * what that allows. The key is made on first use (vault creation, or the first unlock of a vault made
 * without one); a ciphertext that no longer opens (the keystore was reset, or the file was replaced)
 * locks the workstation out, as an edited record does.
 */
import type { SafeStorage } from 'electron';
import { fromHex, toHex } from '../../src-shared/encoding';
import { RwError } from '../../src-shared/errors';
import { readFileOrNull, writePrivateFileAtomic } from '../vault/vault-files';

export type SafeStorageApi = Pick<SafeStorage, 'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptString' | 'decryptString'>;

/** Linux backends that are not an OS keystore: basic_text's password is in Chromium's source. */
const NO_REAL_BACKEND = new Set(['basic_text', 'unknown']);

export function hasRealKeystore(safeStorage: SafeStorageApi, platform: NodeJS.Platform): boolean {
  if (platform === 'linux' && NO_REAL_BACKEND.has(safeStorage.getSelectedStorageBackend())) return false;
  return safeStorage.isEncryptionAvailable();
}

export function safeStorageCounterKey(
  safeStorage: SafeStorageApi,
  path: string,
  random: (length: number) => Uint8Array,
  platform: NodeJS.Platform = process.platform,
): () => Uint8Array | null {
  return () => {
    if (!hasRealKeystore(safeStorage, platform)) return null;
    const sealed = readFileOrNull(path);
    if (sealed === null) {
      const key = random(32);
      writePrivateFileAtomic(path, safeStorage.encryptString(toHex(key)));
      return key;
    }
    let hex: string;
    try {
      hex = safeStorage.decryptString(sealed);
    } catch {
      hex = '';
    }
    if (!/^[0-9a-f]{64}$/.test(hex)) {
      throw new RwError('LOCKED_OUT', 'The OS keystore no longer opens the key of the unlock record; this workstation is locked out. Contact your administrator.', { reason: 'tampered' });
    }
    return fromHex(hex);
  };
}
