import { beforeEach, describe, expect, it } from 'vitest';
import { useImportProgressStore } from '../../../../src-renderer/state/import-progress-store';
import { resetAllStores } from '../../../../src-renderer/state/store-reset';

const state = () => {
  const { phase, bytesDone, bytesTotal } = useImportProgressStore.getState();
  return { phase, bytesDone, bytesTotal };
};
const store = () => useImportProgressStore.getState();

beforeEach(() => store().reset());

describe('import progress store', () => {
  it('ignores events while no import runs in this window (e.g. after a reload)', () => {
    store().update({ bytesDone: 5, bytesTotal: 10, phase: 'storing' });
    expect(state()).toEqual({ phase: 'idle', bytesDone: 0, bytesTotal: 0 });
  });

  it('follows events of the running import, then the answer settles it at the total', () => {
    store().begin();
    store().update({ bytesDone: 0, bytesTotal: 0, phase: 'verifying' });
    store().update({ bytesDone: 4, bytesTotal: 10, phase: 'storing' });
    expect(state()).toEqual({ phase: 'storing', bytesDone: 4, bytesTotal: 10 });
    store().succeed(10);
    // A late event (it raced the answer) cannot move a settled bar back.
    store().update({ bytesDone: 6, bytesTotal: 10, phase: 'storing' });
    expect(state()).toEqual({ phase: 'done', bytesDone: 10, bytesTotal: 10 });
  });

  it('the answer wins over a done event: a withheld result (log not written) still ends failed', () => {
    store().begin();
    store().update({ bytesDone: 10, bytesTotal: 10, phase: 'done' });
    store().fail();
    expect(state().phase).toBe('failed');
  });

  it('is emptied by the lock path with every other store', () => {
    store().begin();
    store().update({ bytesDone: 4, bytesTotal: 10, phase: 'storing' });
    resetAllStores();
    expect(state()).toEqual({ phase: 'idle', bytesDone: 0, bytesTotal: 0 });
  });
});
