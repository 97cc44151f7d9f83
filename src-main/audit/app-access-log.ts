/**
 * The access log as the app composes it: the router hook (the signed-in session's audit.db, or the
 * pre-sign-in journal while nobody is signed in), a random id per unlock session, clock-jump checks
 * before each leaf, and app start/stop. At each sign-in the journal is opened and appended (original
 * times) before anything else; at each lock the lock is recorded and a checkpoint signed while the
 * session's keys are still there. Kept here so app-core.ts stays a list of wires.
 */
import { randomBytes } from '../../src-shared/node/crypto';
import { toHex, zeroize } from '../../src-shared/encoding';
import { RwError } from '../../src-shared/errors';
import type { AuditHook } from '../ipc/router';
import type { SessionManager } from '../session/session-manager';
import { journalPath, preSignInJournal, readJournalKey, vaultExists, type UnlockedVault } from '../vault/vault';
import { openAccessLog, type AccessLog, type AccessLogEntry, type AppendResult } from './access-log';
import { logAppStart, logAppStop, logArtifactView, logClockJump, logLock, type LeafSink } from './audit-events';
import { accessLogHook, type LogTarget } from './audit-hook';
import { clockJumpDetector } from './clock-jump';
import { openViews } from './open-views';
import { appendJournal, drainJournal, type JournalMeta } from './pre-sign-in-journal';
import type { Database } from '@signalapp/sqlcipher';

export const APP_LOG_NAME = 'rw-app/0.1.0';

export interface AppAccessLogDeps {
  dataDir: string;
  sessions: SessionManager<UnlockedVault>;
  clock(): number;
  monotonic(): number;
}

export interface AppAccessLog {
  hook: AuditHook;
  /** Log app.start (to the journal: nobody is signed in yet). */
  start(): void;
  /** Log app.stop. */
  stop(reason: string): void;
  /**
   * The signed-in session's log, for services that append events of their own (attestation signing,
   * sync): the same AccessLog the router hook writes, so one connection's tree state stays the only one.
   * VAULT_LOCKED when nobody is signed in.
   */
  sessionLog(): SessionLogTarget;
}

/** The signed-in session's own log (never the journal). */
export interface SessionLogTarget {
  log: AccessLog;
  session: string | null;
}

/** audit.db's memory of the journal (vault_meta). */
export function journalMeta(audit: Database): JournalMeta {
  return {
    read(key) {
      const row = audit.prepare('SELECT value FROM vault_meta WHERE key = ?').get([key]);
      return typeof row?.value === 'string' ? row.value : null;
    },
    write(key, value) {
      audit.prepare('INSERT INTO vault_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run([key, value]);
    },
  };
}

/**
 * At sign-in, before any other leaf: the journal's records (and any tampering with it) into the log,
 * and a `vault.migrated` leaf when this sign-in converted a version 1 vault. Used by the app and rwctl.
 */
export function catchUpAtSignIn(dataDir: string, vault: UnlockedVault, log: AccessLog, session: string | null): void {
  const key = readJournalKey(vault.audit);
  try {
    drainJournal(journalPath(dataDir), key, journalMeta(vault.audit), (entries, inTx) => log.appendMany(entries, inTx), randomBytes);
  } finally {
    zeroize(key);
  }
  if (vault.migrated) {
    log.append({
      actor: { user: vault.user, role: vault.role },
      session,
      event: 'vault.migrated',
      object: null,
      outcome: 'success',
      detail: { from: 1, to: 2, deviceKey: 'destroyed', journal: 'created' },
    });
  }
}

/** A sink that seals each leaf into the pre-sign-in journal. Nothing is in the log yet, so no seq. */
export function journalSink(dataDir: string, clock: () => number, monotonic: () => number): LeafSink | null {
  const journal = preSignInJournal(dataDir);
  if (!journal) return null;
  return {
    append(entry: AccessLogEntry): AppendResult {
      appendJournal(
        journal.path,
        journal.publicKey,
        {
          actor: entry.actor,
          session: entry.session ?? null,
          event: entry.event,
          object: entry.object ? { kind: entry.object.kind, id: entry.object.id, name: entry.object.name ?? null, digest: entry.object.digest ?? null } : null,
          outcome: entry.outcome,
          detail: entry.detail ?? {},
          ts: clock(),
          mono: Math.max(0, Math.round(monotonic())),
        },
        randomBytes,
      );
      return { seq: -1, leafHash: new Uint8Array(0), checkpoint: null };
    },
  };
}

export function createAppAccessLog(deps: AppAccessLogDeps): AppAccessLog {
  const options = { app: APP_LOG_NAME, clock: deps.clock, monotonic: deps.monotonic };
  const clock = clockJumpDetector(deps.clock, deps.monotonic);
  let active: { vault: UnlockedVault; log: AccessLog; target: LogTarget } | null = null;

  // Locks no router call caused (idle timer, OS suspend, shutdown) are logged here with their reason; every
  // lock signs a checkpoint. Both happen before the handles close: afterwards no key to the log is left.
  // Views still open are closed first, with the dwell main measured (open-views.ts says why).
  const views = openViews(deps.monotonic);
  deps.sessions.onBeforeLock((vault, reason) => {
    const target = current();
    if (!target || active?.vault !== vault) return;
    const actor = { user: vault.user, role: vault.role, session: target.session };
    for (const { view, dwellMs } of views.drain()) {
      logArtifactView(target.log, actor, { artifactId: view.artifactId, name: view.name, digest: view.digest, action: 'close', dwellMs, endedBy: reason });
    }
    if (reason !== 'manual') logLock(target.log, actor, reason);
    active.log.checkpoint('lock');
  });
  deps.sessions.onLock(() => {
    views.drain();
    active?.log.close();
    active = null;
  });

  const withClockCheck = (target: LogTarget): LogTarget => {
    const jump = clock.check();
    if (jump) logClockJump(target.log, jump);
    return target;
  };

  const journal = (): LogTarget | null => {
    if (!vaultExists(deps.dataDir)) return null;
    const sink = journalSink(deps.dataDir, deps.clock, deps.monotonic);
    return sink ? { log: sink, session: null } : null;
  };

  function current(): LogTarget | null {
    const vault = deps.sessions.current();
    if (!vault || vault.closed) return null;
    if (active?.vault !== vault) {
      active?.log.close();
      const log = openAccessLog(vault.audit, options);
      const session = toHex(randomBytes(16));
      active = { vault, log, target: { log, session } };
      catchUpAtSignIn(deps.dataDir, vault, log, session);
    }
    return active.target;
  }

  const writeToJournal = (write: (log: LeafSink) => void) => {
    const target = journal();
    if (!target) return;
    write(withClockCheck(target).log);
  };

  const hook = accessLogHook({
    current: () => {
      const target = current();
      return target ? withClockCheck(target) : null;
    },
    device: () => {
      const target = journal();
      return target ? withClockCheck(target) : null;
    },
  });

  return {
    hook: {
      // Followed once written: a record the log refused (fail closed) opens or closes nothing.
      record(entry) {
        hook.record(entry);
        views.observe(entry);
      },
    },
    start() {
      writeToJournal((log) => logAppStart(log, APP_LOG_NAME));
    },
    stop(reason) {
      writeToJournal((log) => logAppStop(log, reason));
    },
    sessionLog() {
      const target = current();
      if (!target || !active) throw new RwError('VAULT_LOCKED', 'The vault is locked.');
      withClockCheck(target);
      return { log: active.log, session: target.session };
    },
  };
}
