import { describe, expect, it } from 'vitest';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint, type Checkpoint } from '../../../../src-shared/node/checkpoint';
import { ed25519NoteSigner, ed25519NoteVerifier } from '../../../../src-shared/node/signed-note';
import { generateEd25519, sha256 } from '../../../../src-shared/node/crypto';
import { toBase64, utf8 } from '../../../../src-shared/encoding';

const root = sha256(utf8('root'));
const rootB64 = toBase64(root);
const cp: Checkpoint = { origin: 'rw.example/device/42', size: 20852163, rootHash: root, extensions: [] };
const key = generateEd25519();
const signer = ed25519NoteSigner('rw.example/device/42', key.privateKey);
const verifier = ed25519NoteVerifier('rw.example/device/42', key.publicKey);

describe('checkpoint', () => {
  it('formats origin, size and base64 root as three newline-terminated lines', () => {
    expect(formatCheckpoint(cp)).toBe(`rw.example/device/42\n20852163\n${rootB64}\n`);
  });

  it('round-trips with extension lines and size 0', () => {
    const withExt = { ...cp, size: 0, extensions: ['ext one', 'ext two'] };
    expect(parseCheckpoint(formatCheckpoint(withExt))).toEqual(withExt);
  });

  it('signs and opens, verifying before parsing and checking the origin when asked', () => {
    const note = signCheckpoint(cp, [signer]);
    const opened = openCheckpoint(utf8(note), [verifier], { origin: cp.origin });
    expect(opened.checkpoint).toEqual(cp);
    expect(opened.note.verifiedBy[0]!.name).toBe(cp.origin);
    expect(() => openCheckpoint(note, [verifier], { origin: 'rw.example/other' })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    const other = ed25519NoteVerifier('rw.example/device/42', generateEd25519().publicKey);
    expect(() => openCheckpoint(note, [other])).toThrowError(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
  });

  it('does not parse an unverified checkpoint: a malformed but unsigned body fails on the signature', () => {
    const note = `garbage\n\n\u2014 rw.example/device/42 ${toBase64(new Uint8Array(68))}\n`;
    expect(() => openCheckpoint(note, [verifier])).toThrowError(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
  });

  it.each([
    ['no final newline', `o\n1\n${rootB64}`],
    ['two lines', `o\n1\n`],
    ['an empty origin', `\n1\n${rootB64}\n`],
    ['a leading zero', `o\n01\n${rootB64}\n`],
    ['a plus sign', `o\n+1\n${rootB64}\n`],
    ['a negative size', `o\n-1\n${rootB64}\n`],
    ['a size with a space', `o\n 1\n${rootB64}\n`],
    ['a hexadecimal size', `o\n0x10\n${rootB64}\n`],
    ['a size beyond 2^53', `o\n9007199254740993\n${rootB64}\n`],
    ['an unpadded root', `o\n1\n${rootB64.replace(/=+$/, '')}\n`],
    ['a URL-safe root', `o\n1\n${toBase64(new Uint8Array(32).fill(0xfb)).replace(/\+/g, '-').replace(/\//g, '_')}\n`],
    ['a 31-byte root', `o\n1\n${toBase64(new Uint8Array(31))}\n`],
    ['a hex root', `o\n1\n${'00'.repeat(32)}\n`],
    ['an empty extension line', `o\n1\n${rootB64}\n\next\n`],
    ['a trailing empty line', `o\n1\n${rootB64}\n\n`],
    ['a carriage return', `o\r\n1\n${rootB64}\n`],
  ])('refuses text with %s', (_n, text) => {
    expect(() => parseCheckpoint(text)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it.each([
    ['an empty origin', { ...cp, origin: '' }],
    ['a newline in the origin', { ...cp, origin: 'a\nb' }],
    ['a negative size', { ...cp, size: -1 }],
    ['a fractional size', { ...cp, size: 1.5 }],
    ['a short root', { ...cp, rootHash: new Uint8Array(31) }],
    ['an empty extension', { ...cp, extensions: [''] }],
  ])('refuses to format %s', (_n, value) => {
    expect(() => formatCheckpoint(value)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
