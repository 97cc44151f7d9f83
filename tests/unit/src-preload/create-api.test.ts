import { describe, expect, it } from 'vitest';
import { createApi, type Listen } from '../../../src-preload/create-api';
import { CHANNEL_NAMES } from '../../../src-shared/ipc/contract';

/** A transport like ipcRenderer.on/removeListener, recording what createApi asked of it. */
function fakeTransport() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const listened: string[] = [];
  const listen: Listen = (event, deliver) => {
    listened.push(event);
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    const entry = (payload: unknown) => deliver(payload);
    set.add(entry);
    return () => void set.delete(entry);
  };
  const send = (event: string, payload: unknown) => {
    for (const deliver of listeners.get(event) ?? []) deliver(payload);
  };
  const count = (event: string) => listeners.get(event)?.size ?? 0;
  return { listen, send, count, listened };
}

const noInvoke = () => Promise.reject(new Error('not used'));

describe('createApi', () => {
  it('offers exactly the contract channels plus subscribe, frozen, each forwarding to invoke', async () => {
    const calls: [string, unknown][] = [];
    const api = createApi(async (channel, request) => {
      calls.push([channel, request]);
      return { ok: true, value: null };
    }, fakeTransport().listen);
    expect(Object.keys(api).sort()).toEqual([...CHANNEL_NAMES, 'subscribe'].sort());
    expect(Object.isFrozen(api)).toBe(true);
    await api['cases.list']({});
    expect(calls).toEqual([['cases.list', {}]]);
  });

  it('hands the page schema-checked import.progress payloads', () => {
    const t = fakeTransport();
    const api = createApi(noInvoke, t.listen);
    const seen: unknown[] = [];
    api.subscribe('import.progress', (p) => seen.push(p));
    expect(t.listened).toEqual(['import.progress']);
    t.send('import.progress', { bytesDone: 0, bytesTotal: 0, phase: 'verifying' });
    t.send('import.progress', { bytesDone: 1024, bytesTotal: 4096, phase: 'storing' });
    t.send('import.progress', { bytesDone: 4096, bytesTotal: 4096, phase: 'done' });
    expect(seen).toEqual([
      { bytesDone: 0, bytesTotal: 0, phase: 'verifying' },
      { bytesDone: 1024, bytesTotal: 4096, phase: 'storing' },
      { bytesDone: 4096, bytesTotal: 4096, phase: 'done' },
    ]);
  });

  it.each([
    ['nothing', undefined],
    ['null', null],
    ['a string', 'storing 50%'],
    ['a missing phase', { bytesDone: 1, bytesTotal: 2 }],
    ['an unknown phase', { bytesDone: 1, bytesTotal: 2, phase: 'hacking' }],
    ['a negative count', { bytesDone: -1, bytesTotal: 2, phase: 'storing' }],
    ['a fractional count', { bytesDone: 0.5, bytesTotal: 2, phase: 'storing' }],
    ['a count given as text', { bytesDone: '1', bytesTotal: 2, phase: 'storing' }],
    ['more done than the total', { bytesDone: 3, bytesTotal: 2, phase: 'storing' }],
    ['an extra field (a path)', { bytesDone: 1, bytesTotal: 2, phase: 'storing', entry: '/home/reviewer/pkg/model-card.md' }],
  ])('drops a malformed payload: %s', (_name, payload) => {
    const t = fakeTransport();
    const api = createApi(noInvoke, t.listen);
    const seen: unknown[] = [];
    api.subscribe('import.progress', (p) => seen.push(p));
    t.send('import.progress', payload);
    t.send('import.progress', { bytesDone: 2, bytesTotal: 2, phase: 'done' });
    // The malformed one is gone; the subscription still works for the next good one.
    expect(seen).toEqual([{ bytesDone: 2, bytesTotal: 2, phase: 'done' }]);
  });

  it('unsubscribing removes the transport listener (once, however often it is called) and nothing more arrives', () => {
    const t = fakeTransport();
    const api = createApi(noInvoke, t.listen);
    const first: unknown[] = [];
    const second: unknown[] = [];
    const stopFirst = api.subscribe('import.progress', (p) => first.push(p));
    api.subscribe('import.progress', (p) => second.push(p));
    expect(t.count('import.progress')).toBe(2);
    stopFirst();
    stopFirst();
    expect(t.count('import.progress')).toBe(1);
    t.send('import.progress', { bytesDone: 1, bytesTotal: 1, phase: 'done' });
    expect(first).toEqual([]);
    expect(second).toHaveLength(1);
  });

  it('refuses an event outside the contract and a handler that is not a function, listening to nothing', () => {
    const t = fakeTransport();
    const api = createApi(noInvoke, t.listen);
    const subscribe = api.subscribe as (event: string, handler: unknown) => () => void;
    expect(() => subscribe('session.unlock', () => undefined)).toThrow(TypeError);
    expect(() => subscribe('__proto__', () => undefined)).toThrow(TypeError);
    expect(() => subscribe('import.progress', 'alert(1)')).toThrow(TypeError);
    expect(t.listened).toEqual([]);
  });
});
