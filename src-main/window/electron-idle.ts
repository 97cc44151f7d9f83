/**
 * Polls the OS idle time and watches the window's own input events, feeding the idle state machine;
 * locks the session when it says so. The Electron-facing half of idle-lock.ts.
 */
import type { PowerMonitor, WebContents } from 'electron';
import { idleStep, startIdleWatch } from '../controls/idle-lock';

export interface IdleWatchDeps {
  powerMonitor: Pick<PowerMonitor, 'getSystemIdleTime'>;
  contents: Pick<WebContents, 'on'>;
  clock(): number;
  idleMinutes(): number;
  isUnlocked(): boolean;
  lock(): void;
  pollMs?: number;
}

export function watchIdle(deps: IdleWatchDeps): () => void {
  let state = startIdleWatch(deps.clock());
  let lastAppInputAt = deps.clock();
  deps.contents.on('input-event', () => {
    lastAppInputAt = deps.clock();
  });
  const timer = setInterval(() => {
    const now = deps.clock();
    const decision = idleStep(state, { now, systemIdleSeconds: deps.powerMonitor.getSystemIdleTime(), lastAppInputAt }, deps.idleMinutes());
    state = decision.state;
    if (decision.lock && deps.isUnlocked()) deps.lock();
  }, deps.pollMs ?? 5_000);
  timer.unref?.();
  return () => clearInterval(timer);
}
