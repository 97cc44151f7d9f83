import { describe, expect, it } from 'vitest';
import { summariseStatement } from '../../../../src-renderer/workspace/attestation-summary';

const predicate = {
  caseId: 'case-1',
  verdict: 'concerns',
  findingCounts: { info: 0, low: 1, medium: 0, high: 2, critical: 0 },
  checklist: { completed: 3, total: 12, rubricVersion: '2026.1' },
  reviewWindow: { start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' },
  releaseSummary: 'Two high findings remain.',
};
const statement = (p: object) => JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'a' }, { name: 'b' }], predicate: p });

describe('summariseStatement', () => {
  it('reads verdict, findings by severity (most severe first), checklist and window from the statement', () => {
    expect(summariseStatement(statement(predicate))).toEqual({
      verdict: 'concerns',
      findings: [
        { severity: 'critical', count: 0 },
        { severity: 'high', count: 2 },
        { severity: 'medium', count: 0 },
        { severity: 'low', count: 1 },
        { severity: 'info', count: 0 },
      ],
      findingTotal: 3,
      checklist: { completed: 3, total: 12, rubricVersion: '2026.1' },
      claims: null,
      subjects: 2,
      reviewWindow: predicate.reviewWindow,
      releaseSummary: 'Two high findings remain.',
    });
  });

  it('shows claim counts when the predicate carries them', () => {
    expect(summariseStatement(statement({ ...predicate, claims: { supported: 4, contradicted: 1 } }))?.claims).toEqual([
      { status: 'supported', count: 4 },
      { status: 'contradicted', count: 1 },
    ]);
  });

  it.each([
    ['not JSON', '{'],
    ['no predicate', JSON.stringify({ subject: [] })],
    ['a count that is not a whole number', statement({ ...predicate, findingCounts: { high: -1 } })],
    ['a checklist without its total', statement({ ...predicate, checklist: { completed: 1 } })],
  ])('gives no summary for %s (the raw statement is shown alone)', (_name, json) => {
    expect(summariseStatement(json)).toBeNull();
  });
});
