import type { ErrorPayload } from '../errors';

/**
 * What crosses the bridge. Errors travel as data: contextBridge drops custom properties of thrown
 * errors, and a code the renderer can switch on is the point.
 */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };
