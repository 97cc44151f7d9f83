/**
 * The one place that reaches `window.rw` (built by the preload, or by the harness/preview bridge with
 * the same createApi). Every call is unwrapped here: a value, or a thrown RwError carrying the
 * router's code, so hooks and screens switch on codes instead of parsing messages.
 */
import type { RwApi } from '../../src-preload/create-api';
import type { RequestOf, ResponseOf } from '../../src-shared/ipc/channel';
import type { ChannelName, Contract } from '../../src-shared/ipc/contract';
import { RwError, type ErrorCode } from '../../src-shared/errors';
import type { EventName, EventPayload } from '../../src-shared/ipc/events';
import { mayCall } from './session-gate';

function api(): RwApi {
  const rw = (globalThis as { rw?: RwApi }).rw;
  if (!rw) throw new RwError('INTERNAL', 'The workstation API is not available in this window.');
  return rw;
}

/** Calls one channel; resolves with its value or throws RwError (never a raw bridge error). */
export async function rwCall<K extends ChannelName>(channel: K, request: RequestOf<Contract[K]>): Promise<ResponseOf<Contract[K]>> {
  // Locked (or locking): a signed-in channel is not even sent (session-gate.ts).
  // `gate` marks it: the lock already forgot the session, so the cache needs no second wipe (which would
  // make the screen being left ask again, and be refused again, until it unmounts).
  if (!mayCall(channel)) throw new RwError('VAULT_LOCKED', 'The workstation is locked.', { gate: 1 });
  const fn = api()[channel] as (req: RequestOf<Contract[K]>) => Promise<unknown>;
  let result: unknown;
  try {
    result = await fn(request);
  } catch {
    // A bridge failure (closed window, serialisation) carries no code; the user sees a plain message.
    throw new RwError('INTERNAL', 'The workstation did not answer. Try again.');
  }
  const r = result as { ok?: unknown; value?: unknown; error?: { code?: unknown; message?: unknown; detail?: unknown } } | null;
  if (r && r.ok === true) return r.value as ResponseOf<Contract[K]>;
  const error = r?.error;
  const code = typeof error?.code === 'string' ? (error.code as ErrorCode) : 'INTERNAL';
  const message = typeof error?.message === 'string' ? error.message : 'The operation failed.';
  const detail = error?.detail && typeof error.detail === 'object' ? (error.detail as Record<string, string | number>) : {};
  throw new RwError(code, message, detail);
}

/**
 * Subscribes to a main → renderer event (payloads already schema-checked by createApi); returns the
 * remover. Without the API (a window without the preload) there is nothing to hear: a no-op remover.
 */
export function rwSubscribe<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void {
  const rw = (globalThis as { rw?: Partial<RwApi> }).rw;
  if (typeof rw?.subscribe !== 'function') return () => undefined;
  return rw.subscribe(event, handler);
}
