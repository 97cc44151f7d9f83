import { describe, expect, it } from 'vitest';
import {
  ed25519NoteSigner,
  ed25519NoteVerifier,
  formatKeyId,
  formatSignatureLine,
  formatSignerKey,
  formatVerifierKey,
  noteKeyId,
  NOTE_ALG_ED25519,
  openNote,
  parseKeyId,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  type NoteSigner,
} from '../../../../src-shared/node/signed-note';
import { ed25519PublicFromSeed, ed25519Sign, generateEd25519, sha256 } from '../../../../src-shared/node/crypto';
import { toBase64, utf8 } from '../../../../src-shared/encoding';

const log = generateEd25519();
const other = generateEd25519();
const logSigner = ed25519NoteSigner('example.com/log', log.privateKey);
const logVerifier = ed25519NoteVerifier('example.com/log', log.publicKey);
const otherSigner = ed25519NoteSigner('example.com/other', other.privateKey);
const otherVerifier = ed25519NoteVerifier('example.com/other', other.publicKey);
const TEXT = 'example.com/log\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';

describe('key IDs and key strings', () => {
  it('derives the key ID as SHA-256(name || \\n || type || key)[:4], big-endian', () => {
    const digest = sha256(utf8('example.com/log\n'), new Uint8Array([1]), log.publicKey);
    const expected = ((digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]!) >>> 0;
    expect(noteKeyId('example.com/log', NOTE_ALG_ED25519, log.publicKey)).toBe(expected);
    expect(logSigner.keyId).toBe(expected);
    expect(parseKeyId(formatKeyId(expected))).toBe(expected);
  });

  it('round-trips vkeys and skeys, including base64 that holds "+"', () => {
    // Search for a seed whose key material encodes with a '+' so the "first two + only" rule is exercised.
    let seed: Uint8Array = new Uint8Array(32);
    let vkey = '';
    for (let i = 0; i < 500 && !vkey.split('+').slice(2).join('+').includes('+'); i++) {
      seed = sha256(utf8(`seed ${i}`));
      vkey = formatVerifierKey('n', NOTE_ALG_ED25519, ed25519PublicFromSeed(seed));
    }
    expect(vkey.split('+').length).toBeGreaterThan(3);
    const verifier = parseVerifierKey(vkey);
    const signer = parseSignerKey(formatSignerKey('n', seed));
    expect(signer.keyId).toBe(verifier.keyId);
    expect(openNote(signNote('hi\n', [signer]), [verifier]).text).toBe('hi\n');
  });

  const good = formatVerifierKey('example.com/log', NOTE_ALG_ED25519, log.publicKey);
  const [name, id, key] = [good.split('+')[0]!, good.split('+')[1]!, good.split('+').slice(2).join('+')];
  it.each([
    ['no separators', 'example.com/log'],
    ['one separator', `${name}+${id}`],
    ['an empty name', `+${id}+${key}`],
    ['a name with a space', `a b+${id}+${key}`],
    // The key is random: an ID of digits only has no case to change, so a letter is forced in.
    ['an uppercase key ID', `${name}+${/[a-f]/.test(id) ? id.toUpperCase() : `A${id.slice(1)}`}+${key}`],
    ['a short key ID', `${name}+${id.slice(1)}+${key}`],
    ['a key ID that does not match', `${name}+00000000+${key}`],
    ['another name for the same key', `example.com/x+${id}+${key}`],
    ['a key that is not base64', `${name}+${id}+***`],
    ['a short public key', `${name}+${id}+${toBase64(new Uint8Array([1, 2, 3]))}`],
    ['an unsupported key type', formatVerifierKey('n', 0x02, new Uint8Array(65))],
    ['a cosignature key type', formatVerifierKey('n', 0x04, log.publicKey)],
  ])('refuses a vkey with %s', (_n, vkey) => {
    expect(() => parseVerifierKey(vkey)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  const skey = formatSignerKey('example.com/log', log.privateKey);
  it.each([
    ['a wrong prefix', skey.replace('PRIVATE+KEY', 'PUBLIC+KEY')],
    ['a key ID that does not match', skey.replace(`+${id}+`, '+00000000+')],
    ['another name', skey.replace('example.com/log', 'example.com/x')],
    ['a missing part', skey.split('+').slice(0, 4).join('+')],
    ['a vkey', good],
  ])('refuses an skey with %s', (_n, text) => {
    expect(() => parseSignerKey(text)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('signNote / openNote', () => {
  it('signs with several keys and verifies each, returning the text', () => {
    const note = signNote(TEXT, [logSigner, otherSigner]);
    expect(note.startsWith(`${TEXT}\n\u2014 example.com/log `)).toBe(true);
    const opened = openNote(utf8(note), [logVerifier, otherVerifier]);
    expect(opened.text).toBe(TEXT);
    expect(opened.verifiedBy.map((s) => s.name)).toEqual(['example.com/log', 'example.com/other']);
    expect(opened.unverified).toEqual([]);
  });

  it('keeps signatures from unknown keys apart, even those sharing a name or a key ID with a known key', () => {
    const impostor = generateEd25519();
    const sameName = ed25519NoteSigner('example.com/log', impostor.privateKey);
    const sameId: NoteSigner = { name: 'example.com/evil', keyId: logSigner.keyId, sign: (t) => ed25519Sign(impostor.privateKey, t) };
    const note = signNote(TEXT, [logSigner, sameName, sameId]);
    const opened = openNote(note, [logVerifier]);
    expect(opened.verifiedBy).toHaveLength(1);
    expect(opened.unverified.map((s) => s.name)).toEqual(['example.com/log', 'example.com/evil']);
  });

  it('accepts text with blank lines inside, splitting at the last blank line', () => {
    const text = 'a\n\nb\n';
    expect(openNote(signNote(text, [logSigner]), [logVerifier]).text).toBe(text);
  });

  it('accepts the 16 signatures the spec requires and refuses more than the limit', () => {
    const signers = Array.from({ length: 17 }, (_, i) => ed25519NoteSigner(`k${i}`, sha256(utf8(`k${i}`))));
    const verifiers = signers.map((s, i) => ed25519NoteVerifier(s.name, ed25519PublicFromSeed(sha256(utf8(`k${i}`)))));
    expect(openNote(signNote(TEXT, signers.slice(0, 16)), verifiers).verifiedBy).toHaveLength(16);
    expect(() => openNote(signNote(TEXT, signers), verifiers)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(openNote(signNote(TEXT, signers), verifiers, { maxSignatures: 17 }).verifiedBy).toHaveLength(17);
  });

  const signed = signNote(TEXT, [logSigner]);
  const sigLine = signed.slice(TEXT.length + 1);
  const badSig = formatSignatureLine({ name: 'example.com/log', keyId: logSigner.keyId, signature: ed25519Sign(log.privateKey, utf8('other\n')) });

  it.each([
    ['no signature from a known key', signNote(TEXT, [ed25519NoteSigner('example.com/third', sha256(utf8('third')))])],
    // The last blank line splits text from signatures, so the first line becomes text and no longer verifies.
    ['a blank line between signatures', `${signed}\n${sigLine}`],
    ['a text that is only a newline', `\n\n${sigLine}`],
    ['a known key whose signature fails', `${TEXT}\n${badSig}`],
    ['a known key failing beside one that verifies', `${TEXT}\n${formatSignatureLine({ name: 'example.com/other', keyId: otherSigner.keyId, signature: new Uint8Array(64) })}${sigLine}`],
    ['altered text', signed.replace('\n5\n', '\n6\n')],
  ])('refuses a note with %s as SIGNATURE_INVALID', (_n, note) => {
    expect(() => openNote(note, [logVerifier, otherVerifier])).toThrowError(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
  });

  it.each([
    ['no blank line', `${TEXT}${sigLine}`],
    ['no signatures', `${TEXT}\n`],
    ['a signature line without a final newline', signed.slice(0, -1)],
    ['a hyphen instead of an em dash', signed.replace('\u2014', '-')],
    ['no space after the dash', signed.replace('\u2014 ', '\u2014')],
    ['a signature that is not base64', `${TEXT}\n\u2014 example.com/log !!!!\n`],
    ['unpadded base64', `${TEXT}\n\u2014 example.com/log ${toBase64(new Uint8Array(68)).replace(/=+$/, '')}\n`],
    ['a signature of four bytes', `${TEXT}\n\u2014 example.com/log ${toBase64(new Uint8Array(4))}\n`],
    ['an empty key name', `${TEXT}\n\u2014  ${toBase64(new Uint8Array(68))}\n`],
    ['a key name with a plus', `${TEXT}\n\u2014 a+b ${toBase64(new Uint8Array(68))}\n`],
    ['a tab in the text', signed.replace('example.com/log\n5', 'example.com/log\t\n5')],
    ['a carriage return', signed.replace('\n5\n', '\r\n5\n')],
    ['a NUL byte', signed.replace('5', '\u0000')],
    ['two signatures from the same known key', `${signed}${sigLine}`],
  ])('refuses a note with %s as INVALID_INPUT', (_n, note) => {
    expect(() => openNote(note, [logVerifier])).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it.each([
    ['invalid UTF-8', new Uint8Array([0x61, 0xff, 0x0a, 0x0a])],
    ['a byte-order mark', utf8(`\ufeff${signed}`)],
  ])('refuses bytes with %s', (_n, bytes) => {
    expect(() => openNote(bytes, [logVerifier])).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('refuses notes beyond the size limit before reading them', () => {
    expect(() => openNote(signed, [logVerifier], { maxBytes: 50 })).toThrowError(expect.objectContaining({ code: 'TOO_LARGE' }));
  });

  it('ignores repeated identical unknown signatures', () => {
    const unknownLine = signNote(TEXT, [otherSigner]).slice(TEXT.length + 1);
    const opened = openNote(`${signed}${unknownLine}${unknownLine}`, [logVerifier]);
    expect(opened.unverified).toHaveLength(1);
  });

  it.each([
    ['text without a final newline', 'abc'],
    ['empty text', ''],
    ['a control character', 'a\u0007\n'],
  ])('refuses to sign %s', (_n, text) => {
    expect(() => signNote(text, [logSigner])).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('refuses to sign twice with the same key or with no key', () => {
    expect(() => signNote(TEXT, [logSigner, logSigner])).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => signNote(TEXT, [])).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('parses without verifying', () => {
    const parsed = parseNote(signNote(TEXT, [logSigner, otherSigner]));
    expect(parsed.text).toBe(TEXT);
    expect(parsed.signatures.map((s) => [s.name, s.keyId, s.signature.byteLength])).toEqual([
      ['example.com/log', logSigner.keyId, 64],
      ['example.com/other', otherSigner.keyId, 64],
    ]);
  });
});
