import { describe, expect, it } from 'vitest';
import {
  cosignatureKeyId,
  cosignatureMessage,
  cosignatureSigner,
  cosignatureVerifier,
  cosignCheckpoint,
  formatCosignature,
  formatCosignatureVerifierKey,
  parseCosignature,
  parseCosignatureVerifierKey,
} from '../../../../src-shared/node/cosignature';
import { formatCheckpoint, openCheckpoint, signCheckpoint } from '../../../../src-shared/node/checkpoint';
import { ed25519NoteSigner, ed25519NoteVerifier, formatSignatureLine, formatVerifierKey, noteKeyId, openNote, parseNote } from '../../../../src-shared/node/signed-note';
import { ed25519Verify, generateEd25519, sha256 } from '../../../../src-shared/node/crypto';
import { utf8 } from '../../../../src-shared/encoding';

const logKey = generateEd25519();
const witnessKey = generateEd25519();
const ORIGIN = 'rw.example/device/1';
const WITNESS = 'rw.example/witness';
const checkpoint = { origin: ORIGIN, size: 10, rootHash: sha256(utf8('r')), extensions: [] };
const text = formatCheckpoint(checkpoint);
const logNote = signCheckpoint(checkpoint, [ed25519NoteSigner(ORIGIN, logKey.privateKey)]);
const T = 1_700_000_000;

describe('tlog-cosignature v1', () => {
  it('uses key type 0x04, distinct from a plain Ed25519 note key', () => {
    expect(cosignatureKeyId(WITNESS, witnessKey.publicKey)).toBe(noteKeyId(WITNESS, 0x04, witnessKey.publicKey));
    expect(cosignatureKeyId(WITNESS, witnessKey.publicKey)).not.toBe(noteKeyId(WITNESS, 0x01, witnessKey.publicKey));
  });

  it('signs "cosignature/v1\\ntime <t>\\n" + checkpoint text, and carries the timestamp big-endian before the signature', () => {
    const line = cosignCheckpoint(text, WITNESS, witnessKey.privateKey, T);
    const sig = parseNote(`${text}\n${line}`).signatures[0]!;
    expect(sig.signature.byteLength).toBe(72);
    expect(new DataView(sig.signature.buffer, sig.signature.byteOffset).getBigUint64(0)).toBe(BigInt(T));
    // Independent check of the signed message, written from the spec text.
    const message = utf8(`cosignature/v1\ntime ${T}\n${text}`);
    expect(ed25519Verify(witnessKey.publicKey, message, sig.signature.slice(8))).toBe(true);
    expect(cosignatureMessage(T, utf8(text))).toEqual(message);
  });

  it('verifies a witness response appended to the log-signed checkpoint, beside the log signature', () => {
    const line = cosignCheckpoint(text, WITNESS, witnessKey.privateKey, T);
    const cosigned = `${logNote}${line}`;
    const logVerifier = ed25519NoteVerifier(ORIGIN, logKey.publicKey);
    const witnessVerifier = parseCosignatureVerifierKey(formatCosignatureVerifierKey(WITNESS, witnessKey.publicKey));
    const opened = openCheckpoint(cosigned, [logVerifier, witnessVerifier]);
    expect(opened.note.verifiedBy.map((s) => s.name)).toEqual([ORIGIN, WITNESS]);
    const cosig = parseCosignature(opened.note.verifiedBy[1]!.signature);
    expect(cosig.timestamp).toBe(T);
  });

  it('signs at the clock second (clock in UTC milliseconds)', () => {
    const signer = cosignatureSigner(WITNESS, witnessKey.privateKey, () => T * 1000 + 999);
    expect(parseCosignature(signer.sign(utf8(text))).timestamp).toBe(T);
  });

  it('refuses cosignatures from the future when a clock is given', () => {
    const line = cosignCheckpoint(text, WITNESS, witnessKey.privateKey, T + 3600);
    const strict = cosignatureVerifier(WITNESS, witnessKey.publicKey, { now: () => T * 1000, maxFutureSkewSeconds: 60 });
    expect(() => openNote(`${text}\n${line}`, [strict])).toThrowError(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
    const lenient = cosignatureVerifier(WITNESS, witnessKey.publicKey, { now: () => (T + 3590) * 1000, maxFutureSkewSeconds: 60 });
    expect(openNote(`${text}\n${line}`, [lenient]).verifiedBy).toHaveLength(1);
  });

  it.each([
    ['a changed timestamp', (payload: Uint8Array) => formatCosignature({ ...parseCosignature(payload), timestamp: T + 1 })],
    ['a plain signature over the text', () => formatCosignature({ timestamp: T, signature: new Uint8Array(64) })],
    ['a payload without the timestamp', (payload: Uint8Array) => payload.slice(8)],
    ['a payload with a byte too many', (payload: Uint8Array) => new Uint8Array([...payload, 0])],
  ])('rejects %s', (_n, mutate) => {
    const signer = cosignatureSigner(WITNESS, witnessKey.privateKey, () => T * 1000);
    const verifier = cosignatureVerifier(WITNESS, witnessKey.publicKey);
    const payload = signer.sign(utf8(text));
    expect(verifier.verify(utf8(text), payload)).toBe(true);
    expect(verifier.verify(utf8(text), mutate(payload))).toBe(false);
  });

  it('does not accept a timestamped signature over the bare text (the header is domain separation)', () => {
    const plain = ed25519NoteSigner(WITNESS, witnessKey.privateKey);
    const payload = formatCosignature({ timestamp: T, signature: plain.sign(utf8(text)) });
    const line = formatSignatureLine({ name: WITNESS, keyId: cosignatureKeyId(WITNESS, witnessKey.publicKey), signature: payload });
    expect(() => openNote(`${text}\n${line}`, [cosignatureVerifier(WITNESS, witnessKey.publicKey)])).toThrowError(
      expect.objectContaining({ code: 'SIGNATURE_INVALID' }),
    );
  });

  it.each([
    ['a negative timestamp', () => cosignatureMessage(-1, utf8(text))],
    ['a fractional timestamp', () => cosignatureMessage(1.5, utf8(text))],
    ['a short payload', () => parseCosignature(new Uint8Array(71))],
    ['a timestamp beyond 2^53', () => parseCosignature(new Uint8Array(72).fill(0xff))],
    ['a type 0x01 vkey', () => parseCosignatureVerifierKey(formatVerifierKey(WITNESS, 0x01, witnessKey.publicKey))],
    ['a short signature', () => formatCosignature({ timestamp: T, signature: new Uint8Array(63) })],
    ['an invalid cosigner name', () => cosignatureVerifier('has space', witnessKey.publicKey)],
    ['cosigning text that is not a checkpoint', () => cosignCheckpoint('hello\n', WITNESS, witnessKey.privateKey, T)],
  ])('refuses %s', (_n, run) => {
    expect(run).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
