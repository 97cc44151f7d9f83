/**
 * The rubric's documentation criteria on the bundled demo: the app proposes where the documents answer
 * each (a PDF page or a Markdown line, with its section), a criterion the documents do not address has
 * no proposal, and a criterion stays listed as unanswered until the reviewer confirms a place.
 */
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledDemo } from '../../../../src-main/artifacts/case-handlers';
import { importPackageDetailed } from '../../../../src-main/artifacts/import-package';
import { getChecklist, setChecklistItem } from '../../../../src-main/workspace/checklist-service';
import { defaultRubric } from '../../../../src-main/workspace/rubric';
import { openTestContentDb, type TestContentDb } from '../../../helpers/package-fixtures';
import { testActor } from './content-fixture';

const assets = path.resolve(import.meta.dirname, '../../../../assets');
let vault: TestContentDb;
let caseId: string;

beforeAll(async () => {
  vault = openTestContentDb();
  const demo = bundledDemo(assets);
  caseId = (await importPackageDetailed({ contentDb: vault.db, source: demo.dir, trustedKeys: [demo.trustedKey], clock: () => 0 })).caseId;
});
afterAll(() => vault.db.close());

describe('documentation answers', () => {
  it('proposes the place that answers a criterion, with its page or line and section', () => {
    const checklist = getChecklist(vault.db, defaultRubric(), caseId);
    const items = new Map(checklist.sections.flatMap((s) => s.items).map((i) => [i.id, i]));
    expect(items.get('interpretation.thresholds')!.answer!.proposal).toMatchObject({ path: 'system-card.pdf', where: 'page 1', phrase: 'threshold' });
    expect(items.get('interpretation.under-elicitation')!.answer!.proposal).toMatchObject({ path: 'system-card.pdf', where: 'page 2', phrase: 'were not run' });
    expect(items.get('elicitation.budget')!.answer!.proposal).toMatchObject({ path: 'model-card.md', section: 'Dangerous-capability results', phrase: 'single attempt' });
    // Nothing in the demo speaks of a human baseline or of grader agreement.
    expect(items.get('baselines.human')!.answer!.proposal).toBeNull();
    expect(items.get('grading.validity')!.answer!.proposal).toBeNull();
    // The claims item is prefilled from the ledger, not searched for.
    expect(items.get('results.claims-match')).toMatchObject({ prefill: 'claims-ledger' });
    expect(items.get('results.claims-match')!.answer).toBeUndefined();
    expect(checklist.unanswered.find((u) => u.id === 'baselines.human')).toEqual({ id: 'baselines.human', title: items.get('baselines.human')!.title, proposed: false });
  });

  it('drops a criterion from the unanswered list once the reviewer confirms its place', () => {
    const before = getChecklist(vault.db, defaultRubric(), caseId);
    const item = before.sections.flatMap((s) => s.items).find((i) => i.id === 'interpretation.thresholds')!;
    setChecklistItem(vault.db, testActor('alice'), defaultRubric(), { caseId, itemId: item.id, status: 'unreviewed', comment: 'Answered in system-card.pdf, page 1.', artifactIds: [item.answer!.proposal!.artifactId] });
    const after = getChecklist(vault.db, defaultRubric(), caseId);
    expect(after.unanswered.map((u) => u.id)).toEqual(before.unanswered.map((u) => u.id).filter((id) => id !== 'interpretation.thresholds'));
  });
});
