import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caseProgress } from '../../../../src-main/workspace/case-progress';
import { checklistHistory, getChecklist, setChecklistItem } from '../../../../src-main/workspace/checklist-service';
import { createFinding } from '../../../../src-main/workspace/findings-service';
import { createNote } from '../../../../src-main/workspace/notes-service';
import { defaultRubric, rubricItemCount } from '../../../../src-main/workspace/rubric';
import { openContentFixture, testActor, type ContentFixture } from './content-fixture';

let fx: ContentFixture;
beforeEach(() => {
  fx = openContentFixture();
});
afterEach(() => fx.close());

const rubric = defaultRubric();
const firstItem = rubric.sections[0]?.items[0]?.id as string;
const secondItem = rubric.sections[1]?.items[0]?.id as string;

describe('checklist', () => {
  it('starts with every rubric item unreviewed', () => {
    const list = getChecklist(fx.db, rubric, 'case-a');
    expect(list.rubric).toEqual({ id: rubric.id, version: rubric.version, title: rubric.title });
    const items = list.sections.flatMap((s) => s.items);
    expect(items).toHaveLength(rubricItemCount(rubric));
    expect(new Set(items.map((i) => i.status))).toEqual(new Set(['unreviewed']));
    expect(items.every((i) => i.revision === 0 && i.updatedBy === null)).toBe(true);
  });

  it('sets an item with a comment and artifacts, and keeps the history of changes', () => {
    const alice = testActor('alice');
    const set1 = setChecklistItem(fx.db, alice, rubric, { caseId: 'case-a', itemId: firstItem, status: 'concern', comment: 'Dates disagree', artifactIds: ['art-a1'], revision: 0 });
    expect(set1).toMatchObject({ status: 'concern', comment: 'Dates disagree', artifactIds: ['art-a1'], updatedBy: 'alice', revision: 1 });
    setChecklistItem(fx.db, testActor('bob'), rubric, { caseId: 'case-a', itemId: firstItem, status: 'pass', comment: 'Resolved', revision: 1 });
    const item = getChecklist(fx.db, rubric, 'case-a').sections[0]?.items[0];
    expect(item).toMatchObject({ id: firstItem, status: 'pass', comment: 'Resolved', artifactIds: [], updatedBy: 'bob', revision: 2 });
    expect(checklistHistory(fx.db, 'case-a', firstItem).map((h) => [h.revision, h.status, h.author, h.rubricVersion])).toEqual([
      [1, 'concern', 'alice', rubric.version],
      [2, 'pass', 'bob', rubric.version],
    ]);
    // Another case is unaffected.
    expect(getChecklist(fx.db, rubric, 'case-b').sections[0]?.items[0]?.status).toBe('unreviewed');
  });

  it.each([
    ['an item not in the rubric', { itemId: 'made.up' }, 'NOT_FOUND'],
    ['an unknown case', { caseId: 'case-z' }, 'NOT_FOUND'],
    ['an artifact of another case', { artifactIds: ['art-b1'] }, 'NOT_FOUND'],
    ['a stale revision', { revision: 3 }, 'CONFLICT'],
    ['a comment with a lone surrogate', { comment: '\udc00' }, 'INVALID_INPUT'],
  ])('refuses %s', (_name, patch, code) => {
    const input = { caseId: 'case-a', itemId: firstItem, status: 'fail' as const, ...patch };
    expect(() => setChecklistItem(fx.db, testActor('alice'), rubric, input)).toThrow(expect.objectContaining({ code }));
    expect(fx.db.prepare('SELECT count(*) AS n FROM checklist_items').get()?.n).toBe(0);
  });
});

describe('case progress', () => {
  it('summarises checklist completion, live findings by severity and notes', () => {
    const a = testActor('alice');
    setChecklistItem(fx.db, a, rubric, { caseId: 'case-a', itemId: firstItem, status: 'pass' });
    setChecklistItem(fx.db, a, rubric, { caseId: 'case-a', itemId: secondItem, status: 'not-applicable' });
    createFinding(fx.db, a, { caseId: 'case-a', title: 't', severity: 'medium', category: 'c' });
    createNote(fx.db, a, { caseId: 'case-a', body: 'n' });
    const total = rubricItemCount(rubric);
    const progress = caseProgress(fx.db, rubric, 'case-a');
    expect(progress).toEqual({
      caseId: 'case-a',
      rubricVersion: rubric.version,
      checklist: { total, reviewed: 2, completion: 2 / total, byStatus: { unreviewed: total - 2, pass: 1, concern: 0, fail: 0, 'not-applicable': 1 } },
      findings: { total: 1, bySeverity: { info: 0, low: 0, medium: 1, high: 0, critical: 0 } },
      notes: 1,
    });
    expect(caseProgress(fx.db, rubric, 'case-b').checklist.reviewed).toBe(0);
  });

  it('refuses an unknown case', () => {
    expect(() => caseProgress(fx.db, rubric, 'case-z')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
