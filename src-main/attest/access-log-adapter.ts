/** The real access log (src-main/audit/access-log.ts) behind the AccessLogPort this folder uses. */
import type { AccessLog } from '../audit/access-log';
import type { LeafRole } from '../audit/log-leaf';
import type { AccessLogPort } from './access-log-port';

export function accessLogPort(log: AccessLog, actor: { user: string | null; role: LeafRole }, session: string | null = null): AccessLogPort {
  return {
    logEvent(event) {
      const object = { kind: event.object.kind, id: event.object.id, name: event.object.name ?? null, digest: event.object.digest ?? null };
      return log.append({ actor, session, event: event.event, object, outcome: event.outcome, detail: event.detail ?? {} }).seq;
    },
    origin: () => log.origin,
    // A checkpoint that covers every leaf so far (the export and sign events included).
    signedCheckpoint: () => log.checkpoint('sync').note,
    consistencyProof: (size1, size2) => log.consistencyProof(size1, size2),
  };
}
