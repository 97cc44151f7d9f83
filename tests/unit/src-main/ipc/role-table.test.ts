/**
 * Every channel of the IPC contract × every role, written out by hand and checked against the router.
 * The table is the reviewable statement of who may call what: a channel that starts admitting
 * `anonymous` (the locked app), or a content channel opened to auditors, turns a row red here; a new
 * channel fails until it is added. Schemas are relaxed to `unknown` so the row checks the role decision
 * alone (the router checks the schema first, and a valid payload per channel would test the schemas).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CHANNEL_NAMES, CONTRACT, type ChannelName } from '../../../../src-shared/ipc/contract';
import type { ChannelSpec } from '../../../../src-shared/ipc/channel';
import { ROLES, type Role } from '../../../../src-shared/ipc/roles';
import { createRouter, type AuditRecord } from '../../../../src-main/ipc/router';

const A: Role[] = ['anonymous', 'reviewer', 'auditor'];

const ALLOWED: Record<ChannelName, readonly Role[]> = {
  'session.status': A,
  'session.unlock': ['anonymous'],
  'session.lock': ['reviewer', 'auditor'],
  'vault.create': ['anonymous'],
  'attest.preview': ['reviewer'],
  'attest.sign': ['reviewer'],
  'outbox.list': ['reviewer'],
  'sync.exportMedia': ['reviewer'],
  'sync.now': ['reviewer'],
  'cases.list': ['reviewer'],
  'cases.get': ['reviewer'],
  'artifacts.list': ['reviewer'],
  'artifacts.open': ['reviewer'],
  'artifacts.read': ['reviewer'],
  'artifact.rows': ['reviewer'],
  'cases.importDemo': ['reviewer'],
  'cases.remove': ['reviewer'],
  'notes.list': ['reviewer'],
  'notes.create': ['reviewer'],
  'notes.edit': ['reviewer'],
  'notes.delete': ['reviewer'],
  'notes.history': ['reviewer'],
  'findings.list': ['reviewer'],
  'findings.create': ['reviewer'],
  'findings.edit': ['reviewer'],
  'findings.delete': ['reviewer'],
  'findings.history': ['reviewer'],
  'checklist.get': ['reviewer'],
  'checklist.set': ['reviewer'],
  'case.progress': ['reviewer'],
  'cases.progress': ['reviewer'],
  'controls.status': ['reviewer', 'auditor'],
  'controls.copyAttempt': ['reviewer'],
  'controls.copy': ['reviewer'],
  'controls.printAttempt': ['reviewer', 'auditor'],
  'controls.export': ['reviewer'],
  'audit.resolveWatermark': ['auditor'],
  'audit.query': ['auditor'],
  'audit.summary': ['auditor'],
  'audit.integrity': ['auditor', 'reviewer'],
  'audit.whoSaw': ['auditor'],
  'audit.flags': ['auditor'],
  'artifact.view': ['reviewer'],
  'evidence.list': ['reviewer'],
  'evidence.check': ['reviewer'],
  'evidence.samples': ['reviewer'],
  'evidence.sample': ['reviewer'],
  'evidence.compare': ['reviewer'],
  'claims.list': ['reviewer'],
  'claims.link': ['reviewer'],
  'claims.override': ['reviewer'],
  'findings.export': ['reviewer'],
  'findings.attest': ['reviewer'],
  'search.query': ['reviewer'],
  'cases.importChoose': ['reviewer'],
  'cases.importUpload': ['reviewer'],
  'cases.compare': ['reviewer'],
  'cases.diff': ['reviewer'],
  'admin.users': ['reviewer', 'auditor'],
  'admin.addUser': ['reviewer'],
  'admin.removeUser': ['reviewer'],
  'admin.changePassphrase': ['reviewer', 'auditor'],
  'admin.settings': ['reviewer', 'auditor'],
  'admin.enrollRequest': ['reviewer'],
  'admin.enrollImport': ['reviewer'],
  'lockout.status': ['anonymous', 'reviewer', 'auditor'],
  'lockout.clear': ['anonymous', 'reviewer'],
  'lockout.release': ['anonymous', 'reviewer'],
  'audit.exportBundle': ['auditor'],
};

const TOP = { url: 'app://rw/index.html', isTopFrame: true };

function routerAs(role: Role, log: AuditRecord[]) {
  const contract = Object.fromEntries(
    Object.entries(CONTRACT).map(([name, spec]) => [name, { ...(spec as ChannelSpec), request: z.unknown(), response: z.unknown() }]),
  ) as Record<string, ChannelSpec>;
  const handlers = Object.fromEntries(Object.keys(CONTRACT).map((name) => [name, async () => 'ran']));
  return createRouter({ contract, handlers, session: () => ({ role, user: role === 'anonymous' ? null : 'ada' }), audit: { record: (e) => void log.push(e) }, appOrigin: 'app://rw' });
}

describe('IPC role table: every channel × every role', () => {
  it('lists exactly the channels of the contract', () => {
    expect(Object.keys(ALLOWED).sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('the locked app (anonymous) may only read the status, unlock, create the vault and recover from a lockout', () => {
    expect(CHANNEL_NAMES.filter((n) => ALLOWED[n].includes('anonymous')).sort()).toEqual(['lockout.clear', 'lockout.release', 'lockout.status', 'session.status', 'session.unlock', 'vault.create']);
  });

  const rows = CHANNEL_NAMES.flatMap((channel) => ROLES.map((role) => [channel, role, ALLOWED[channel].includes(role)] as const));
  it.each(rows)('%s as %s: allowed %s', async (channel, role, allowed) => {
    const log: AuditRecord[] = [];
    const result = await routerAs(role, log).handle(channel, {}, TOP);
    if (allowed) {
      expect(result).toEqual({ ok: true, value: 'ran' });
      expect(log[0]).toMatchObject({ channel, outcome: 'success' });
    } else {
      expect(result).toMatchObject({ ok: false, error: { code: 'DENIED' } });
      expect(log[0]).toMatchObject({ channel, outcome: 'denied', errorCode: 'DENIED' });
    }
  });
});
