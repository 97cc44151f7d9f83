/**
 * When to lock for inactivity. The OS idle time is the primary source, but on some Linux desktops
 * Electron's getSystemIdleTime() reports 0 forever (a known fault), which would keep an unattended
 * laptop unlocked. A real active user produces non-zero readings between inputs (we poll every few
 * seconds), so a reading stuck at 0 for a whole idle period marks the OS source as faulty, and the
 * time since the last input the app itself saw takes over.
 */
export interface IdleSample {
  now: number;
  /** Seconds, as powerMonitor.getSystemIdleTime() reports. */
  systemIdleSeconds: number;
  /** UTC ms of the last keyboard or pointer input the app's own window received. */
  lastAppInputAt: number;
}

export interface IdleState {
  /** Last time the OS reported a non-zero idle time (or when watching began). */
  lastNonZeroSystemAt: number;
}

export interface IdleDecision {
  state: IdleState;
  lock: boolean;
  source: 'system' | 'app';
  idleMs: number;
}

export function startIdleWatch(now: number): IdleState {
  return { lastNonZeroSystemAt: now };
}

export function idleStep(state: IdleState, sample: IdleSample, idleMinutes: number): IdleDecision {
  const limitMs = idleMinutes * 60_000;
  const next: IdleState = sample.systemIdleSeconds > 0 ? { lastNonZeroSystemAt: sample.now } : state;
  const systemStuck = sample.systemIdleSeconds === 0 && sample.now - next.lastNonZeroSystemAt >= limitMs;
  if (systemStuck) {
    const idleMs = Math.max(0, sample.now - sample.lastAppInputAt);
    return { state: next, lock: idleMs >= limitMs, source: 'app', idleMs };
  }
  const idleMs = sample.systemIdleSeconds * 1000;
  return { state: next, lock: idleMs >= limitMs, source: 'system', idleMs };
}
