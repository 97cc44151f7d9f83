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
/** Runs after a successful unlock, before the caller sees it; a throw undoes the unlock (fail closed). */
export type UnlockListener<V> = (open: V) => void | Promise<void>;

export class SessionManager<V extends OpenVault> {
  #open: V | null = null;
  readonly #ops: VaultOps<V>;
  readonly #lockListeners = new Set<LockListener>();
  readonly #beforeLockListeners = new Set<(open: V, reason: 'manual' | 'idle' | 'os' | 'shutdown') => void>();
  readonly #unlockListeners = new Set<UnlockListener<V>>();

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
    const open = await this.#ops.unlock(user, passphrase);
    this.#open = open;
    try {
      // E.g. the watermark session is drawn and logged here: no content may be served without it.
      for (const listener of this.#unlockListeners) await listener(open);
    } catch (error) {
      this.#open = null;
      open.close();
      throw error;
    }
    return open;
  }

  lock(reason: 'manual' | 'idle' | 'os' | 'shutdown'): void {
    const open = this.#open;
    // Last use of the session's keys (the access log signs a checkpoint and records the lock); a
    // listener that fails must not keep the vault open.
    if (open) {
      for (const listener of this.#beforeLockListeners) {
        try {
          listener(open, reason);
        } catch {
          // The lock goes ahead regardless: an open vault is the worse failure.
        }
      }
    }
    this.#open = null;
    open?.close();
    if (open) for (const listener of this.#lockListeners) listener(reason);
  }

  onUnlock(listener: UnlockListener<V>): () => void {
    this.#unlockListeners.add(listener);
    return () => this.#unlockListeners.delete(listener);
  }

  /** Called while the vault is still open, just before it is closed. */
  onBeforeLock(listener: (open: V, reason: 'manual' | 'idle' | 'os' | 'shutdown') => void): () => void {
    this.#beforeLockListeners.add(listener);
    return () => this.#beforeLockListeners.delete(listener);
  }

  onLock(listener: LockListener): () => void {
    this.#lockListeners.add(listener);
    return () => this.#lockListeners.delete(listener);
  }
}
