import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFinding, deleteFinding, editFinding, findingCounts, findingHistory, listFindings } from '../../../../src-main/workspace/findings-service';
import { openContentFixture, testActor, type ContentFixture } from './content-fixture';

let fx: ContentFixture;
beforeEach(() => {
  fx = openContentFixture();
});
afterEach(() => fx.close());

const VECTOR = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

describe('findings', () => {
  it('creates a finding with a CVSS v4.0 vector and linked artifacts', () => {
    const f = createFinding(fx.db, testActor('alice'), {
      caseId: 'case-a',
      title: 'Weights readable by all staff',
      severity: 'high',
      category: 'weights-security',
      cvssVector: VECTOR,
      description: 'See access policy.',
      artifactIds: ['art-a2', 'art-a1', 'art-a2'],
    });
    expect(f).toMatchObject({ severity: 'high', cvssVector: VECTOR, artifactIds: ['art-a1', 'art-a2'], revision: 1 });
    expect(listFindings(fx.db, { caseId: 'case-a' })).toEqual([f]);
  });

  it('keeps a full snapshot per revision, including link changes and the soft delete', () => {
    const alice = testActor('alice');
    const bob = testActor('bob', 5_000);
    const f = createFinding(fx.db, alice, { caseId: 'case-a', title: 'T1', severity: 'low', category: 'c', artifactIds: ['art-a1'] });
    const e = editFinding(fx.db, bob, { id: f.id, revision: 1, severity: 'critical', cvssVector: VECTOR, artifactIds: ['art-a2'] });
    expect(e).toMatchObject({ title: 'T1', severity: 'critical', cvssVector: VECTOR, artifactIds: ['art-a2'], revision: 2 });
    const cleared = editFinding(fx.db, bob, { id: f.id, cvssVector: null });
    expect(cleared.cvssVector).toBeNull();
    deleteFinding(fx.db, alice, { id: f.id, revision: 3 });
    expect(listFindings(fx.db, { caseId: 'case-a' })).toEqual([]);
    expect(listFindings(fx.db, { caseId: 'case-a', includeDeleted: true })[0]?.deletedAt).not.toBeNull();
    expect(findingHistory(fx.db, f.id).map((h) => [h.revision, h.action, h.severity, h.cvssVector, h.artifactIds, h.author])).toEqual([
      [1, 'create', 'low', null, ['art-a1'], 'alice'],
      [2, 'edit', 'critical', VECTOR, ['art-a2'], 'bob'],
      [3, 'edit', 'critical', null, ['art-a2'], 'bob'],
      [4, 'delete', 'critical', null, ['art-a2'], 'alice'],
    ]);
  });

  it('moves through its statuses with evidence, each revision a snapshot; a withdrawn finding is not counted', () => {
    const alice = testActor('alice');
    const f = createFinding(fx.db, alice, { caseId: 'case-a', title: 'T', severity: 'high', category: 'c' });
    expect(f.status).toBe('open');
    editFinding(fx.db, alice, { id: f.id, status: 'confirmed', evidence: ['claim:model-card.md:3'] });
    editFinding(fx.db, testActor('bob', 9_000), { id: f.id, status: 'mitigated' });
    const w = editFinding(fx.db, alice, { id: f.id, revision: 3, status: 'withdrawn', title: 'T (retracted)' });
    expect(w).toMatchObject({ status: 'withdrawn', title: 'T (retracted)', evidence: ['claim:model-card.md:3'], revision: 4 });
    expect(findingHistory(fx.db, f.id).map((h) => [h.revision, h.status, h.evidence, h.author])).toEqual([
      [1, 'open', [], 'alice'],
      [2, 'confirmed', ['claim:model-card.md:3'], 'alice'],
      [3, 'mitigated', ['claim:model-card.md:3'], 'bob'],
      [4, 'withdrawn', ['claim:model-card.md:3'], 'alice'],
    ]);
    expect(findingCounts(fx.db, 'case-a').high).toBe(0);
  });

  it('refuses an edit with one bad evidence reference and leaves finding, evidence and history as they were', () => {
    const alice = testActor('alice');
    const f = createFinding(fx.db, alice, { caseId: 'case-a', title: 'T', severity: 'high', category: 'c', evidence: ['artifact:model-card.md'] });
    const snapshot = () => [listFindings(fx.db, { caseId: 'case-a' }), findingHistory(fx.db, f.id)];
    const before = snapshot();
    expect(() => editFinding(fx.db, alice, { id: f.id, status: 'confirmed', evidence: ['artifact:art-b1'] })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => editFinding(fx.db, alice, { id: f.id, revision: 7, status: 'confirmed' })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(snapshot()).toEqual(before);
  });

  it('counts live findings by severity', () => {
    const a = testActor('alice');
    createFinding(fx.db, a, { caseId: 'case-a', title: 'a', severity: 'high', category: 'c' });
    createFinding(fx.db, a, { caseId: 'case-a', title: 'b', severity: 'high', category: 'c' });
    const gone = createFinding(fx.db, a, { caseId: 'case-a', title: 'c', severity: 'critical', category: 'c' });
    createFinding(fx.db, a, { caseId: 'case-b', title: 'd', severity: 'info', category: 'c' });
    deleteFinding(fx.db, a, { id: gone.id });
    expect(findingCounts(fx.db, 'case-a')).toEqual({ info: 0, low: 0, medium: 0, high: 2, critical: 0 });
  });

  it.each([
    ['an invalid CVSS vector', { cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }, 'INVALID_INPUT'],
    ['a CVSS vector missing a base metric', { cvssVector: VECTOR.replace('/SA:N', '') }, 'INVALID_INPUT'],
    ['an unknown case', { caseId: 'nope' }, 'NOT_FOUND'],
    ['an artifact from another case', { artifactIds: ['art-b1'] }, 'NOT_FOUND'],
    ['an unknown artifact', { artifactIds: ['art-zz'] }, 'NOT_FOUND'],
  ])('refuses %s', (_name, patch, code) => {
    const input = { caseId: 'case-a', title: 't', severity: 'low' as const, category: 'c', ...patch };
    expect(() => createFinding(fx.db, testActor('alice'), input)).toThrow(expect.objectContaining({ code }));
    expect(fx.db.prepare('SELECT count(*) AS n FROM findings').get()?.n).toBe(0);
  });

  it('refuses an edit with a bad vector or a stale revision and leaves the finding unchanged', () => {
    const a = testActor('alice');
    const f = createFinding(fx.db, a, { caseId: 'case-a', title: 't', severity: 'low', category: 'c' });
    expect(() => editFinding(fx.db, a, { id: f.id, cvssVector: 'CVSS:4.0/AV:N' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    editFinding(fx.db, a, { id: f.id, title: 'new' });
    expect(() => editFinding(fx.db, a, { id: f.id, revision: 1, title: 'stale' })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => editFinding(fx.db, a, { id: f.id, artifactIds: ['art-b1'] })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(listFindings(fx.db, { caseId: 'case-a' })[0]).toMatchObject({ title: 'new', revision: 2, artifactIds: [] });
    expect(findingHistory(fx.db, f.id)).toHaveLength(2);
  });

  it('refuses the severity CHECK at the database level too', () => {
    expect(() =>
      fx.db.prepare("INSERT INTO findings(id, case_id, title, severity, category, description, author, created_at, updated_at, revision) VALUES ('x', 'case-a', 't', 'severe', 'c', '', 'a', 1, 1, 1)").run(),
    ).toThrow(/CHECK/);
  });
});
