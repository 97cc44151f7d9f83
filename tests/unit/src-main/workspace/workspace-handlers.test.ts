import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { workspaceChannels } from '../../../../src-shared/ipc/channels-workspace';
import type { Role } from '../../../../src-shared/ipc/roles';
import { createRouter, type AuditRecord } from '../../../../src-main/ipc/router';
import { workspaceHandlers } from '../../../../src-main/workspace/workspace-handlers';
import { openContentFixture, type ContentFixture } from './content-fixture';

const TOP = { url: 'app://rw/index.html', isTopFrame: true };
const MARKER = 'SECRET-NOTE-TEXT-4411';

let fx: ContentFixture;
beforeEach(() => {
  fx = openContentFixture();
});
afterEach(() => fx.close());

function setup(role: Role, user: string | null = 'alice') {
  const log: AuditRecord[] = [];
  let n = 0;
  const router = createRouter({
    contract: workspaceChannels,
    handlers: workspaceHandlers(() => fx.db, { clock: () => 42, newId: () => (++n).toString(16).padStart(32, '0') }),
    session: () => ({ role, user }),
    audit: { record: (e) => void log.push(e) },
    appOrigin: 'app://rw',
  });
  return { router, log };
}

describe('workspace channels through the router', () => {
  it('declares every channel reviewer-only and content-bearing', () => {
    for (const spec of Object.values(workspaceChannels)) {
      expect(spec.roles).toEqual(['reviewer']);
      expect(spec.content).toBe(true);
    }
  });

  it('creates, edits and lists a note, logging the note id but never its text', async () => {
    const { router, log } = setup('reviewer');
    const created = await router.handle('notes.create', { caseId: 'case-a', artifactId: 'art-a1', anchor: { kind: 'line', line: 3 }, excerpt: 'q', body: MARKER }, TOP);
    expect(created).toMatchObject({ ok: true, value: { id: '1'.padStart(32, '0'), author: 'alice', createdAt: 42 } });
    const edited = await router.handle('notes.edit', { id: '1'.padStart(32, '0'), revision: 1, body: `${MARKER} v2` }, TOP);
    expect(edited).toMatchObject({ ok: true, value: { revision: 2 } });
    const listed = await router.handle('notes.list', { caseId: 'case-a' }, TOP);
    expect(listed.ok && (listed.value as { notes: unknown[] }).notes).toHaveLength(1);
    expect(log.map((e) => [e.event, e.outcome, e.object?.kind])).toEqual([
      ['note.create', 'success', 'note'],
      ['note.edit', 'success', 'note'],
      ['note.list', 'success', 'case'],
    ]);
    expect(JSON.stringify(log)).not.toContain(MARKER);
  });

  it('records a finding, sets a checklist item and reports progress', async () => {
    const { router, log } = setup('reviewer');
    const f = await router.handle('findings.create', { caseId: 'case-a', title: 'Leaky', severity: 'critical', category: 'cyber', cvssVector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }, TOP);
    expect(f.ok).toBe(true);
    const item = await router.handle('checklist.set', { caseId: 'case-a', itemId: 'elicitation.budget', status: 'fail' }, TOP);
    expect(item).toMatchObject({ ok: true, value: { status: 'fail', revision: 1 } });
    const progress = await router.handle('case.progress', { caseId: 'case-a' }, TOP);
    expect(progress).toMatchObject({ ok: true, value: { findings: { total: 1, bySeverity: { critical: 1 } }, checklist: { reviewed: 1 } } });
    expect(log.map((e) => e.event)).toEqual(['finding.create', 'checklist.set', 'case.progress']);
    expect(log[1]?.object).toEqual({ kind: 'checklist-item', id: 'case-a/elicitation.budget' });
    expect(JSON.stringify(log)).not.toContain('Leaky');
  });

  it('reports every case\'s progress in one call and one leaf', async () => {
    const { router, log } = setup('reviewer');
    await router.handle('findings.create', { caseId: 'case-b', title: 'Leaky', severity: 'high', category: 'cyber' }, TOP);
    await router.handle('checklist.set', { caseId: 'case-a', itemId: 'elicitation.budget', status: 'pass' }, TOP);
    await router.handle('notes.create', { caseId: 'case-a', body: MARKER }, TOP);
    const all = await router.handle('cases.progress', {}, TOP);
    expect(all.ok).toBe(true);
    const byCase = new Map((all as { ok: true; value: Array<{ caseId: string }> }).value.map((p) => [p.caseId, p]));
    expect([...byCase.keys()].sort()).toEqual(['case-a', 'case-b']);
    expect(byCase.get('case-a')).toMatchObject({ checklist: { reviewed: 1 }, findings: { total: 0 }, notes: 1 });
    expect(byCase.get('case-b')).toMatchObject({ checklist: { reviewed: 0 }, findings: { total: 1, bySeverity: { high: 1 } }, notes: 0 });
    // Each case's figures are those its own channel answers.
    expect(byCase.get('case-a')).toEqual(((await router.handle('case.progress', { caseId: 'case-a' }, TOP)) as { ok: true; value: unknown }).value);
    expect(log.filter((e) => e.event === 'case.progress').map((e) => [e.object, e.detail])).toEqual([
      [undefined, { cases: 2 }],
      [{ kind: 'case', id: 'case-a' }, undefined],
    ]);
    // Anything but an empty request is refused before the handler runs.
    expect(await router.handle('cases.progress', { caseId: 'case-a' }, TOP)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('moves a finding through its statuses, each change a leaf naming the fields sent but not their text', async () => {
    const { router, log } = setup('reviewer');
    const f = await router.handle('findings.create', { caseId: 'case-a', title: MARKER, severity: 'high', category: 'c' }, TOP);
    const id = (f as { ok: true; value: { id: string } }).value.id;
    for (const [revision, status] of [[1, 'confirmed'], [2, 'mitigated'], [3, 'withdrawn']] as const) {
      expect(await router.handle('findings.edit', { id, revision, status }, TOP)).toMatchObject({ ok: true, value: { status, revision: revision + 1 } });
    }
    expect(await router.handle('findings.edit', { id, revision: 4, title: `${MARKER} v2`, evidence: ['artifact:model-card.md'] }, TOP)).toMatchObject({ ok: true, value: { evidence: ['artifact:model-card.md'] } });
    const history = await router.handle('findings.history', { id }, TOP);
    expect(history.ok && (history.value as { entries: { status: string }[] }).entries.map((e) => e.status)).toEqual(['open', 'confirmed', 'mitigated', 'withdrawn', 'withdrawn']);
    const edits = log.filter((e) => e.event === 'finding.edit');
    expect(edits.map((e) => [e.outcome, e.object?.id, e.detail?.['status'], e.detail?.['fields']])).toEqual([
      ['success', id, 'confirmed', 'status'],
      ['success', id, 'mitigated', 'status'],
      ['success', id, 'withdrawn', 'status'],
      ['success', id, 'withdrawn', 'title,evidence'],
    ]);
    expect(JSON.stringify(log)).not.toContain(MARKER);
  });

  it.each([
    // Refused at the schema (denied) or by the service (failure), both logged.
    ['an unknown status', { status: 'fixed' }, 'INVALID_INPUT', 'denied'],
    ['evidence that is not a list', { evidence: 'artifact:model-card.md' }, 'INVALID_INPUT', 'denied'],
    ['evidence in another case', { evidence: ['artifact:art-b1'] }, 'NOT_FOUND', 'failure'],
    ['a stale revision', { revision: 9, status: 'confirmed' }, 'CONFLICT', 'failure'],
  ])('refuses a finding edit with %s and leaves the finding and its history as they were', async (_name, change, code, outcome) => {
    const { router, log } = setup('reviewer');
    const f = await router.handle('findings.create', { caseId: 'case-a', title: 't', severity: 'low', category: 'c' }, TOP);
    const id = (f as { ok: true; value: { id: string } }).value.id;
    const rows = () => [fx.db.prepare('SELECT * FROM findings').all(), fx.db.prepare('SELECT * FROM finding_history').all(), fx.db.prepare('SELECT * FROM finding_evidence').all()];
    const before = rows();
    expect(await router.handle('findings.edit', { id, ...change }, TOP)).toMatchObject({ ok: false, error: { code } });
    expect(rows()).toEqual(before);
    expect(log.at(-1)).toMatchObject({ event: 'finding.edit', outcome, errorCode: code });
  });

  it('answers a bad CVSS vector with INVALID_INPUT and logs a failure', async () => {
    const { router, log } = setup('reviewer');
    const r = await router.handle('findings.create', { caseId: 'case-a', title: 't', severity: 'low', category: 'c', cvssVector: 'CVSS:4.0/AV:N' }, TOP);
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(log[0]).toMatchObject({ event: 'finding.create', outcome: 'failure', errorCode: 'INVALID_INPUT' });
  });

  it.each([
    ['an auditor', 'auditor' as const],
    ['a locked app', 'anonymous' as const],
  ])('refuses %s on every workspace channel', async (_name, role) => {
    const { router, log } = setup(role, role === 'anonymous' ? null : 'audrey');
    const id = 'a'.repeat(32);
    const valid: Record<keyof typeof workspaceChannels, unknown> = {
      'notes.list': { caseId: 'case-a' },
      'notes.create': { caseId: 'case-a', body: 'x' },
      'notes.edit': { id, body: 'x' },
      'notes.delete': { id },
      'notes.history': { id },
      'findings.list': { caseId: 'case-a' },
      'findings.create': { caseId: 'case-a', title: 't', severity: 'low', category: 'c' },
      'findings.edit': { id, status: 'confirmed' },
      'findings.delete': { id },
      'findings.history': { id },
      'checklist.get': { caseId: 'case-a' },
      'checklist.set': { caseId: 'case-a', itemId: 'elicitation.budget', status: 'pass' },
      'case.progress': { caseId: 'case-a' },
      'cases.progress': {},
    };
    for (const [channel, payload] of Object.entries(valid)) {
      expect(await router.handle(channel, payload, TOP)).toMatchObject({ ok: false, error: { code: 'DENIED' } });
    }
    expect(log).toHaveLength(Object.keys(workspaceChannels).length);
    expect(log.every((e) => e.outcome === 'denied' && e.errorCode === 'DENIED')).toBe(true);
    expect(fx.db.prepare('SELECT count(*) AS n FROM notes').get()?.n).toBe(0);
  });

  it.each([
    ['notes.create', { caseId: 'case-a', body: '' }],
    ['notes.create', { caseId: '../etc', body: 'x' }],
    ['notes.edit', { id: 'not-hex', body: 'x' }],
    ['findings.create', { caseId: 'case-a', title: 't', severity: 'severe', category: 'c' }],
    ['checklist.set', { caseId: 'case-a', itemId: 'elicitation.budget', status: 'maybe' }],
    ['notes.list', { caseId: 'case-a', extra: 1 }],
  ])('refuses a malformed %s request at the schema', async (channel, payload) => {
    const { router } = setup('reviewer');
    expect(await router.handle(channel, payload, TOP)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
