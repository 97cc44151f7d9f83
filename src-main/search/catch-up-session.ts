/**
 * Runs catch-up indexing (catch-up-index.ts) after each reviewer sign-in, in the background: the
 * sign-in answers at once, searches made meanwhile say how far it has got, and a lock stops it between
 * batches (the batch under way is rolled back when the vault closes). A failure leaves the rest for
 * the next sign-in; searching still works over what is indexed.
 */
import type { Database } from '@signalapp/sqlcipher';
import type { SessionManager } from '../session/session-manager';
import type { UnlockedVault } from '../vault/vault';
import { appIndexers } from './app-indexers';
import { catchUpIndex } from './catch-up-index';
import type { IndexProgress } from './index-artifacts';

export interface CatchUpHandle {
  progress(): IndexProgress | null;
  /** Resolves when the run started by the last sign-in has ended (tests). */
  settled(): Promise<void>;
}

export function startCatchUpIndexing(sessions: SessionManager<UnlockedVault>, clock: () => number): CatchUpHandle {
  let progress: IndexProgress | null = null;
  let running: Promise<void> = Promise.resolve();
  let generation = 0;
  sessions.onUnlock((vault) => {
    const db: Database | null = vault.content;
    if (db === null) return;
    const mine = ++generation;
    running = catchUpIndex(db, {
      indexers: appIndexers(),
      clock,
      isCancelled: () => mine !== generation || vault.closed,
      onProgress: (p) => {
        if (mine === generation) progress = p.bytesDone < p.bytesTotal ? p : null;
      },
    })
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        if (mine === generation) progress = null;
      });
  });
  sessions.onLock(() => {
    generation++;
    progress = null;
  });
  return { progress: () => progress, settled: () => running };
}
