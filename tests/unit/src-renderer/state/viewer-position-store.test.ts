import { beforeEach, describe, expect, test } from 'vitest';
import { useViewerPositionStore } from '../../../../src-renderer/state/viewer-position-store';
import { resetAllStores } from '../../../../src-renderer/state/store-reset';

describe('viewer position store', () => {
  beforeEach(() => resetAllStores());

  test('keeps the reported position with its artifact; an unchanged report keeps the same state object', () => {
    const { report } = useViewerPositionStore.getState();
    report('a1', { kind: 'page', page: 2 });
    const first = useViewerPositionStore.getState();
    expect(first.current).toEqual({ artifactId: 'a1', anchor: { kind: 'page', page: 2 } });
    report('a1', { kind: 'page', page: 2 });
    expect(useViewerPositionStore.getState()).toBe(first);
    report('a1', null);
    expect(useViewerPositionStore.getState().current).toBeNull();
  });

  test('a carried-out "Go to" clears only its own request, not a newer one', () => {
    const { requestGoTo, doneGoTo } = useViewerPositionStore.getState();
    requestGoTo('a1', { kind: 'line', line: 10 });
    const older = useViewerPositionStore.getState().goTo!.seq;
    requestGoTo('a1', { kind: 'line', line: 10 });
    const newer = useViewerPositionStore.getState().goTo!.seq;
    expect(newer).not.toBe(older);
    doneGoTo(older);
    expect(useViewerPositionStore.getState().goTo?.seq).toBe(newer);
    doneGoTo(newer);
    expect(useViewerPositionStore.getState().goTo).toBeNull();
  });

  test('lock (the store reset) forgets the position and any pending "Go to"', () => {
    useViewerPositionStore.getState().report('a1', { kind: 'heading', heading: 'Results' });
    useViewerPositionStore.getState().requestGoTo('a1', { kind: 'page', page: 3 });
    resetAllStores();
    expect(useViewerPositionStore.getState().current).toBeNull();
    expect(useViewerPositionStore.getState().goTo).toBeNull();
  });
});
