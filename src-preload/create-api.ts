/**
 * Builds `window.rw` from a single invoke function. The real preload passes ipcRenderer.invoke; the
 * Chromium harness and the browser preview pass a bridge to the same router. Nothing else is exposed:
 * no ipcRenderer, no events, no callbacks that could receive one.
 */
import type { RequestOf, ResponseOf } from '../src-shared/ipc/channel';
import { CHANNEL_NAMES, type ChannelName, type Contract } from '../src-shared/ipc/contract';
import type { IpcResult } from '../src-shared/ipc/result';

export type Invoke = (channel: string, request: unknown) => Promise<unknown>;

export type RwApi = {
  [K in ChannelName]: (request: RequestOf<Contract[K]>) => Promise<IpcResult<ResponseOf<Contract[K]>>>;
};

export function createApi(invoke: Invoke): RwApi {
  const api: Record<string, (request: unknown) => Promise<unknown>> = {};
  for (const channel of CHANNEL_NAMES) {
    api[channel] = (request: unknown) => invoke(channel, request);
  }
  return Object.freeze(api) as RwApi;
}
