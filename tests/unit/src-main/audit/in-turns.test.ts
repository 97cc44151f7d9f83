import { describe, expect, it } from 'vitest';
import { runAll, runInTurns, type Steps } from '../../../../src-main/audit/in-turns';

function* countTo(n: number, seen: number[]): Steps<number> {
  let sum = 0;
  for (let i = 1; i <= n; i++) {
    sum += i;
    seen.push(i);
    yield;
  }
  return sum;
}

describe('in-turns', () => {
  it('runAll runs every step at once and returns the result', () => {
    const seen: number[] = [];
    expect(runAll(countTo(4, seen))).toBe(10);
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('runInTurns lets other callbacks run between steps and returns the same result', async () => {
    const order: string[] = [];
    const seen: number[] = [];
    const done = runInTurns(
      (function* () {
        const result = yield* countTo(3, seen);
        order.push('done');
        return result;
      })(),
    );
    setImmediate(() => order.push('other'));
    expect(await done).toBe(6);
    expect(order).toEqual(['other', 'done']);
  });

  it('passes an error thrown by a step to the caller', async () => {
    const failing = (function* (): Steps<number> {
      yield;
      throw new Error('closed');
    })();
    await expect(runInTurns(failing)).rejects.toThrow('closed');
  });
});
