/**
 * Builds `window.rw` from a single invoke function and a single listen function. The real preload
 * passes ipcRenderer.invoke and a wrapper over ipcRenderer.on; the Chromium harness and the browser
 * preview pass a bridge to the same router. Nothing else is exposed: no ipcRenderer, no IPC event
 * object (its `sender` is the ipcRenderer itself), only schema-checked payloads of contract events.
 */
import type { RequestOf, ResponseOf } from '../src-shared/ipc/channel';
import { CHANNEL_NAMES, type ChannelName, type Contract } from '../src-shared/ipc/contract';
import { EVENTS, isEventName, type EventName, type EventPayload } from '../src-shared/ipc/events';
import type { IpcResult } from '../src-shared/ipc/result';

export type Invoke = (channel: string, request: unknown) => Promise<unknown>;

/** Raw transport for main → renderer events: calls `deliver` with each payload; returns a remover. */
export type Listen = (event: string, deliver: (payload: unknown) => void) => () => void;

/** Subscribes to one contract event; the returned function removes the subscription (idempotent). */
export type Subscribe = <E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void) => () => void;

export type RwApi = {
  [K in ChannelName]: (request: RequestOf<Contract[K]>) => Promise<IpcResult<ResponseOf<Contract[K]>>>;
} & { subscribe: Subscribe };

function createSubscribe(listen: Listen): Subscribe {
  return (event, handler) => {
    // The page names an event: anything outside the contract is a bug, said at once rather than a silent no-op.
    if (!isEventName(event)) throw new TypeError('No such workstation event.');
    if (typeof handler !== 'function') throw new TypeError('The event handler must be a function.');
    const schema = EVENTS[event];
    let remove: (() => void) | null = listen(event, (payload) => {
      // A malformed payload (a main-side bug, or anything else that reached the transport) is dropped.
      const parsed = schema.safeParse(payload);
      if (parsed.success) handler(parsed.data as EventPayload<typeof event>);
    });
    return () => {
      remove?.();
      remove = null;
    };
  };
}

export function createApi(invoke: Invoke, listen: Listen): RwApi {
  const api: Record<string, unknown> = {};
  for (const channel of CHANNEL_NAMES) {
    api[channel] = (request: unknown) => invoke(channel, request);
  }
  // Channel names all contain a dot, so `subscribe` cannot shadow one.
  api['subscribe'] = createSubscribe(listen);
  return Object.freeze(api) as RwApi;
}
