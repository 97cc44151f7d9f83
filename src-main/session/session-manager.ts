/**
 * Who is signed in, and the open vault that goes with them. The only holder of unlocked database
 * handles in the main process: lock closes them and drops the keys.
 */
import { RwError } from '../../src-shared/errors';
import type { CallerSession } from '../ipc/router';

export interface OpenVault {
  user: string;
  role: 'reviewer' | 'auditor';
  workstationId: string;
  close(): void;
}

export interface VaultOps<V extends OpenVault> {
  exists(): boolean;
  create(user: string, passphrase: string): Promise<void>;
  unlock(user: string, passphrase: string): Promise<V>;
}

export type LockListener = (reason: 'manual' | 'idle' | 'os' | 'shutdown') => void;

export class SessionManager<V extends OpenVault> {
  #open: V | null = null;
  readonly #ops: VaultOps<V>;
  readonly #lockListeners = new Set<LockListener>();

  constructor(ops: VaultOps<V>) {
    this.#ops = ops;
  }

  caller(): CallerSession {
    return this.#open ? { role: this.#open.role, user: this.#open.user } : { role: 'anonymous', user: null };
  }

  vaultState(): 'none' | 'locked' | 'unlocked' {
    if (this.#open) return 'unlocked';
    return this.#ops.exists() ? 'locked' : 'none';
  }

  current(): V | null {
    return this.#open;
  }

  /** The open vault, or VAULT_LOCKED: services call this instead of caching handles. */
  require(): V {
    if (!this.#open) throw new RwError('VAULT_LOCKED', 'The workstation is locked.');
    return this.#open;
  }

  async create(user: string, passphrase: string): Promise<V> {
    if (this.#ops.exists()) throw new RwError('VAULT_EXISTS', 'A vault already exists on this workstation.');
    await this.#ops.create(user, passphrase);
    return this.unlock(user, passphrase);
  }

  async unlock(user: string, passphrase: string): Promise<V> {
    if (this.#open) throw new RwError('CONFLICT', 'Already unlocked; lock first.');
    if (!this.#ops.exists()) throw new RwError('VAULT_MISSING', 'No vault exists yet on this workstation.');
    this.#open = await this.#ops.unlock(user, passphrase);
    return this.#open;
  }

  lock(reason: 'manual' | 'idle' | 'os' | 'shutdown'): void {
    const open = this.#open;
    this.#open = null;
    open?.close();
    if (open) for (const listener of this.#lockListeners) listener(reason);
  }

  onLock(listener: LockListener): () => void {
    this.#lockListeners.add(listener);
    return () => this.#lockListeners.delete(listener);
  }
}
