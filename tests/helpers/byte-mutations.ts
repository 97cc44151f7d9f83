/**
 * Byte-level mutations of a valid input for property tests of parsers: bit flips, deletions, insertions
 * (random bytes and tokens that matter to JSON and to the text formats), truncation. Starting from a
 * valid input reaches deep into a parser, where random bytes alone are refused at the first check.
 */
import fc from 'fast-check';

const DEFAULT_TOKENS = ['"', '\\', '{', '}', '[', ']', ',', ':', '=', '-', '_', '\u0000', '"keyid":null,', '"sig":"",', '1e999', '\\ud800'];

export function mutated(base: () => Uint8Array, tokens: readonly string[] = DEFAULT_TOKENS): fc.Arbitrary<Uint8Array> {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.constantFrom(...tokens.map((t) => new TextEncoder().encode(t))) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    let bytes = base();
    for (const e of edits) {
      const at = bytes.length === 0 ? 0 : e.at % bytes.length;
      if (e.kind === 'flip') {
        bytes = bytes.slice();
        if (bytes.length > 0) bytes[at] = bytes[at]! ^ (1 << e.bit);
      } else if (e.kind === 'delete') bytes = new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at + e.length)]);
      else if (e.kind === 'insert') bytes = new Uint8Array([...bytes.subarray(0, at), ...e.bytes, ...bytes.subarray(at)]);
      else bytes = bytes.subarray(0, at);
    }
    return bytes;
  });
}
