import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RwError } from '../../../../src-shared/errors';
import { defineChannel } from '../../../../src-shared/ipc/channel';
import type { Role } from '../../../../src-shared/ipc/roles';
import { createRouter, type AuditRecord } from '../../../../src-main/ipc/router';

const contract = {
  'notes.create': defineChannel({
    request: z.object({ caseId: z.string().uuid(), text: z.string().max(10) }).strict(),
    response: z.object({ id: z.string() }),
    roles: ['reviewer', 'auditor'],
    event: 'note.create',
    content: true,
  }),
  'audit.list': defineChannel({ request: z.object({}).strict(), response: z.array(z.number()), roles: ['auditor'], event: 'audit.list' }),
  'broken.answer': defineChannel({ request: z.object({}).strict(), response: z.object({ id: z.string() }), roles: ['reviewer'], event: 'broken' }),
};

const TOP = { url: 'app://rw/index.html', isTopFrame: true };
const CASE = '7d6b4c8e-2b1f-4c3a-9f6e-1a2b3c4d5e6f';

function setup(role: Role, options: { failAudit?: boolean } = {}) {
  const log: AuditRecord[] = [];
  const calls: unknown[] = [];
  const router = createRouter({
    contract,
    handlers: {
      'notes.create': async (request, ctx) => {
        calls.push(request);
        ctx.describe({ kind: 'case', id: request.caseId });
        if (request.text === 'boom') throw new RwError('CONFLICT', 'Edited elsewhere.');
        if (request.text === 'crash') throw new Error('/home/reviewer/secret path');
        return { id: 'n1' };
      },
      'audit.list': async () => [1, 2],
      'broken.answer': async () => ({ id: 5 }) as unknown as { id: string },
    },
    session: () => ({ role, user: role === 'anonymous' ? null : 'ada' }),
    audit: {
      record(entry) {
        if (options.failAudit) throw new Error('disk full');
        log.push(entry);
      },
    },
    appOrigin: 'app://rw',
  });
  return { router, log, calls };
}

describe('IPC router', () => {
  it('runs the service for a valid call from the top frame, and logs success with the object', async () => {
    const { router, log, calls } = setup('reviewer');
    expect(await router.handle('notes.create', { caseId: CASE, text: 'hi' }, TOP)).toEqual({ ok: true, value: { id: 'n1' } });
    expect(calls).toHaveLength(1);
    expect(log).toEqual([{ channel: 'notes.create', event: 'note.create', actor: { role: 'reviewer', user: 'ada' }, outcome: 'success', object: { kind: 'case', id: CASE } }]);
  });

  it.each([
    ['a cross-origin iframe', { url: 'https://evil.example/frame.html', isTopFrame: false }],
    ['a same-origin iframe', { url: 'app://rw/index.html', isTopFrame: false }],
    ['a top frame of another origin', { url: 'https://evil.example/', isTopFrame: true }],
    ['a top frame of another app host', { url: 'app://other/index.html', isTopFrame: true }],
    ['a destroyed frame', { url: '', isTopFrame: false }],
  ])('refuses %s with SENDER_REFUSED and never calls the service', async (_name, sender) => {
    const { router, log, calls } = setup('reviewer');
    const result = await router.handle('notes.create', { caseId: CASE, text: 'hi' }, sender);
    expect(result).toMatchObject({ ok: false, error: { code: 'SENDER_REFUSED' } });
    expect(calls).toHaveLength(0);
    expect(log[0]).toMatchObject({ outcome: 'denied', errorCode: 'SENDER_REFUSED' });
  });

  it.each(['nope', '__proto__', 'constructor', 'toString'])('refuses the unknown channel %s', async (channel) => {
    const { router, log } = setup('reviewer');
    expect(await router.handle(channel, {}, TOP)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(log[0]).toMatchObject({ channel: 'unknown', outcome: 'denied' });
  });

  it.each([
    ['a missing field', { caseId: CASE }],
    ['a wrong type', { caseId: CASE, text: 5 }],
    ['an extra field', { caseId: CASE, text: 'hi', path: '/etc/passwd' }],
    ['an over-long string', { caseId: CASE, text: 'x'.repeat(11) }],
    ['not an object', 'hello'],
    ['a malformed id', { caseId: '../../x', text: 'hi' }],
  ])('refuses %s as INVALID_INPUT naming the field', async (_name, payload) => {
    const { router, calls } = setup('reviewer');
    const result = await router.handle('notes.create', payload, TOP);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(calls).toHaveLength(0);
  });

  it('refuses a role the channel does not list', async () => {
    const { router, log } = setup('reviewer');
    expect(await router.handle('audit.list', {}, TOP)).toMatchObject({ ok: false, error: { code: 'DENIED' } });
    expect(log[0]).toMatchObject({ outcome: 'denied', errorCode: 'DENIED', actor: { role: 'reviewer' } });
  });

  it('refuses content channels to auditors even when listed for them', async () => {
    const { router, calls } = setup('auditor');
    expect(await router.handle('notes.create', { caseId: CASE, text: 'hi' }, TOP)).toMatchObject({ ok: false, error: { code: 'DENIED' } });
    expect(calls).toHaveLength(0);
  });

  it('refuses anonymous callers', async () => {
    const { router } = setup('anonymous');
    expect(await router.handle('notes.create', { caseId: CASE, text: 'hi' }, TOP)).toMatchObject({ ok: false, error: { code: 'DENIED' } });
  });

  it('maps a service error to its code and logs the failure', async () => {
    const { router, log } = setup('reviewer');
    expect(await router.handle('notes.create', { caseId: CASE, text: 'boom' }, TOP)).toEqual({ ok: false, error: { code: 'CONFLICT', message: 'Edited elsewhere.', detail: {} } });
    expect(log[0]).toMatchObject({ outcome: 'failure', errorCode: 'CONFLICT' });
  });

  it('never lets an unexpected error message, path or stack reach the renderer', async () => {
    const { router } = setup('reviewer');
    const result = await router.handle('notes.create', { caseId: CASE, text: 'crash' }, TOP);
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'An internal error occurred.', detail: {} } });
    expect(JSON.stringify(result)).not.toContain('/home');
  });

  it('withholds the answer when the access log cannot be written', async () => {
    const { router } = setup('reviewer', { failAudit: true });
    const result = await router.handle('notes.create', { caseId: CASE, text: 'hi' }, TOP);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('n1');
  });

  it('refuses a service answer that breaks the response schema', async () => {
    const { router } = setup('reviewer');
    expect(await router.handle('broken.answer', {}, TOP)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});

describe('IPC router: events back to the caller', () => {
  const eventContract = {
    'work.run': defineChannel({ request: z.object({ payload: z.unknown() }).strict(), response: z.object({}), roles: ['reviewer'], event: 'work.run' }),
  };

  function eventSetup() {
    const log: AuditRecord[] = [];
    const router = createRouter({
      contract: eventContract,
      handlers: {
        'work.run': async ({ payload }, ctx) => {
          // A service bug could emit anything; the router must hold it to the event contract.
          (ctx.emit as (name: string, body: unknown) => void)('import.progress', payload);
          return {};
        },
      },
      session: () => ({ role: 'reviewer', user: 'ada' }),
      audit: { record: (entry) => void log.push(entry) },
      appOrigin: 'app://rw',
    });
    return { router, log };
  }

  it("delivers a valid event through the caller's sink, and logs the call once (events are not logged)", async () => {
    const { router, log } = eventSetup();
    const caller: unknown[][] = [];
    const payload = { bytesDone: 5, bytesTotal: 10, phase: 'storing' };
    await router.handle('work.run', { payload }, TOP, (...args) => void caller.push(args));
    expect(caller).toEqual([['import.progress', payload]]);
    expect(log.map((e) => e.event)).toEqual(['work.run']);
  });

  it.each([
    ['an extra field (a path)', { bytesDone: 5, bytesTotal: 10, phase: 'storing', entry: '/home/ada/pkg' }],
    ['more done than the total', { bytesDone: 11, bytesTotal: 10, phase: 'storing' }],
    ['an unknown phase', { bytesDone: 5, bytesTotal: 10, phase: 'paused' }],
  ])('drops an event that breaks the event contract: %s', async (_name, payload) => {
    const { router } = eventSetup();
    const caller: unknown[][] = [];
    expect(await router.handle('work.run', { payload }, TOP, (...args) => void caller.push(args))).toEqual({ ok: true, value: {} });
    expect(caller).toEqual([]);
  });

  it('emits nothing when the caller gave no way back, and nothing for a refused caller', async () => {
    const { router } = eventSetup();
    const payload = { bytesDone: 1, bytesTotal: 1, phase: 'done' };
    expect(await router.handle('work.run', { payload }, TOP)).toEqual({ ok: true, value: {} });
    const frame: unknown[][] = [];
    await router.handle('work.run', { payload }, { url: 'https://evil.example/', isTopFrame: false }, (...args) => void frame.push(args));
    expect(frame).toEqual([]);
  });
});
