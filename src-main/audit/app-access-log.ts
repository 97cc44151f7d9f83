/**
 * The access log as the app composes it: the router hook (the signed-in session's audit.db, or the device
 * slot while nobody is signed in), a random id per unlock session, clock-jump checks before each leaf,
 * and app start/stop. Kept here so app-core.ts stays a list of wires.
 */
import { randomBytes } from '../../src-shared/node/crypto';
import { toHex } from '../../src-shared/encoding';
import { RwError } from '../../src-shared/errors';
import type { AuditHook } from '../ipc/router';
import type { SessionManager } from '../session/session-manager';
import { openDeviceAudit, vaultExists, type UnlockedVault } from '../vault/vault';
import { openAccessLog, type AccessLog } from './access-log';
import { logAppStart, logAppStop, logClockJump, logLock } from './audit-events';
import { accessLogHook, type LogTarget } from './audit-hook';
import { clockJumpDetector } from './clock-jump';

export const APP_LOG_NAME = 'rw-app/0.1.0';

export interface AppAccessLogDeps {
  dataDir: string;
  sessions: SessionManager<UnlockedVault>;
  clock(): number;
  monotonic(): number;
}

export interface AppAccessLog {
  hook: AuditHook;
  /** Log app.start through the device slot (when a vault exists). */
  start(): void;
  /** Log app.stop (and thereby sign a checkpoint). */
  stop(reason: string): void;
  /**
   * The signed-in session's log, for services that append events of their own (attestation signing,
   * sync): the same AccessLog the router hook writes, so one connection's tree state stays the only one.
   * VAULT_LOCKED when nobody is signed in.
   */
  sessionLog(): LogTarget;
}

export function createAppAccessLog(deps: AppAccessLogDeps): AppAccessLog {
  const options = { app: APP_LOG_NAME, clock: deps.clock, monotonic: deps.monotonic };
  const clock = clockJumpDetector(deps.clock, deps.monotonic);
  let active: { vault: UnlockedVault; target: LogTarget } | null = null;

  // Locks no router call caused (idle timer, OS suspend, shutdown) are logged here with their reason and
  // sign a checkpoint (a security event); a manual lock is the router's own `session.lock` leaf. The
  // session's handles are closed by then, so the leaf goes through the device slot, naming user and session.
  deps.sessions.onLock((reason) => {
    const was = active;
    was?.target.log.close();
    active = null;
    if (!was || reason === 'manual') return;
    writeThroughDevice((log) => logLock(log, { user: was.vault.user, role: was.vault.role, session: was.target.session }, reason));
  });

  const withClockCheck = (target: LogTarget): LogTarget => {
    const jump = clock.check();
    if (jump) logClockJump(target.log, jump);
    return target;
  };

  const device = (): LogTarget | null => {
    if (!vaultExists(deps.dataDir)) return null;
    const opened = openDeviceAudit(deps.dataDir, { clock: deps.clock });
    let log: AccessLog;
    try {
      log = openAccessLog(opened.audit, options);
    } catch (error) {
      opened.close();
      throw error;
    }
    return {
      log,
      session: null,
      release() {
        log.close();
        opened.close();
      },
    };
  };

  const current = (): LogTarget | null => {
    const vault = deps.sessions.current();
    if (!vault || vault.closed) return null;
    if (active?.vault !== vault) {
      active?.target.log.close();
      active = { vault, target: { log: openAccessLog(vault.audit, options), session: toHex(randomBytes(16)) } };
    }
    return active.target;
  };

  const writeThroughDevice = (write: (log: AccessLog) => void) => {
    const target = device();
    if (!target) return;
    try {
      write(withClockCheck(target).log);
    } finally {
      target.release?.();
    }
  };

  return {
    hook: accessLogHook({
      current: () => {
        const target = current();
        return target ? withClockCheck(target) : null;
      },
      device: () => {
        const target = device();
        return target ? withClockCheck(target) : null;
      },
    }),
    start() {
      writeThroughDevice((log) => logAppStart(log, APP_LOG_NAME));
    },
    stop(reason) {
      writeThroughDevice((log) => logAppStop(log, reason));
    },
    sessionLog() {
      const target = current();
      if (!target) throw new RwError('VAULT_LOCKED', 'The vault is locked.');
      return withClockCheck(target);
    },
  };
}
