import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { pae, signEnvelope, verifyEnvelope } from '../../src-shared/node/dsse';
import { ed25519PublicFromSeed, ed25519PublicKey, ed25519RawFromPublicKey, ed25519Sign, parsePublicKeyPem, publicKeyFromJwk } from '../../src-shared/node/crypto';
import { fromBase64, fromHex, toBase64, toBase64Url, toHex, utf8 } from '../../src-shared/encoding';
import { conformancePresent, conformanceRoot, readConformanceJson } from './conformance-root';
import * as fs from 'node:fs';
import * as path from 'node:path';

const present = conformancePresent('dsse/vectors.json', 'dsse conformance');
const modelSigningPresent = conformancePresent('model-signing', 'dsse conformance (model-signing envelopes)');

const vectorsSchema = z.object({
  pae: z.array(z.object({ payloadType: z.string(), payloadUtf8: z.string(), paeUtf8: z.string().optional(), paeHex: z.string().optional() })),
  ecdsaP256Example: z.object({
    payloadType: z.string(),
    payloadUtf8: z.string(),
    publicKeyXDecimal: z.string(),
    publicKeyYDecimal: z.string(),
    signatureBase64P1363: z.string(),
    hash: z.literal('sha256'),
  }),
  ed25519CrossLanguage: z.object({
    publicKeyPem: z.string(),
    seedHex: z.string(),
    cases: z.array(z.object({ name: z.string(), payloadType: z.string(), payloadBase64: z.string(), sigBase64: z.string(), paeBase64: z.string().optional() })),
  }),
});

/** A decimal coordinate as a 32-byte big-endian field element. */
function coordinate(decimal: string): Uint8Array {
  return fromHex(BigInt(decimal).toString(16).padStart(64, '0'));
}

describe.skipIf(!present)('DSSE conformance (secure-systems-lab/dsse, probityai/dsse cross-language vectors)', () => {
  const vectors = present ? vectorsSchema.parse(readConformanceJson('dsse/vectors.json')) : undefined;
  let cases = 0;
  afterAll(() => console.log(`[dsse conformance] ${cases} cases run`));

  it('reproduces every PAE vector byte for byte', () => {
    for (const v of vectors!.pae) {
      const expected = v.paeHex !== undefined ? fromHex(v.paeHex) : utf8(v.paeUtf8!);
      expect(toHex(pae(v.payloadType, utf8(v.payloadUtf8)))).toBe(toHex(expected));
      cases++;
    }
    expect(vectors!.pae.length).toBeGreaterThan(0);
  });

  it('verifies the protocol.md ECDSA P-256 example (P1363 signature) and refuses it altered', () => {
    const ex = vectors!.ecdsaP256Example;
    const key = publicKeyFromJwk({ kty: 'EC', crv: 'P-256', x: toBase64Url(coordinate(ex.publicKeyXDecimal)), y: toBase64Url(coordinate(ex.publicKeyYDecimal)) });
    expect(key.algorithm).toBe('ecdsa-p256');
    const envelope = { payload: toBase64(utf8(ex.payloadUtf8)), payloadType: ex.payloadType, signatures: [{ sig: ex.signatureBase64P1363 }] };
    const verified = verifyEnvelope(envelope, [key], { signatureEncoding: 'ieee-p1363' });
    expect(new TextDecoder().decode(verified.payload)).toBe(ex.payloadUtf8);
    expect(verified.verifiedKeys).toEqual([key]);
    // The same bytes read as DER, another type, or another payload must all fail.
    expect(() => verifyEnvelope(envelope, [key], { signatureEncoding: 'der' })).toThrowError(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
    expect(() => verifyEnvelope({ ...envelope, payloadType: `${ex.payloadType}x` }, [key], { signatureEncoding: 'ieee-p1363' })).toThrowError(
      expect.objectContaining({ code: 'SIGNATURE_INVALID' }),
    );
    expect(() => verifyEnvelope({ ...envelope, payload: toBase64(utf8(`${ex.payloadUtf8}!`)) }, [key], { signatureEncoding: 'ieee-p1363' })).toThrowError(
      expect.objectContaining({ code: 'SIGNATURE_INVALID' }),
    );
    cases++;
  });

  it('verifies and reproduces every Ed25519 cross-language case', () => {
    const x = vectors!.ed25519CrossLanguage;
    const seed = fromHex(x.seedHex);
    const key = parsePublicKeyPem(x.publicKeyPem);
    expect(toHex(ed25519RawFromPublicKey(key))).toBe(toHex(ed25519PublicFromSeed(seed)));
    const otherKey = ed25519PublicKey(ed25519PublicFromSeed(new Uint8Array(32).fill(7)));
    for (const c of x.cases) {
      const payload = fromBase64(c.payloadBase64);
      const message = pae(c.payloadType, payload);
      if (c.paeBase64 !== undefined) expect(toBase64(message)).toBe(c.paeBase64);
      // Ed25519 is deterministic: our signer must produce the published signature exactly.
      const envelope = signEnvelope(c.payloadType, payload, [{ keyid: 'hint', sign: (m) => ed25519Sign(seed, m) }]);
      expect(envelope.signatures[0]!.sig).toBe(c.sigBase64);
      const published = { payload: c.payloadBase64, payloadType: c.payloadType, signatures: [{ sig: c.sigBase64 }] };
      const verified = verifyEnvelope(published, [otherKey, key]);
      expect(toHex(verified.payload)).toBe(toHex(payload));
      expect(verified.verifiedKeys).toEqual([key]);
      expect(() => verifyEnvelope(published, [otherKey])).toThrowError(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
      cases++;
    }
    expect(x.cases.length).toBeGreaterThan(0);
  });
});

describe.skipIf(!modelSigningPresent)('DSSE envelopes inside OpenSSF model-signing bundles (ECDSA P-384, DER)', () => {
  const versions = ['v0.3.1-elliptic-key', 'v1.0.0-elliptic-key', 'v1.1.0-elliptic-key'];
  let cases = 0;
  afterAll(() => console.log(`[dsse conformance, model-signing] ${cases} envelopes verified`));

  it.each(versions)('verifies the envelope in %s/model.sig with the published key, and refuses it altered', (version) => {
    const key = parsePublicKeyPem(fs.readFileSync(path.join(conformanceRoot, 'model-signing/keys/certificate/signing-key-pub.pem'), 'utf8'));
    expect(key.algorithm).toBe('ecdsa-p384');
    const bundle = JSON.parse(fs.readFileSync(path.join(conformanceRoot, 'model-signing', version, 'model.sig'), 'utf8')) as { dsseEnvelope: unknown };
    const verified = verifyEnvelope(bundle.dsseEnvelope, [key], { expectedPayloadType: 'application/vnd.in-toto+json' });
    expect(new TextDecoder().decode(verified.payload)).toContain('https://in-toto.io/Statement/v1');
    const env = bundle.dsseEnvelope as { payload: string; payloadType: string; signatures: unknown[] };
    expect(() => verifyEnvelope({ ...env, payloadType: 'application/json' }, [key])).toThrowError(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
    cases++;
  });
});
