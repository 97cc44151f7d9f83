/**
 * Lowers the priority of the calling thread, for the audit layer's worker threads. The main process's
 * thread answers the window and runs the lock timer; the workers do the long scans. On a busy machine
 * they compete for the same cores, and the main thread's event loop then waits its turn behind them
 * (measured: its longest stalls were time spent runnable, not running). Linux applies setpriority to
 * the calling thread alone; elsewhere it would lower the whole process, so this does nothing there.
 */
import os from 'node:os';

export interface PriorityApi {
  getPriority(pid?: number): number;
  setPriority(pid: number, priority: number): void;
}

/** Nice steps below the thread that started it (nice 19 is the lowest). */
export const WORKER_NICE_STEP = 10;

/** True when the calling thread's priority was lowered. Never throws: priority is a courtesy. */
export function lowerThisThread(platform: NodeJS.Platform = process.platform, api: PriorityApi = os): boolean {
  if (platform !== 'linux') return false;
  try {
    const current = api.getPriority(0);
    const lower = Math.min(19, current + WORKER_NICE_STEP);
    if (lower === current) return false;
    api.setPriority(0, lower);
    return true;
  } catch {
    return false;
  }
}
