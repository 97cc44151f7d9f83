import type { z } from 'zod';
import type { Role } from './roles';

/**
 * One IPC channel: what it accepts, what it answers, who may call it, and how the access log names
 * the call. The router enforces all of it; the preload only knows the channel names.
 */
export interface ChannelSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  request: Req;
  response: Res;
  roles: readonly Role[];
  /** Access-log event name written for every call (DESIGN §5 leaf `event`). */
  event: string;
  /** Touches content.db (cases, artifacts, notes…): refused to auditors by construction. */
  content?: boolean;
}

export function defineChannel<Req extends z.ZodType, Res extends z.ZodType>(spec: ChannelSpec<Req, Res>): ChannelSpec<Req, Res> {
  return spec;
}

export type RequestOf<C> = C extends ChannelSpec<infer Req, z.ZodType> ? z.input<Req> : never;
export type ResponseOf<C> = C extends ChannelSpec<z.ZodType, infer Res> ? z.output<Res> : never;
