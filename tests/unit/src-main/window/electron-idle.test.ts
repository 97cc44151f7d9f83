import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebContents } from 'electron';
import { watchIdle } from '../../../../src-main/window/electron-idle';
import { FakeWebContents } from '../../../helpers/fake-electron';

describe('idle watch against a fake powerMonitor', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('locks an unlocked session after the policy period when the OS idle time is stuck at 0', () => {
    const contents = new FakeWebContents();
    let now = 0;
    let locks = 0;
    const stop = watchIdle({
      powerMonitor: { getSystemIdleTime: () => 0 },
      contents: contents as unknown as Pick<WebContents, 'on'>,
      clock: () => now,
      idleMinutes: () => 1,
      isUnlocked: () => true,
      lock: () => locks++,
      pollMs: 1_000,
    });
    for (let i = 0; i < 30; i++) {
      now += 1_000;
      vi.advanceTimersByTime(1_000);
    }
    contents.emit('input-event', {}, { type: 'mouseMove' });
    for (let i = 0; i < 29; i++) {
      now += 1_000;
      vi.advanceTimersByTime(1_000);
    }
    expect(locks).toBe(0);
    for (let i = 0; i < 31; i++) {
      now += 1_000;
      vi.advanceTimersByTime(1_000);
    }
    expect(locks).toBeGreaterThan(0);
    stop();
  });
});
