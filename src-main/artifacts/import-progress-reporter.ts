/**
 * Turns the importer's progress callbacks into `import.progress` events for the window that asked:
 * one `verifying` event at the start, the first event of each phase (`storing`, then `indexing`) at once
 * so the window says what the wait is for, then at most one per interval (an import calls back once per
 * MiB, far more often than a progress bar can show or a renderer should be woken), and always exactly one
 * terminal `done` or `failed`, after which nothing more is sent.
 */
import type { ImportProgressEvent } from '../../src-shared/ipc/events';

/** ~10 events per second at most, whatever the package size. */
export const IMPORT_PROGRESS_INTERVAL_MS = 100;

export interface ImportProgressReporter {
  start(): void;
  /** The importer's onProgress: bytes verified and stored (then indexed) so far, of the package total. */
  progress(update: { bytesDone: number; bytesTotal: number; phase?: 'storing' | 'indexing' }): void;
  done(bytesTotal: number): void;
  failed(): void;
}

export function createImportProgressReporter(
  send: (event: ImportProgressEvent) => void,
  monotonic: () => number,
  intervalMs = IMPORT_PROGRESS_INTERVAL_MS,
): ImportProgressReporter {
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let latest = { bytesDone: 0, bytesTotal: 0 };
  let phase: 'storing' | 'indexing' | null = null;
  let finished = false;

  const emit = (event: ImportProgressEvent) => {
    if (finished) return;
    if (event.phase === 'done' || event.phase === 'failed') finished = true;
    lastSentAt = monotonic();
    send(event);
  };

  return {
    start: () => emit({ bytesDone: 0, bytesTotal: 0, phase: 'verifying' }),
    progress({ bytesDone, bytesTotal, phase: next = 'storing' }) {
      latest = { bytesDone, bytesTotal };
      const changed = next !== phase;
      phase = next;
      if (changed || monotonic() - lastSentAt >= intervalMs) emit({ ...latest, phase });
    },
    done: (bytesTotal) => emit({ bytesDone: bytesTotal, bytesTotal, phase: 'done' }),
    failed: () => emit({ ...latest, phase: 'failed' }),
  };
}
