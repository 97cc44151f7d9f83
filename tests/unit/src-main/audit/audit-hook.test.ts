import { afterEach, describe, expect, it } from 'vitest';
import { accessLogHook, entryFromRecord } from '../../../../src-main/audit/audit-hook';
import { AuditQuery } from '../../../../src-main/audit/audit-query';
import { openAuditFixture, type AuditFixture } from '../../../helpers/audit-fixture';

let f: AuditFixture | undefined;
afterEach(() => {
  f?.close();
  f = undefined;
});

describe('router audit hook', () => {
  it('turns a router record into a leaf entry without the error message', () => {
    expect(
      entryFromRecord(
        { channel: 'notes.create', event: 'note.create', actor: { role: 'reviewer', user: 'alice' }, outcome: 'failure', errorCode: 'CONFLICT', object: { kind: 'note', id: 'n1' }, detail: { page: 3 } },
        'sess',
      ),
    ).toEqual({
      actor: { user: 'alice', role: 'reviewer' },
      session: 'sess',
      event: 'note.create',
      object: { kind: 'note', id: 'n1', name: null, digest: null },
      outcome: 'failure',
      detail: { channel: 'notes.create', page: 3, error: 'CONFLICT' },
    });
  });

  it("writes to the signed-in session's log, else through the device slot, and releases the device handle", async () => {
    const fx = openAuditFixture();
    f = fx;
    let signedIn = true;
    let released = 0;
    const hook = accessLogHook({
      current: () => (signedIn ? { log: fx.log, session: 'sess-1' } : null),
      device: () => ({ log: fx.log, session: null, release: () => void released++ }),
    });
    await hook.record({ channel: 'cases.list', event: 'case.list', actor: { role: 'reviewer', user: 'alice' }, outcome: 'success' });
    signedIn = false;
    await hook.record({ channel: 'session.unlock', event: 'unlock', actor: { role: 'anonymous', user: null }, outcome: 'failure', errorCode: 'AUTH_FAILED' });
    await hook.record({ channel: 'session.status', event: 'session.status', actor: { role: 'anonymous', user: null }, outcome: 'success' });
    await hook.record({ channel: 'session.status', event: 'session.status', actor: { role: 'anonymous', user: null }, outcome: 'denied', errorCode: 'SENDER_REFUSED' });
    expect(released).toBe(2);
    const rows = new AuditQuery(fx.db).query({}, 0, 10).rows;
    expect(rows.map((r) => [r.event, r.outcome, r.session])).toEqual([
      ['case.list', 'success', 'sess-1'],
      ['unlock', 'failure', null],
      ['session.status', 'denied', null],
    ]);
  });

  it('writes nothing when no vault exists yet', async () => {
    const hook = accessLogHook({ current: () => null, device: () => null });
    await expect(Promise.resolve(hook.record({ channel: 'vault.create', event: 'vault.create', actor: { role: 'anonymous', user: null }, outcome: 'failure' }))).resolves.toBeUndefined();
  });
});
