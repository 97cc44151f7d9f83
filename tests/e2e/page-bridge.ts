/**
 * The harness's and the preview's stand-in for src-preload/index.ts: the very same createApi, with
 * invoke bridged to a Playwright binding (`rwInvoke`) that reaches the real router in Node. Bundled
 * for the page and installed as an init script, so it exists before the app's first script runs,
 * in every frame (which is how the cross-origin refusal test reaches the router from an iframe).
 */
import { createApi } from '../../src-preload/create-api';

type Binding = (channel: string, request: unknown) => Promise<unknown>;

const api = createApi((channel, request) => {
  const binding = (globalThis as { rwInvoke?: Binding }).rwInvoke;
  if (typeof binding !== 'function') return Promise.reject(new Error('bridge missing'));
  return binding(channel, request);
});

// Like contextBridge.exposeInMainWorld: a frozen object on a property the page cannot replace.
Object.defineProperty(globalThis, 'rw', { value: api, enumerable: true, configurable: false, writable: false });
