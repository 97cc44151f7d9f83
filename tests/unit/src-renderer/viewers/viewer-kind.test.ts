import { describe, expect, test } from 'vitest';
import { viewerKind } from '../../../../src-renderer/viewers/viewer-kind';

describe('viewerKind', () => {
  test.each([
    ['text/markdown', 'model-card.md', 'markdown'],
    ['application/pdf', 'system-card.pdf', 'pdf'],
    ['application/json', 'eval/results.json', 'json'],
    ['application/jsonl', 'eval/samples.jsonl', 'jsonl'],
    ['text/csv', 'eval/results.csv', 'csv'],
    ['text/tab-separated-values', 'x.tsv', 'tsv'],
    ['image/png', 'eval/chart.png', 'image'],
    ['image/jpeg', 'a.jpg', 'image'],
    ['image/webp', 'a.webp', 'image'],
    ['text/plain', 'train.py', 'text'],
    ['text/plain', 'notes.md', 'markdown'],
    ['text/plain; charset=utf-8', 'log.txt', 'text'],
    ['application/zip', 'weights.zip', 'none'],
    ['image/svg+xml', 'logo.svg', 'none'],
    ['application/octet-stream', 'blob.bin', 'none'],
  ])('%s %s → %s', (type, path, kind) => {
    expect(viewerKind(type, path)).toBe(kind);
  });
});
