import { describe, expect, it } from 'vitest';
import { CLOCK_JUMP_TOLERANCE_MS, clockJumpDetector, detectClockJump } from '../../../../src-main/audit/clock-jump';

describe('clock-jump detection', () => {
  const t0 = { wall: 1_764_000_000_000, mono: 5_000 };
  it.each([
    ['a wall clock that keeps pace', 60_000, 60_000, null],
    ['drift of exactly two minutes', 10_000 + CLOCK_JUMP_TOLERANCE_MS, 10_000, null],
    ['the clock set three minutes forward', 1_000 + 180_000, 1_000, 180_000],
    ['the clock set an hour back', 1_000 - 3_600_000, 1_000, -3_600_000],
    ['a suspend the monotonic clock did not see, beyond two minutes', 600_000, 0, 600_000],
  ] as const)('%s', (_name, wallStep, monoStep, drift) => {
    const jump = detectClockJump(t0, { wall: t0.wall + wallStep, mono: t0.mono + monoStep });
    if (drift === null) expect(jump).toBeNull();
    else expect(jump).toEqual({ from: t0.wall, to: t0.wall + wallStep, driftMs: drift });
  });

  it('reports a jump once, then measures from the new time (fake clocks)', () => {
    const clock = { wall: 1_000_000_000, mono: 0 };
    const detector = clockJumpDetector(() => clock.wall, () => clock.mono);
    clock.wall += 1000;
    clock.mono += 1000;
    expect(detector.check()).toBeNull();
    clock.wall -= 10 * 60_000;
    expect(detector.check()?.driftMs).toBe(-10 * 60_000);
    clock.wall += 5000;
    clock.mono += 5000;
    expect(detector.check()).toBeNull();
  });
});
