import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildStatement, IN_TOTO_PAYLOAD_TYPE, IN_TOTO_STATEMENT_V1, parseStatement, parseVerifiedStatement, statementBytes } from '../../../../src-shared/node/in-toto';
import { signEnvelope, verifyEnvelope } from '../../../../src-shared/node/dsse';
import { ed25519PublicKey, ed25519Sign, generateEd25519, sha256 } from '../../../../src-shared/node/crypto';
import { fromUtf8, toHex, utf8 } from '../../../../src-shared/encoding';

const digest = sha256(utf8('model card'));
const PREDICATE = 'https://rw.example/review-outcome/v1';
const statement = buildStatement({
  subjects: [{ name: 'model-card.md', sha256: digest }, { name: 'eval.json', sha256: toHex(sha256(utf8('eval'))) }],
  predicateType: PREDICATE,
  predicate: { verdict: 'pass', findings: { high: 0 } },
});

describe('in-toto Statement v1', () => {
  it('builds the v1 shape with hex sha256 digests', () => {
    expect(statement._type).toBe(IN_TOTO_STATEMENT_V1);
    expect(statement.subject[0]).toEqual({ name: 'model-card.md', digest: { sha256: toHex(digest) } });
    expect(IN_TOTO_PAYLOAD_TYPE).toBe('application/vnd.in-toto+json');
  });

  it('serialises canonically (sorted keys, no whitespace)', () => {
    const text = fromUtf8(statementBytes(statement));
    expect(text.startsWith('{"_type":"https://in-toto.io/Statement/v1","predicate":{"findings":{"high":0},"verdict":"pass"},"predicateType":')).toBe(true);
  });

  it('round-trips through a DSSE envelope, parsing only the verified payload', () => {
    const key = generateEd25519();
    const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, statementBytes(statement), [{ sign: (m) => ed25519Sign(key.privateKey, m) }]);
    const verified = verifyEnvelope(envelope, [ed25519PublicKey(key.publicKey)]);
    const predicateSchema = z.object({ verdict: z.enum(['pass', 'fail']), findings: z.record(z.string(), z.number()) });
    const parsed = parseVerifiedStatement(verified, { predicateType: PREDICATE, predicateSchema });
    expect(parsed.predicate.verdict).toBe('pass');
    expect(parsed.subject).toEqual(statement.subject);
    expect(() => parseVerifiedStatement({ ...verified, payloadType: 'application/json' })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => parseVerifiedStatement(verified, { predicateType: 'https://other/v1' })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => parseVerifiedStatement(verified, { predicateSchema: z.object({ verdict: z.literal('fail') }) })).toThrowError(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });

  it('accepts extra digest algorithms and ignores unknown members', () => {
    const text = JSON.stringify({ ...statement, extra: 1, subject: [{ name: 'a', digest: { sha256: toHex(digest), sha512: 'ab' }, uri: 'x' }] });
    const parsed = parseStatement(utf8(text));
    expect(parsed.subject[0]!.digest.sha512).toBe('ab');
    expect('extra' in parsed).toBe(false);
  });

  const base = JSON.parse(JSON.stringify(statement)) as Record<string, unknown>;
  const sub = (s: unknown) => ({ ...base, subject: s });
  it.each([
    ['another _type', { ...base, _type: 'https://in-toto.io/Statement/v0.1' }],
    ['no subjects', sub([])],
    ['a subject without a name', sub([{ digest: { sha256: toHex(digest) } }])],
    ['a subject with an empty name', sub([{ name: '', digest: { sha256: toHex(digest) } }])],
    ['a subject without sha256', sub([{ name: 'a', digest: { sha512: 'ab' } }])],
    ['an uppercase digest', sub([{ name: 'a', digest: { sha256: toHex(digest).toUpperCase() } }])],
    ['a short digest', sub([{ name: 'a', digest: { sha256: toHex(digest).slice(2) } }])],
    ['a non-hex extra digest', sub([{ name: 'a', digest: { sha256: toHex(digest), md5: 'zz' } }])],
    ['duplicate subject names', sub([{ name: 'a', digest: { sha256: toHex(digest) } }, { name: 'a', digest: { sha256: toHex(digest) } }])],
    ['a relative predicateType', { ...base, predicateType: 'review-outcome' }],
    ['a missing predicate', { ...base, predicate: undefined }],
    ['an array predicate', { ...base, predicate: [] }],
    ['a string predicate', { ...base, predicate: 'x' }],
  ])('refuses a statement with %s', (_n, value) => {
    expect(() => parseStatement(utf8(JSON.stringify(value)))).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('refuses duplicate keys in the payload (two readings of one signed statement)', () => {
    const text = fromUtf8(statementBytes(statement)).replace('"predicateType":', '"predicateType":"https://evil/v1","predicateType":');
    expect(() => parseStatement(utf8(text))).toThrowError(/duplicate key/);
  });

  it('refuses to build what it could not parse', () => {
    expect(() => buildStatement({ subjects: [{ name: 'a', sha256: new Uint8Array(31) }], predicateType: PREDICATE, predicate: {} })).toThrowError(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => buildStatement({ subjects: [], predicateType: PREDICATE, predicate: {} })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
