/**
 * The harness's and the preview's stand-in for src-preload/index.ts: the very same createApi, with
 * invoke bridged to a Playwright binding (`rwInvoke`) that reaches the real router in Node, and listen
 * fed by the shell, which delivers main → renderer events to the calling frame through
 * `__rwDeliverEvent` (browser-shell.ts). Bundled for the page and installed as an init script, so it
 * exists before the app's first script runs, in every frame (which is how the cross-origin refusal
 * test reaches the router from an iframe).
 */
import { createApi } from '../src-preload/create-api';

type Binding = (channel: string, request: unknown) => Promise<unknown>;
type Deliver = (payload: unknown) => void;

const listeners = new Map<string, Set<Deliver>>();

const api = createApi(
  (channel, request) => {
    const binding = (globalThis as { rwInvoke?: Binding }).rwInvoke;
    if (typeof binding !== 'function') return Promise.reject(new Error('bridge missing'));
    return binding(channel, request);
  },
  (event, deliver) => {
    const set = listeners.get(event) ?? new Set<Deliver>();
    listeners.set(event, set);
    // A fresh wrapper per subscription, so subscribing the same handler twice is removed one at a time (as ipcRenderer.on).
    const entry: Deliver = (payload) => deliver(payload);
    set.add(entry);
    return () => void set.delete(entry);
  },
);

// Like contextBridge.exposeInMainWorld: a frozen object on a property the page cannot replace.
Object.defineProperty(globalThis, 'rw', { value: api, enumerable: true, configurable: false, writable: false });

// The shell's way in. The page could call it too, but gains nothing: createApi's subscribe checks every
// payload against the event schema, and events are display-only numbers.
Object.defineProperty(globalThis, '__rwDeliverEvent', {
  value: (event: string, payload: unknown) => {
    for (const deliver of [...(listeners.get(event) ?? [])]) deliver(payload);
  },
  enumerable: false,
  configurable: false,
  writable: false,
});
