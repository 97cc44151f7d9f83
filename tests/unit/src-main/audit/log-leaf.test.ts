import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../../../src-shared/canonical-json';
import { utf8 } from '../../../../src-shared/encoding';
import { encodeLeaf, leafColumns, parseLeaf, readLeafFacts, readLeafTail, type AccessLogLeaf } from '../../../../src-main/audit/log-leaf';
import { mutated } from '../../../helpers/byte-mutations';

const leaf: AccessLogLeaf = {
  v: 1,
  seq: 7,
  ts: 1_764_000_000_000,
  mono: 1234,
  device: 'ws1',
  app: 'rw-app/0.1.0',
  actor: { user: 'alice', role: 'reviewer' },
  session: 'abc',
  event: 'artifact.view',
  object: { kind: 'artifact', id: 'art-1', name: 'report.pdf', digest: null },
  outcome: 'success',
  detail: { page: 3, dwellMs: 900, action: 'view', ok: true, none: null },
};

describe('access-log leaf', () => {
  it('encodes to RFC 8785 bytes that parse back to the same leaf', () => {
    const bytes = encodeLeaf(leaf);
    expect(new TextDecoder().decode(bytes)).toBe(canonicalize(leaf));
    expect(parseLeaf(bytes)).toEqual({ ok: true, leaf });
    expect(leafColumns(leaf)).toMatchObject({ page: 3, dwellMs: 900, objectId: 'art-1', user: 'alice' });
  });

  const text = canonicalize(leaf);
  const refusals: [string, string, string][] = [
    ['bytes that are not JSON', '{"v":1,', 'not-json'],
    ['JSON with whitespace', text.replace('{"actor"', '{ "actor"'), 'not-canonical'],
    ['members out of order', text.replace(',"v":1}', '}').replace('{', '{"v":1,'), 'not-canonical'],
    ['a needlessly escaped character', text.replace('alice', '\\u0061lice'), 'not-canonical'],
    ['an escaped lone surrogate', text.replace('alice', 'al\\ud800ice'), 'not-canonical'],
    ['a number spelled 3.0', text.replace('"page":3', '"page":3.0'), 'not-canonical'],
    ['a missing member', canonicalize(Object.fromEntries(Object.entries(leaf).filter(([k]) => k !== 'session'))), 'schema'],
    ['an extra member', canonicalize({ ...leaf, extra: 1 }), 'schema'],
    ['another version', canonicalize({ ...leaf, v: 2 }), 'schema'],
    ['an unknown outcome', canonicalize({ ...leaf, outcome: 'ok' }), 'schema'],
    ['a fractional detail number', canonicalize({ ...leaf, detail: { n: 1.5 } }), 'schema'],
    ['a nested detail object', canonicalize({ ...leaf, detail: { n: { deep: 1 } } }), 'schema'],
    ['a negative seq', canonicalize({ ...leaf, seq: -1 }), 'schema'],
  ];
  it.each(refusals)('refuses %s', (_name, input, reason) => {
    const parsed = parseLeaf(utf8(input));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toBe(reason);
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(parseLeaf(new Uint8Array([0x7b, 0xff, 0x7d]))).toMatchObject({ ok: false, reason: 'not-json' });
  });

  it('refuses to encode a malformed leaf', () => {
    expect(() => encodeLeaf({ ...leaf, event: '' })).toThrow(/leaf/);
    expect(() => encodeLeaf({ ...leaf, ts: 1.5 })).toThrow(/leaf/);
  });

  describe('readLeafTail (seq and ts from the last bytes)', () => {
    const sessions = [null, 'abc', 'a"b', 'ends with \\', '\\"', 'x\\\\"', ',"seq":9,"session":null', 'ünïcødé ✓'];
    it.each(sessions)('agrees with the full parse for session %j', (session) => {
      for (const [seq, ts] of [[0, 0], [7, 1_764_000_000_000], [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER], [10, 9]]) {
        const bytes = encodeLeaf({ ...leaf, seq: seq!, ts: ts!, session, detail: { note: '"seq":1,"ts":2,"v":1}', seq: 99 } });
        expect(readLeafTail(bytes)).toEqual({ seq, ts });
      }
    });

    const refusals: [string, string][] = [
      ['a leaf cut short', text.slice(0, -1)],
      ['another version', text.replace(',"v":1}', ',"v":2}')],
      ['a ts with a leading zero', text.replace('"ts":1764000000000', '"ts":01764000000000')],
      ['a seq with a leading zero', text.replace('"seq":7', '"seq":07')],
      ['a ts beyond 2^53', text.replace('"ts":1764000000000', '"ts":9007199254740993')],
      ['a negative ts', text.replace('"ts":1764000000000', '"ts":-1')],
      ['a fractional seq', text.replace('"seq":7', '"seq":7.5')],
      ['a space before a member', text.replace(',"ts"', ', "ts"')],
      ['no session member', text.replace(',"session":"abc"', '')],
      ['a session that is a number', text.replace('"session":"abc"', '"session":5')],
      ['a session string with no opening quote', text.replace('"session":"abc"', '"session":abc"')],
      ['no seq member', text.replace('"seq":7,', '')],
      ['empty bytes', ''],
    ];
    it.each(refusals)('reads nothing from %s', (_name, input) => {
      expect(readLeafTail(utf8(input))).toBeNull();
    });
  });

  describe('readLeafFacts (columns and open from the bytes, without parsing)', () => {
    // Strings with what forces escapes (quotes, backslashes, control characters) and what does not (unicode).
    const text = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('a"b', 'x\\y', 'tab\there', 'ünïcødé ✓', 'open', ',"seq":1'));
    const detailValue = fc.oneof(text, fc.constant('open'), fc.integer(), fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 0, -1), fc.boolean(), fc.constant(null));
    const leaves = fc.record({
      v: fc.constant(1 as const),
      seq: fc.nat(),
      ts: fc.nat(),
      mono: fc.nat(),
      device: text,
      app: text,
      actor: fc.record({ user: fc.option(text, { nil: null }), role: fc.constantFrom('anonymous' as const, 'reviewer' as const, 'auditor' as const, 'system' as const) }),
      session: fc.option(text, { nil: null }),
      event: fc.oneof(text, fc.constant('artifact.view')),
      object: fc.option(fc.record({ kind: text, id: text, name: fc.option(text, { nil: null }), digest: fc.option(text, { nil: null }) }), { nil: null }),
      outcome: fc.constantFrom('success' as const, 'failure' as const, 'denied' as const),
      detail: fc.dictionary(fc.oneof(fc.constantFrom('action', 'page', 'dwellMs', 'region'), fc.string({ maxLength: 6 })), detailValue, { maxKeys: 5 }),
    });
    const plain = (x: string | null) => x === null || !/["\\\u0000-\u001f]/.test(x);

    it('agrees with parseLeaf + leafColumns, and reads every leaf whose read strings need no escapes', () => {
      fc.assert(
        fc.property(leaves, (leaf) => {
          const facts = readLeafFacts(encodeLeaf(leaf));
          const readStrings = [leaf.actor.user, leaf.session, leaf.event, leaf.object?.kind ?? null, leaf.object?.id ?? null, ...Object.keys(leaf.detail)];
          if (facts === null) expect(readStrings.every(plain)).toBe(false);
          else expect(facts).toEqual({ columns: leafColumns(leaf), open: leaf.detail['action'] === 'open' });
        }),
        { numRuns: 400 },
      );
    });

    it('never throws on damaged bytes, and reads nothing a full parse would read otherwise', () => {
      fc.assert(
        fc.property(mutated(() => encodeLeaf(leaf)), (bytes) => {
          const facts = readLeafFacts(bytes);
          if (facts === null) return;
          const parsed = parseLeaf(bytes);
          if (parsed.ok) expect(facts).toEqual({ columns: leafColumns(parsed.leaf), open: parsed.leaf.detail['action'] === 'open' });
        }),
        { numRuns: 400 },
      );
    });
  });
});
