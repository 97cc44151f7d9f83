/**
 * Clock-jump detection (DESIGN §5 event `clock.jump`). Leaf timestamps come from the wall clock, which a
 * user (or NTP) can move; the monotonic clock cannot be set. Comparing how far each has advanced since
 * the last observation exposes a wall clock moved by more than the tolerance, in either direction, so a
 * back-dated or forward-dated stretch of the log is itself on the record.
 */

/** Drift over two minutes is a jump (ARCHITECTURE: access log). */
export const CLOCK_JUMP_TOLERANCE_MS = 2 * 60 * 1000;

export interface ClockSample {
  /** Wall clock, UTC ms. */
  wall: number;
  /** Monotonic ms (any origin; only differences are used). */
  mono: number;
}

export interface ClockJump {
  from: number;
  to: number;
  /** Wall-clock movement minus monotonic movement: positive when the clock was set forward. */
  driftMs: number;
}

/** Pure: the jump between two samples, or null when the wall clock kept pace within the tolerance. */
export function detectClockJump(previous: ClockSample, current: ClockSample, toleranceMs: number = CLOCK_JUMP_TOLERANCE_MS): ClockJump | null {
  const drift = current.wall - previous.wall - (current.mono - previous.mono);
  if (Math.abs(drift) <= toleranceMs) return null;
  return { from: previous.wall, to: current.wall, driftMs: drift };
}

/**
 * A detector that keeps the last sample: call `check()` on a timer (and before writing leaves); it
 * re-bases after each jump so one jump is reported once.
 */
export function clockJumpDetector(clock: () => number, monotonic: () => number, toleranceMs: number = CLOCK_JUMP_TOLERANCE_MS): { check(): ClockJump | null } {
  let last: ClockSample = { wall: clock(), mono: monotonic() };
  return {
    check() {
      const now = { wall: clock(), mono: monotonic() };
      const jump = detectClockJump(last, now, toleranceMs);
      last = now;
      return jump;
    },
  };
}
