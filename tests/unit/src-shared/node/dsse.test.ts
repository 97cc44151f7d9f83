import { describe, expect, it } from 'vitest';
import { pae, parseEnvelope, parseEnvelopeBytes, signEnvelope, verifyEnvelope, type DsseSigner } from '../../../../src-shared/node/dsse';
import { ed25519PublicKey, ed25519Sign, generateEd25519, generateKeyPair, publicKeyOf, signWith } from '../../../../src-shared/node/crypto';
import { fromUtf8, toBase64, toBase64Url, utf8 } from '../../../../src-shared/encoding';

const TYPE = 'application/vnd.in-toto+json';
const alice = generateEd25519();
const bob = generateEd25519();
const mallory = generateEd25519();
const aliceKey = ed25519PublicKey(alice.publicKey);
const bobKey = ed25519PublicKey(bob.publicKey);
const signer = (seed: Uint8Array, keyid?: string): DsseSigner => ({ keyid, sign: (m) => ed25519Sign(seed, m) });
const payload = utf8('{"_type":"https://in-toto.io/Statement/v1"}');
const good = signEnvelope(TYPE, payload, [signer(alice.privateKey)]);
const goodSig = good.signatures[0]!.sig;
const flipped = Buffer.from(goodSig, 'base64');
flipped[0]! ^= 1;


describe('pae', () => {
  it('joins prefix, byte lengths and fields with single spaces', () => {
    expect(fromUtf8(pae('a/b', utf8('xyz')))).toBe('DSSEv1 3 a/b 3 xyz');
    expect(fromUtf8(pae('t', new Uint8Array(0)))).toBe('DSSEv1 1 t 0 ');
    expect(pae('é', utf8('€')).byteLength).toBe('DSSEv1 2 '.length + 2 + ' 3 '.length + 3);
  });
});

describe('signEnvelope / verifyEnvelope', () => {
  it('round-trips a payload and reports the key that verified', () => {
    const envelope = signEnvelope(TYPE, payload, [signer(alice.privateKey, 'alice')]);
    const verified = verifyEnvelope(envelope, [bobKey, aliceKey]);
    expect(verified.payloadType).toBe(TYPE);
    expect(verified.payload).toEqual(payload);
    expect(verified.verifiedKeys).toEqual([aliceKey]);
  });

  it('ignores keyid: a signature labelled with another key id still verifies with the real key', () => {
    const envelope = signEnvelope(TYPE, payload, [signer(alice.privateKey, 'bob')]);
    expect(verifyEnvelope(envelope, [bobKey, aliceKey]).verifiedKeys).toEqual([aliceKey]);
  });

  it('does not let keyid point an untrusted signature at a trusted key', () => {
    const envelope = signEnvelope(TYPE, payload, [signer(mallory.privateKey, 'alice')]);
    expect(() => verifyEnvelope(envelope, [aliceKey])).toThrowError(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
  });

  it('accepts URL-safe base64 for payload and signature', () => {
    const envelope = signEnvelope(TYPE, new Uint8Array([0xfb, 0xff, 0xfe]), [signer(alice.privateKey)]);
    const sig = Buffer.from(envelope.signatures[0]!.sig, 'base64');
    const urlSafe = { ...envelope, payload: toBase64Url(new Uint8Array([0xfb, 0xff, 0xfe])), signatures: [{ sig: toBase64Url(sig) }] };
    expect(verifyEnvelope(urlSafe, [aliceKey]).payload).toEqual(new Uint8Array([0xfb, 0xff, 0xfe]));
  });

  it('verifies ECDSA P-256 DER signatures by default', () => {
    const ec = generateKeyPair('ecdsa-p256');
    const envelope = signEnvelope(TYPE, payload, [{ sign: (m) => signWith(ec, m) }]);
    expect(verifyEnvelope(envelope, [publicKeyOf(ec)]).verifiedKeys).toEqual([publicKeyOf(ec)]);
    expect(() => verifyEnvelope(envelope, [publicKeyOf(ec)], { signatureEncoding: 'ieee-p1363' })).toThrowError(
      expect.objectContaining({ code: 'SIGNATURE_INVALID' }),
    );
  });

  it('meets a threshold only with distinct trusted keys', () => {
    const both = signEnvelope(TYPE, payload, [signer(alice.privateKey), signer(bob.privateKey)]);
    expect(verifyEnvelope(both, [aliceKey, bobKey], { threshold: 2 }).verifiedKeys).toHaveLength(2);
    const twiceAlice = signEnvelope(TYPE, payload, [signer(alice.privateKey), signer(alice.privateKey)]);
    expect(() => verifyEnvelope(twiceAlice, [aliceKey, aliceKey], { threshold: 2 })).toThrowError(
      expect.objectContaining({ code: 'SIGNATURE_INVALID', detail: { verified: 1, threshold: 2 } }),
    );
    const withUntrusted = signEnvelope(TYPE, payload, [signer(alice.privateKey), signer(mallory.privateKey)]);
    expect(() => verifyEnvelope(withUntrusted, [aliceKey, bobKey], { threshold: 2 })).toThrowError(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
    // One bad signature next to a good one does not fail a threshold of 1.
    expect(verifyEnvelope(withUntrusted, [aliceKey]).verifiedKeys).toEqual([aliceKey]);
  });

  it('refuses another payload type when one is expected', () => {
    const envelope = signEnvelope('text/plain', payload, [signer(alice.privateKey)]);
    expect(() => verifyEnvelope(envelope, [aliceKey], { expectedPayloadType: TYPE })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it.each([
    ['a payload changed after signing', { ...good, payload: toBase64(utf8('{"_type":"other"}')) }],
    ['a payload type changed after signing', { ...good, payloadType: 'application/json' }],
    ['a signature with one bit flipped', { ...good, signatures: [{ sig: flipped.toString('base64') }] }],
    ['an empty signature', { ...good, signatures: [{ sig: '' }] }],
    ['a signature by an untrusted key', signEnvelope(TYPE, payload, [signer(mallory.privateKey)])],
    ['a signature over the raw payload instead of PAE', { ...good, signatures: [{ sig: toBase64(ed25519Sign(alice.privateKey, payload)) }] }],
  ])('refuses %s as SIGNATURE_INVALID', (_name, envelope) => {
    expect(() => verifyEnvelope(envelope, [aliceKey])).toThrowError(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
  });

  it('refuses when no keys are trusted', () => {
    expect(() => verifyEnvelope(good, [])).toThrowError(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
  });

  it.each([
    ['null', null],
    ['an array', [good]],
    ['no signatures', { ...good, signatures: [] }],
    ['a missing payload', { payloadType: TYPE, signatures: good.signatures }],
    ['a missing payloadType', { payload: good.payload, signatures: good.signatures }],
    ['a numeric payloadType', { ...good, payloadType: 1 }],
    ['a payload that is not base64', { ...good, payload: 'not base64!' }],
    ['a payload mixing both alphabets', { ...good, payload: 'ab+_' }],
    ['a signature that is not base64', { ...good, signatures: [{ sig: '***' }] }],
    ['a signature without sig', { ...good, signatures: [{ keyid: 'x' }] }],
    ['a numeric keyid', { ...good, signatures: [{ keyid: 5, sig: goodSig }] }],
    ['too many signatures', { ...good, signatures: Array.from({ length: 17 }, () => ({ sig: goodSig })) }],
  ])('refuses an envelope with %s as INVALID_INPUT', (_name, envelope) => {
    expect(() => verifyEnvelope(envelope, [aliceKey])).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it.each([0, -1, 1.5, NaN])('refuses threshold %s', (threshold) => {
    expect(() => verifyEnvelope(good, [aliceKey], { threshold })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('refuses signing with no signers', () => {
    expect(() => signEnvelope(TYPE, payload, [])).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('parseEnvelopeBytes', () => {
  it('parses a signed envelope written as JSON', () => {
    const bytes = utf8(JSON.stringify(good));
    expect(parseEnvelopeBytes(bytes)).toEqual(good);
    expect(verifyEnvelope(parseEnvelopeBytes(bytes), [aliceKey]).payload).toEqual(payload);
  });

  it('accepts a null or empty keyid (Sigstore bundles from model_signing carry "keyid": null)', () => {
    expect(verifyEnvelope({ ...good, signatures: [{ keyid: null, sig: goodSig }] }, [aliceKey]).verifiedKeys).toEqual([aliceKey]);
    expect(verifyEnvelope({ ...good, signatures: [{ keyid: '', sig: goodSig }] }, [aliceKey]).verifiedKeys).toEqual([aliceKey]);
  });

  it('drops unknown members, which are not signed', () => {
    expect(parseEnvelope({ ...good, extra: 1 })).toEqual(good);
  });

  it.each([
    ['a duplicate payload key', `{"payload":"${good.payload}","payload":"AAAA","payloadType":"${TYPE}","signatures":[{"sig":"${goodSig}"}]}`],
    ['a duplicate key inside a signature', `{"payload":"${good.payload}","payloadType":"${TYPE}","signatures":[{"sig":"${goodSig}","sig":"AAAA"}]}`],
    ['trailing garbage', `${JSON.stringify(good)}x`],
    ['not JSON', 'payload=abc'],
  ])('refuses %s', (_name, text) => {
    expect(() => parseEnvelopeBytes(utf8(text))).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('refuses invalid UTF-8 and oversize input', () => {
    expect(() => parseEnvelopeBytes(new Uint8Array([0x7b, 0xff, 0x7d]))).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => parseEnvelopeBytes(utf8(JSON.stringify(good)), { maxBytes: 10 })).toThrowError(expect.objectContaining({ code: 'TOO_LARGE' }));
  });
});
