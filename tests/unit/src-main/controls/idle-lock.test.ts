import { describe, expect, it } from 'vitest';
import { idleStep, startIdleWatch, type IdleState } from '../../../../src-main/controls/idle-lock';

const MIN = 60_000;

/** Drives the machine every 5 s, as the shell polls, with a fake clock. */
function run(minutes: number, systemIdleAt: (t: number) => number, lastInputAt: (t: number) => number, idleMinutes = 10) {
  let state: IdleState = startIdleWatch(0);
  for (let t = 5_000; t <= minutes * MIN; t += 5_000) {
    const d = idleStep(state, { now: t, systemIdleSeconds: systemIdleAt(t), lastAppInputAt: lastInputAt(t) }, idleMinutes);
    state = d.state;
    if (d.lock) return { lockedAt: t, source: d.source };
  }
  return null;
}

describe('idle lock', () => {
  it('locks when the OS reports the idle period', () => {
    expect(run(20, (t) => Math.floor(t / 1000), () => 0)).toEqual({ lockedAt: 10 * MIN, source: 'system' });
  });

  it('does not lock a user the OS sees as active elsewhere (small non-zero readings)', () => {
    expect(run(30, (t) => (t / 5000) % 3, () => 0)).toBeNull();
  });

  it('falls back to in-app input when the OS idle time is stuck at 0', () => {
    const result = run(30, () => 0, () => 2 * MIN);
    expect(result?.source).toBe('app');
    expect(result?.lockedAt).toBe(12 * MIN);
  });

  it('with a stuck OS source, keeps a user who is using the app unlocked', () => {
    expect(run(30, () => 0, (t) => t - 1_000)).toBeNull();
  });

  it('honours the policy period', () => {
    expect(run(20, (t) => Math.floor(t / 1000), () => 0, 3)).toEqual({ lockedAt: 3 * MIN, source: 'system' });
  });
});
