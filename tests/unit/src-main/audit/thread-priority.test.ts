import { describe, expect, it } from 'vitest';
import { lowerThisThread, WORKER_NICE_STEP, type PriorityApi } from '../../../../src-main/audit/thread-priority';

function fakeApi(start: number, fail = false): PriorityApi & { calls: [number, number][] } {
  let nice = start;
  const calls: [number, number][] = [];
  return {
    calls,
    getPriority: () => nice,
    setPriority(pid, priority) {
      if (fail) throw new Error('EACCES');
      calls.push([pid, priority]);
      nice = priority;
    },
  };
}

describe('lowerThisThread', () => {
  it('on Linux lowers the calling thread (pid 0) by the step, from wherever it starts', () => {
    const api = fakeApi(5);
    expect(lowerThisThread('linux', api)).toBe(true);
    expect(api.calls).toEqual([[0, 5 + WORKER_NICE_STEP]]);
  });

  it('stops at nice 19 and leaves a thread already there alone', () => {
    const near = fakeApi(15);
    lowerThisThread('linux', near);
    expect(near.calls).toEqual([[0, 19]]);
    const lowest = fakeApi(19);
    expect(lowerThisThread('linux', lowest)).toBe(false);
    expect(lowest.calls).toEqual([]);
  });

  it.each(['darwin', 'win32'] as const)('does nothing on %s, where it would lower the whole process', (platform) => {
    const api = fakeApi(0);
    expect(lowerThisThread(platform, api)).toBe(false);
    expect(api.calls).toEqual([]);
  });

  it('a refused change is no error', () => {
    expect(lowerThisThread('linux', fakeApi(0, true))).toBe(false);
  });
});
