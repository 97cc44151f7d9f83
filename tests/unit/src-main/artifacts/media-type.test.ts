import { describe, expect, it } from 'vitest';
import { sniffMediaType } from '../../../../src-main/artifacts/media-type';

const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? Array.from(Buffer.from(p, 'latin1')) : p)));

describe('sniffMediaType', () => {
  it.each([
    ['x.bin', bytes('%PDF-1.7\n'), 'application/pdf'],
    ['x', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'image/png'],
    ['x', bytes([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg'],
    ['x', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '), 'image/webp'],
    ['x', bytes('PK', [3, 4, 20, 0]), 'application/zip'],
    ['card.md', bytes('# Title\n'), 'text/markdown'],
    ['notes.txt', bytes('hello'), 'text/plain'],
    ['r.json', bytes('{"a":1}'), 'application/json'],
    ['s.jsonl', bytes('{"a":1}\n{"a":2}\n'), 'application/jsonl'],
    ['t.csv', bytes('a,b\n1,2\n'), 'text/csv'],
    ['t.tsv', bytes('a\tb\n'), 'text/tab-separated-values'],
    ['eval.py', bytes('print(1)\n'), 'text/plain'],
    ['page.html', bytes('<script>alert(1)</script>'), 'text/plain'],
    ['image.svg', bytes('<svg onload="x()"/>'), 'text/plain'],
    ['README', bytes('plain words'), 'text/plain'],
  ])('%s → %s', (name, head, expected) => {
    expect(sniffMediaType(name, head)).toBe(expected);
  });

  it('trusts content over the name: a .pdf that is not a PDF is not a PDF', () => {
    expect(sniffMediaType('report.pdf', bytes('hello'))).toBe('text/plain');
    expect(sniffMediaType('report.pdf', bytes([0, 1, 2, 3]))).toBe('application/octet-stream');
    expect(sniffMediaType('image.png', bytes('%PDF-1.4'))).toBe('application/pdf');
  });

  it('treats binary (NUL or invalid UTF-8) as opaque bytes whatever the extension', () => {
    expect(sniffMediaType('data.csv', bytes('a,b', [0], '1'))).toBe('application/octet-stream');
    expect(sniffMediaType('data.json', bytes([0xff, 0xfe]))).toBe('application/octet-stream');
  });

  it('accepts a multi-byte character cut at the end of the sniffed window', () => {
    expect(sniffMediaType('a.md', bytes('caf', [0xc3]))).toBe('text/markdown');
  });
});
