import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalize } from '../../../src-shared/canonical-json';
import { parseStrictJson } from '../../../src-shared/strict-json';
import { fromUtf8 } from '../../../src-shared/encoding';

/** A double from its IEEE 754 bit pattern, as RFC 8785 Appendix B lists them. */
function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe('canonicalize (RFC 8785)', () => {
  it('produces the RFC 8785 §3.2.2 example output from its input text', () => {
    const input =
      '{\n  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n' +
      '  "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n' +
      '  "literals": [null, true, false]\n}';
    expect(canonicalize(parseStrictJson(input))).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units as in RFC 8785 §3.2.3', () => {
    const input =
      '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One",' +
      '"\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}';
    const out = canonicalize(parseStrictJson(input));
    expect(out).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis",' +
        '"€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('sorts nested objects too, and keeps array order', () => {
    expect(canonicalize({ b: [3, 1, { z: 1, a: 2 }], a: { y: null, x: true } })).toBe('{"a":{"x":true,"y":null},"b":[3,1,{"a":2,"z":1}]}');
  });

  // RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text.
  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('serialises the double with bits %s as %s', (bits, text) => {
    expect(canonicalize(fromBits(bits))).toBe(text);
  });

  it('escapes controls as RFC 8785 §3.2.2.2 says and leaves other characters literal', () => {
    expect(canonicalize('\b\f\n\r\t\u0001\u001f"\\/\u007f é')).toBe('"\\b\\f\\n\\r\\t\\u0001\\u001f\\"\\\\/\u007f é"');
  });

  it('returns UTF-8 bytes of the canonical text', () => {
    const bytes = canonicalBytes({ é: '€' });
    expect(fromUtf8(bytes)).toBe('{"é":"€"}');
    expect(bytes.byteLength).toBe(12); // é is 2 bytes, € is 3
  });

  it('accepts objects without a prototype and a data key named __proto__', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.k = 1;
    expect(canonicalize(bare)).toBe('{"k":1}');
    expect(canonicalize(parseStrictJson('{"__proto__":{"a":1}}'))).toBe('{"__proto__":{"a":1}}');
  });

  class Point {
    x = 1;
  }
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  let deep: unknown = 0;
  for (let i = 0; i < 600; i++) deep = [deep];

  it.each([
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['undefined at the top', undefined],
    ['an undefined member', { a: undefined }],
    ['undefined in an array', [undefined]],
    // eslint-disable-next-line no-sparse-arrays -- the hole is the input under test
    ['a sparse array', [1, , 3]],
    ['a function', () => 1],
    ['a toJSON method', { toJSON: () => 'x' }],
    ['a symbol', Symbol('s')],
    ['a symbol key', { [Symbol('s')]: 1 }],
    ['a bigint', 1n],
    ['a Date', new Date(0)],
    ['a Map', new Map()],
    ['a class instance', new Point()],
    ['a boxed string', new String('x')],
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate in a key', { '\udc00': 1 }],
    ['a reversed surrogate pair', '\ude00\ud83d'],
    ['a cycle', cyclic],
    ['nesting 600 deep', deep],
  ])('refuses %s', (_name, value) => {
    expect(() => canonicalize(value)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { a: 1 };
    expect(canonicalize([shared, shared])).toBe('[{"a":1},{"a":1}]');
  });
});
