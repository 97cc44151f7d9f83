/**
 * The auditor's question after a leak (see ARCHITECTURE: insider-risk controls): which user, workstation and unlock session showed
 * this session code, and when. The answer comes from the access log: the `watermark.session` leaf
 * written at unlock (object id = the code) names user, workstation and session; the session's last
 * leaf bounds the time it was on screen. Answers are as good as the log's integrity check says.
 */
import type { WatermarkResolution } from '../../src-shared/ipc/channels-controls';
import type { AuditQuery } from '../audit/audit-query';

export function resolveWatermarkCode(query: AuditQuery, codeHex: string): WatermarkResolution {
  const code = codeHex.toLowerCase();
  const none: WatermarkResolution = { code, found: false, user: null, session: null, workstation: null, from: null, to: null, seq: null };
  const hit = query.query({ event: 'watermark.session', objectId: code }, 0, 1).rows[0];
  if (!hit || hit.damaged) return none;
  let to = hit.ts;
  if (hit.session !== null) {
    const all = query.query({ session: hit.session }, 0, 1);
    const last = all.total > 0 ? query.query({ session: hit.session }, all.total - 1, 1).rows[0] : undefined;
    if (last && !last.damaged) to = Math.max(to, last.ts);
  }
  const workstation = typeof hit.detail['workstation'] === 'string' ? hit.detail['workstation'] : hit.device;
  return { code, found: true, user: hit.actor.user, session: hit.session, workstation, from: hit.ts, to, seq: hit.seq };
}
