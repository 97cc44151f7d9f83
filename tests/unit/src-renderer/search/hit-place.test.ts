import { describe, expect, it } from 'vitest';
import type { SearchHitView } from '../../../../src-shared/ipc/channels-search';
import { anchorOfHit, sampleOfHit } from '../../../../src-renderer/search/hit-place';

const hit = (over: Partial<SearchHitView>): SearchHitView => ({
  caseId: 'c',
  kind: 'log',
  sourceId: 'a1',
  artifactId: 'a1',
  path: 'logs/run.eval',
  place: { kind: 'sample', n: 2 },
  label: 'q-17',
  where: 'sample q-17, epoch 2',
  segments: [],
  snippet: '',
  score: -1,
  marks: [],
  ...over,
});

describe('where a hit opens', () => {
  it('a log sample opens its transcript: the label is the sample id, the place number its epoch', () => {
    expect(sampleOfHit(hit({}))).toEqual({ artifactId: 'a1', sampleId: 'q-17', epoch: 2 });
  });

  it.each([
    ['a PDF page', { kind: 'pdf', place: { kind: 'page', n: 3 }, label: null }],
    ['a log hit without a sample place', { place: null }],
    ['a log hit without a sample id', { label: null }],
    ['a log hit with no artifact', { artifactId: null }],
  ] as const)('%s is not a sample', (_name, over) => {
    expect(sampleOfHit(hit(over as Partial<SearchHitView>))).toBeNull();
  });

  it('a PDF hit goes to its page', () => {
    expect(anchorOfHit(hit({ kind: 'pdf', place: { kind: 'page', n: 3 }, label: null }))).toEqual({ kind: 'page', page: 3 });
  });
});
