import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../../../src-shared/canonical-json';
import { utf8 } from '../../../../src-shared/encoding';
import { encodeLeaf, leafColumns, parseLeaf, type AccessLogLeaf } from '../../../../src-main/audit/log-leaf';

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
});
