import { describe, expect, it } from 'vitest';
import { parsePythonJson, parsePythonJsonBytes } from '../../../../src-shared/evidence/python-json';

describe('parsePythonJson', () => {
  it('accepts NaN, Infinity and -Infinity in value position, as Python writes them', () => {
    const doc = parsePythonJson('{"a": NaN, "b": [Infinity, -Infinity, 1], "c": {"d": NaN}}') as { a: number; b: number[]; c: { d: number } };
    expect(Number.isNaN(doc.a)).toBe(true);
    expect(doc.b).toEqual([Infinity, -Infinity, 1]);
    expect(Number.isNaN(doc.c.d)).toBe(true);
  });

  it('leaves the words alone inside strings', () => {
    expect(parsePythonJson('{"a": "NaN", "b": NaN, "c": "Infinity, -Infinity"}')).toMatchObject({ a: 'NaN', c: 'Infinity, -Infinity' });
  });

  it.each([
    ['NaN as a key', '{NaN: 1}'],
    ['NaN as a key after a comma', '{"a": 1, Infinity: 2}'],
    ['lower-case nan', '{"a": nan}'],
    ['a comment', '{"a": 1 /* x */}'],
    ['single quotes', "{'a': 1}"],
    ['a trailing comma', '{"a": NaN,}'],
    ['a bare word', '{"a": None}'],
    ['truncation', '{"a": NaN'],
    ['NaN glued to a number', '[1NaN]'],
  ])('refuses %s', (_label, text) => {
    expect(() => parsePythonJson(text)).toThrow();
  });

  it('refuses invalid UTF-8 and a byte-order mark', () => {
    expect(() => parsePythonJsonBytes(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]))).toThrow(/UTF-8/);
    expect(() => parsePythonJsonBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toThrow();
  });
});
