import { describe, expect, it } from 'vitest';
import { AuditQuery } from '../../../../src-main/audit/audit-query';
import { resolveWatermarkCode } from '../../../../src-main/controls/watermark-resolve';
import { openAuditFixture, tick } from '../../../helpers/audit-fixture';

describe('resolving a watermark code from the access log', () => {
  it('names the user, workstation, session and the time span of the session that carried the code', () => {
    const f = openAuditFixture();
    try {
      const actor = { user: 'avery', role: 'reviewer' as const };
      f.log.append({ actor, session: 's-other', event: 'watermark.session', object: { kind: 'watermark', id: '0000000000aa' }, outcome: 'success', detail: { workstation: 'ws-x' } });
      tick(f, 1000);
      const start = f.clock.wall;
      const { seq } = f.log.append({ actor, session: 's-1', event: 'watermark.session', object: { kind: 'watermark', id: 'a1b2c3d4e5f6' }, outcome: 'success', detail: { workstation: 'ws-1' } });
      tick(f, 60_000);
      f.log.append({ actor, session: 's-1', event: 'artifact.view', object: { kind: 'artifact', id: 'art-1' }, outcome: 'success' });
      tick(f, 60_000);
      f.log.append({ actor, session: 's-1', event: 'lock', outcome: 'success', detail: { reason: 'manual' } });
      tick(f, 60_000);
      f.log.append({ actor, session: 's-2', event: 'unlock', outcome: 'success' });
      expect(resolveWatermarkCode(new AuditQuery(f.db), 'A1B2C3D4E5F6')).toEqual({
        code: 'a1b2c3d4e5f6',
        found: true,
        user: 'avery',
        session: 's-1',
        workstation: 'ws-1',
        from: start,
        to: start + 120_000,
        seq,
      });
      expect(resolveWatermarkCode(new AuditQuery(f.db), '123456789abc')).toMatchObject({ found: false, user: null, session: null });
    } finally {
      f.close();
    }
  });
});
