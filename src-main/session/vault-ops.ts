/**
 * Binds the session manager to the vault on disk. (Interim: the vault module lands with issue 3; until
 * then every vault operation answers VAULT_MISSING so the lock screen can be built against it.)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RwError } from '../../src-shared/errors';
import type { Policy } from '../../src-shared/policy';
import type { OpenVault, VaultOps } from './session-manager';

export interface VaultOpsDeps {
  clock(): number;
  policy: Policy;
}

export function createVaultOps(dataDir: string, _deps: VaultOpsDeps): VaultOps<OpenVault> {
  return {
    exists: () => existsSync(join(dataDir, 'slots.json')),
    async create() {
      throw new RwError('VAULT_MISSING', 'Vault creation is not available in this build yet.');
    },
    async unlock() {
      throw new RwError('VAULT_MISSING', 'Vault unlock is not available in this build yet.');
    },
  };
}
