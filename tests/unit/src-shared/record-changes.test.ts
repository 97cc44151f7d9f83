import { describe, expect, it } from 'vitest';
import { changesBetween, FINDING_FIELD_LABELS } from '../../../src-shared/record-changes';

const base = { title: 'T', status: 'open', severity: 'high', category: 'c', cvssVector: null as string | null, description: 'd', artifactIds: ['a'], evidence: null as string[] | null };

describe('changesBetween', () => {
  it('names each changed field with its old and new value, in reading order', () => {
    const next = { ...base, status: 'confirmed', title: 'T2', cvssVector: 'CVSS:4.0/AV:N', artifactIds: [] };
    expect(changesBetween(base, next, FINDING_FIELD_LABELS)).toEqual([
      { field: 'title', from: 'T', to: 'T2' },
      { field: 'status', from: 'open', to: 'confirmed' },
      { field: 'CVSS vector', from: '(none)', to: 'CVSS:4.0/AV:N' },
      { field: 'cited artifacts', from: 'a', to: '(none)' },
    ]);
  });

  it('reports nothing for equal snapshots, and skips a field not recorded on one side', () => {
    expect(changesBetween(base, { ...base, artifactIds: ['a'] }, FINDING_FIELD_LABELS)).toEqual([]);
    expect(changesBetween(base, { ...base, evidence: ['claim:x.md:1'] }, FINDING_FIELD_LABELS, ['evidence'])).toEqual([]);
    expect(changesBetween({ ...base, evidence: [] }, { ...base, evidence: ['claim:x.md:1'] }, FINDING_FIELD_LABELS, ['evidence'])).toEqual([
      { field: 'evidence', from: '(none)', to: 'claim:x.md:1' },
    ]);
  });
});
