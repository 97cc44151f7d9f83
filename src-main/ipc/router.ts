/**
 * The only way from the renderer to a privileged service. Order matters and is fixed:
 * (1) sender check, (2) schema, (3) role, (4) service, (5) access-log entry, (6) release or error mapping.
 * A call refused at any step is still logged, with outcome `denied` or `failure`. The entry is written
 * after the service has computed its answer (so the outcome is the true one) but before anything is
 * released to the renderer: if the log cannot be written, the caller gets nothing.
 */
import type { z } from 'zod';
import { RwError, toErrorPayload, type ErrorPayload } from '../../src-shared/errors';
import type { ChannelSpec } from '../../src-shared/ipc/channel';
import { EVENTS, type EventPayload, type EventSink } from '../../src-shared/ipc/events';
import type { Role } from '../../src-shared/ipc/roles';
import type { IpcResult } from '../../src-shared/ipc/result';

/** Where a call came from, as Electron (senderFrame) or the harness (Playwright frame) reports it. */
export interface SenderInfo {
  url: string;
  isTopFrame: boolean;
}

export interface CallerSession {
  role: Role;
  user: string | null;
}

export type Outcome = 'success' | 'failure' | 'denied';

export interface AuditRecord {
  channel: string;
  event: string;
  actor: CallerSession;
  outcome: Outcome;
  /** Error code for refusals and failures; the message never goes to the log (it may quote input). */
  errorCode?: string;
  /** What the call touched, as the service reports it (artifact id, case id…). */
  object?: { kind: string; id: string; name?: string; digest?: string };
  detail?: Record<string, string | number | boolean>;
}

/** The access log as the router sees it. Written after the service answers and before the answer is released: if writing fails, nothing is released (fail closed). */
export interface AuditHook {
  record(entry: AuditRecord): Promise<void> | void;
}

export interface CallContext {
  session: CallerSession;
  /** Lets a service name the object it touched and add details to the access-log entry. */
  describe(object: AuditRecord['object'], detail?: AuditRecord['detail']): void;
  /**
   * Pushes an event to the window that made this call, and to no other. Not logged: the call itself
   * is the access-log entry. Payloads are checked against the event contract; one that fails is dropped.
   */
  emit: EventSink;
}

export type Handler<C extends ChannelSpec> = (request: z.output<C['request']>, ctx: CallContext) => Promise<z.input<C['response']>>;

export type Handlers<K extends Record<string, ChannelSpec>> = { [N in keyof K]: Handler<K[N]> };

export interface RouterOptions<K extends Record<string, ChannelSpec>> {
  contract: K;
  handlers: Partial<Handlers<K>>;
  session(): CallerSession;
  audit: AuditHook;
  /** The app's own origin: `app://rw` in Electron; the harness passes its own. */
  appOrigin: string;
}

export interface Router {
  /** `events` reaches the calling window only (Electron: its webContents; harness: its page). */
  handle(channel: string, payload: unknown, sender: SenderInfo, events?: EventSink): Promise<IpcResult<unknown>>;
}

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    // WHATWG URL gives "null" as the origin of non-special schemes (app://); rebuild it the same way for both sides.
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

/**
 * One schema problem in words a person can act on: the field named as a label ("New passphrase"), the
 * rule's own sentence, one full stop. Not "The request was not valid (passphrase): At least 12 characters..".
 */
export function plainIssue(issue: { path: readonly PropertyKey[]; message: string } | undefined): string {
  if (!issue) return 'The request was not valid.';
  const message = issue.message.trim().replace(/\.+$/, '');
  const key = [...issue.path].reverse().find((p): p is string => typeof p === 'string');
  if (!key) return `The request was not valid: ${message}.`;
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}: ${message.charAt(0).toLowerCase()}${message.slice(1)}.`;
}

export function createRouter<K extends Record<string, ChannelSpec>>(options: RouterOptions<K>): Router {
  const appOrigin = originOf(options.appOrigin);

  async function log(entry: AuditRecord): Promise<void> {
    await options.audit.record(entry);
  }

  return {
    async handle(channel, payload, sender, events) {
      const actor = options.session();
      const spec = Object.hasOwn(options.contract, channel) ? options.contract[channel] : undefined;
      const event = spec?.event ?? 'ipc.unknown';
      const refuse = async (error: RwError, outcome: Outcome): Promise<IpcResult<unknown>> => {
        await log({ channel: spec ? channel : 'unknown', event, actor, outcome, errorCode: error.code });
        return { ok: false, error: toErrorPayload(error) };
      };

      // (1) Only the app's own top frame may call: an iframe, a navigated-away page or another origin may not.
      if (!sender.isTopFrame || appOrigin === null || originOf(sender.url) !== appOrigin) {
        return refuse(new RwError('SENDER_REFUSED', 'This caller may not use the workstation API.'), 'denied');
      }
      if (!spec) return refuse(new RwError('UNKNOWN_CHANNEL', 'No such operation.'), 'denied');

      // (2) Schema: the service only ever sees typed, validated input.
      const parsed = spec.request.safeParse(payload);
      if (!parsed.success) {
        return refuse(new RwError('INVALID_INPUT', plainIssue(parsed.error.issues[0])), 'denied');
      }

      // (3) Role, and separation of duties: content channels are never open to auditors.
      if (!spec.roles.includes(actor.role) || (spec.content === true && actor.role === 'auditor')) {
        return refuse(new RwError('DENIED', 'Your role does not allow this operation.'), 'denied');
      }

      const handler = options.handlers[channel as keyof K] as ((req: unknown, ctx: CallContext) => Promise<unknown>) | undefined;
      if (!handler) return refuse(new RwError('UNKNOWN_CHANNEL', 'This operation is not available.'), 'denied');

      // (4)+(5) The service runs; its result is released only after the access-log entry is written,
      // so nothing reaches the renderer unlogged (fail closed when the log cannot be written).
      let object: AuditRecord['object'];
      let detail: AuditRecord['detail'];
      const ctx: CallContext = {
        session: actor,
        describe(o, d) {
          object = o;
          detail = d;
        },
        emit(name, body) {
          if (!events) return;
          const checked = EVENTS[name].safeParse(body);
          // safeParse of a union-indexed schema loses the tie between name and payload; the parse restores it.
          if (checked.success) events(name, checked.data as EventPayload<typeof name>);
        },
      };
      let value: unknown;
      let failure: ErrorPayload | null = null;
      try {
        value = await handler(parsed.data, ctx);
      } catch (error) {
        failure = toErrorPayload(error);
      }
      const after = options.session();
      const record: AuditRecord = {
        channel,
        event,
        // A successful unlock is attributed to the user it signed in.
        actor: actor.role === 'anonymous' && after.role !== 'anonymous' ? after : actor,
        outcome: failure ? 'failure' : 'success',
      };
      if (failure) record.errorCode = failure.code;
      if (object) record.object = object;
      if (detail) record.detail = detail;
      try {
        await log(record);
      } catch {
        return { ok: false, error: toErrorPayload(new RwError('INTERNAL', 'The access log could not be written; the operation was withheld.')) };
      }
      if (failure) return { ok: false, error: failure };

      // (6) Responses are checked too: a service bug must not leak fields the contract does not promise.
      const checked = spec.response.safeParse(value);
      if (!checked.success) return { ok: false, error: toErrorPayload(new RwError('INTERNAL', 'The service returned an unexpected answer.')) };
      return { ok: true, value: checked.data };
    },
  };
}
