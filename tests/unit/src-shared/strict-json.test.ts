import { describe, expect, it } from 'vitest';
import { parseStrictJson } from '../../../src-shared/strict-json';
import { utf8 } from '../../../src-shared/encoding';

describe('parseStrictJson', () => {
  it('parses every JSON value type the way JSON.parse does', () => {
    const text = ' {"a":[1,-0.5,2e3,1E-2,0,true,false,null,"x\\u00e9\\ud83d\\ude00\\n\\/"],"b":{},"c":[],"d":"😀"}\r\n\t';
    expect(parseStrictJson(text)).toEqual(JSON.parse(text));
    expect(parseStrictJson(utf8(text))).toEqual(JSON.parse(text));
  });

  it('keeps a "__proto__" key as data and does not change the prototype', () => {
    const value = parseStrictJson('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect((value as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('accepts nesting up to the limit', () => {
    expect(parseStrictJson('[[[1]]]', { maxDepth: 3 })).toEqual([[[1]]]);
    expect(parseStrictJson('{"a":{"b":1}}', { maxDepth: 2 })).toEqual({ a: { b: 1 } });
  });

  it('reads compact JSON (which the native parser takes when its rewrite matches) with the same value and limits', () => {
    for (const text of ['{"b":[1,2.5,-3e-7,"x\\n\\"y"],"a":null,"10":true}', '"plain"', '[]', '{"a":{"__proto__":1}}']) {
      expect(parseStrictJson(text)).toEqual(JSON.parse(text));
      expect(parseStrictJson(utf8(text))).toEqual(JSON.parse(text));
    }
    expect(() => parseStrictJson('[[[[1]]]]', { maxDepth: 3 })).toThrowError(/nesting deeper than 3/);
    expect(() => parseStrictJson('{"a":{"b":{}}}', { maxDepth: 2 })).toThrowError(/nesting deeper than 2/);
    expect(() => parseStrictJson(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toThrowError(/nesting deeper than 64/);
    expect(() => parseStrictJson('-0')).not.toThrow();
    expect(Object.is(parseStrictJson('-0'), -0)).toBe(true);
  });

  it.each([
    ['a duplicate key', '{"a":1,"a":2}'],
    ['a duplicate key in a nested object', '{"x":{"y":{"a":1,"b":2,"a":1}}}'],
    ['a duplicate key inside an array', '[1,{"k":1,"k":1}]'],
    ['a duplicate key spelled with an escape', '{"a":1,"\\u0061":2}'],
    ['trailing content', '{"a":1} x'],
    ['two values', '1 2'],
    ['a trailing comma in an object', '{"a":1,}'],
    ['a trailing comma in an array', '[1,]'],
    ['an empty document', ''],
    ['only whitespace', '  '],
    ['single quotes', "{'a':1}"],
    ['an unquoted key', '{a:1}'],
    ['a missing colon', '{"a" 1}'],
    ['an unterminated string', '"abc'],
    ['an unterminated array', '[1,2'],
    ['a raw tab in a string', '"a\tb"'],
    ['a raw newline in a string', '"a\nb"'],
    ['an invalid escape', '"\\x41"'],
    ['a short unicode escape', '"\\u12"'],
    ['an escaped lone high surrogate', '"\\ud800"'],
    ['an escaped lone low surrogate', '"\\udc00x"'],
    ['a high surrogate followed by a non-surrogate escape', '"\\ud800\\u0041"'],
    ['a lone surrogate in a key', '{"\\udfff":1}'],
    ['a leading zero', '01'],
    ['a leading plus', '+1'],
    ['a bare minus', '-'],
    ['a fraction without digits', '1.'],
    ['an exponent without digits', '1e'],
    ['a leading dot', '.5'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['a number that overflows', '1e400'],
    ['a misspelt literal', 'tru'],
    ['a capitalised literal', 'True'],
    ['a comment', '{"a":1 /* c */}'],
    ['a non-JSON whitespace character', '\u00a0{}'],
    ['a text byte-order mark', '\ufeff{}'],
  ])('refuses %s', (_name, text) => {
    expect(() => parseStrictJson(text)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => parseStrictJson(utf8(text))).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('refuses a raw lone surrogate in text input (bytes cannot carry one: see the UTF-8 table)', () => {
    expect(() => parseStrictJson('"a\ud800"')).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => parseStrictJson('{"\udc00":1}')).toThrowError(/lone surrogate/);
  });

  it.each([
    ['invalid UTF-8', new Uint8Array([0x22, 0xc3, 0x28, 0x22])],
    ['an overlong encoding', new Uint8Array([0x22, 0xc0, 0xaf, 0x22])],
    ['a UTF-8-encoded surrogate', new Uint8Array([0x22, 0xed, 0xa0, 0x80, 0x22])],
    ['a truncated sequence', new Uint8Array([0x22, 0xe2, 0x82, 0x22])],
    ['a UTF-8 byte-order mark', new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d])],
  ])('refuses bytes with %s', (_name, bytes) => {
    expect(() => parseStrictJson(bytes)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('refuses nesting deeper than the limit with a message that says so', () => {
    expect(() => parseStrictJson('[[[1]]]', { maxDepth: 2 })).toThrowError(/nesting deeper than 2/);
    expect(() => parseStrictJson('{"a":{"b":{}}}', { maxDepth: 2 })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    // The default limit stops hostile nesting long before the stack runs out.
    expect(() => parseStrictJson('['.repeat(100_000))).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('names the duplicate key in the message', () => {
    expect(() => parseStrictJson('{"x":{"verdict":"pass","verdict":"fail"}}')).toThrowError(/duplicate key "verdict"/);
  });

  it('refuses input beyond maxBytes as TOO_LARGE', () => {
    expect(() => parseStrictJson(utf8('[1,2,3]'), { maxBytes: 6 })).toThrowError(expect.objectContaining({ code: 'TOO_LARGE' }));
    expect(parseStrictJson(utf8('[1,2,3]'), { maxBytes: 7 })).toEqual([1, 2, 3]);
  });
});
