/** Binds the session manager to the vault on disk, with the lockout policy in force. */
import { randomBytes } from '../../src-shared/node/crypto';
import type { Policy } from '../../src-shared/policy';
import { calibrateKdf, warmUpKdf, type KdfParams } from '../vault/kdf';
import { initVault, unlockVault, vaultExists, type UnlockedVault } from '../vault/vault';
import type { VaultOps } from './session-manager';

export interface VaultOpsDeps {
  clock(): number;
  policy(): Policy;
  /** Argon2id parameters for new slots; calibrated on first use when not given. */
  kdf?: KdfParams;
  /** Electron: the OS keystore's key for the unlock record (window/safe-storage-counter-key.ts); absent elsewhere. */
  counterKey?(): Uint8Array | null;
}

export function createVaultOps(dataDir: string, deps: VaultOpsDeps): VaultOps<UnlockedVault> {
  let kdf: KdfParams | undefined = deps.kdf;
  const lockout = () => deps.policy().lockout;
  const keystore = deps.counterKey ? { counterKey: deps.counterKey } : {};
  // In the background: a failure here only means the first unlock compiles the modules itself.
  void warmUpKdf().catch(() => undefined);
  return {
    exists: () => vaultExists(dataDir),
    async create(user, passphrase) {
      // Calibrate only when a slot is written: unlocking reads the parameters stored in the slot.
      kdf ??= await calibrateKdf();
      await initVault(dataDir, user, passphrase, { clock: deps.clock, random: randomBytes, kdf, policy: lockout(), ...keystore });
    },
    unlock: (user, passphrase) => unlockVault(dataDir, user, passphrase, { clock: deps.clock, policy: lockout(), ...keystore }),
  };
}
