/**
 * The device key: 32 random bytes that wrap the audit key in the device slot, so the app can open
 * audit.db and log a failed unlock before anyone has signed in (DESIGN §4). The Electron shell will put
 * it behind OS safeStorage where a real backend exists; on Linux's `basic_text` backend, and in the CLI,
 * the file store below is used and that choice is recorded in the device slot (`kind`).
 */
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { RwError } from '../../src-shared/errors';
import { isShared, writePrivateFileAtomic } from './vault-files';

export interface DeviceKeyStore {
  /** Names the backend ("file", "safeStorage:keychain"…): written to the slot file and the access log. */
  readonly kind: string;
  exists(): boolean;
  /** Stores a new key; refuses to overwrite one (a lost device key would orphan the device slot). */
  create(key: Uint8Array): void;
  load(): Uint8Array;
  /** Removes the key (used only to roll back a failed vault initialisation). */
  destroy(): void;
}

export function fileDeviceKeyStore(path: string): DeviceKeyStore {
  return {
    kind: 'file',
    exists: () => existsSync(path),
    create(key) {
      if (key.byteLength !== 32) throw new RwError('INTERNAL', 'A device key is 32 bytes.');
      if (existsSync(path)) throw new RwError('VAULT_EXISTS', 'A device key already exists.');
      writePrivateFileAtomic(path, key);
    },
    load() {
      if (!existsSync(path)) throw new RwError('VAULT_DAMAGED', 'The device key is missing.');
      // Like ssh with private keys: a key file others can read is no longer a secret.
      if (isShared(path)) throw new RwError('VAULT_DAMAGED', 'The device key file is readable by other users; refusing to use it.');
      const key = new Uint8Array(readFileSync(path));
      if (key.byteLength !== 32) throw new RwError('VAULT_DAMAGED', 'The device key file is damaged.');
      return key;
    },
    destroy() {
      if (existsSync(path)) unlinkSync(path);
    },
  };
}
