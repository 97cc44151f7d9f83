import { describe, expect, it } from 'vitest';
import { defaultRubric, parseRubric } from '../../../../src-main/workspace/rubric';

describe('review rubric', () => {
  it('ships the dangerous-capability report rubric: six sections after the reporting standard, each item with guidance', () => {
    const rubric = defaultRubric();
    expect(rubric.version).toBe('2');
    expect(rubric.sections.map((s) => s.id)).toEqual(['measured', 'elicitation', 'grading', 'baselines', 'results', 'interpretation']);
    for (const section of rubric.sections) {
      expect(section.items.length).toBeGreaterThanOrEqual(2);
      expect(section.items.length).toBeLessThanOrEqual(4);
      for (const item of section.items) {
        expect(item.id.startsWith(`${section.id}.`)).toBe(true);
        expect(item.guidance.length).toBeGreaterThan(40);
        // Every criterion either says where to look in the documentation or where its answer comes from.
        expect(item.lookFor !== undefined || item.prefill !== undefined).toBe(true);
      }
    }
    expect(rubric.sections.flatMap((s) => s.items).filter((i) => i.prefill === 'claims-ledger').map((i) => i.title)).toEqual(['Claims match the evidence']);
  });

  const valid = () => structuredClone(defaultRubric()) as unknown as { version: unknown; sections: Array<{ items: Array<Record<string, unknown>> }> } & Record<string, unknown>;

  it.each([
    ['a duplicated item id', (r: ReturnType<typeof valid>) => r.sections[1]?.items.push({ ...r.sections[0]?.items[0] })],
    ['an unknown field', (r: ReturnType<typeof valid>) => (r['extra'] = true)],
    ['a missing version', (r: ReturnType<typeof valid>) => delete r['version']],
    ['a non-numeric version', (r: ReturnType<typeof valid>) => (r.version = 'v1')],
    ['an item without guidance', (r: ReturnType<typeof valid>) => delete r.sections[0]?.items[0]?.['guidance']],
    ['an item id with upper case', (r: ReturnType<typeof valid>) => ((r.sections[0]?.items[0] as Record<string, unknown>)['id'] = 'Doc.X')],
    ['an empty section', (r: ReturnType<typeof valid>) => ((r.sections[0] as { items: unknown[] }).items = [])],
    ['an unknown prefill source', (r: ReturnType<typeof valid>) => ((r.sections[0]?.items[0] as Record<string, unknown>)['prefill'] = 'oracle')],
    ['an empty lookFor list', (r: ReturnType<typeof valid>) => ((r.sections[0]?.items[0] as Record<string, unknown>)['lookFor'] = [])],
  ])('refuses %s', (_name, mutate) => {
    const r = valid();
    mutate(r);
    expect(() => parseRubric(r)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
