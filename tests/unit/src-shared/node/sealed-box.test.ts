import { describe, expect, it } from 'vitest';
import { fromHex, toHex, utf8 } from '../../../../src-shared/encoding';
import { generateX25519, openSealed, sealTo, x25519PublicFromPrivate } from '../../../../src-shared/node/sealed-box';

describe('sealed box (X25519 + HKDF-SHA256 + AES-256-GCM)', () => {
  it('derives the RFC 7748 §6.1 public keys from their private keys', () => {
    expect(toHex(x25519PublicFromPrivate(fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a')))).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(toHex(x25519PublicFromPrivate(fromHex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb')))).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
  });

  it('opens with the recipient key and the same associated data', () => {
    const recipient = generateX25519();
    const box = sealTo(recipient.publicKey, utf8('unlock.failed'), utf8('journal/1'));
    expect(box.epk).toHaveLength(32);
    expect(openSealed(recipient.privateKey, box, utf8('journal/1'))).toEqual(utf8('unlock.failed'));
  });

  it('uses a fresh ephemeral key per box, so equal records do not look equal', () => {
    const recipient = generateX25519();
    const a = sealTo(recipient.publicKey, utf8('x'), utf8(''));
    const b = sealTo(recipient.publicKey, utf8('x'), utf8(''));
    expect(toHex(a.epk)).not.toBe(toHex(b.epk));
    expect(toHex(a.ciphertext)).not.toBe(toHex(b.ciphertext));
  });

  it.each([
    ['another private key', (box: ReturnType<typeof sealTo>) => ({ key: generateX25519().privateKey, box, aad: 'journal/1' })],
    ['other associated data (a box moved to another place)', (box: ReturnType<typeof sealTo>) => ({ key: null, box, aad: 'journal/2' })],
    ['a flipped ciphertext bit', (box: ReturnType<typeof sealTo>) => ({ key: null, box: { ...box, ciphertext: box.ciphertext.map((b, i) => (i === 0 ? b ^ 1 : b)) }, aad: 'journal/1' })],
    ['a swapped ephemeral key', (box: ReturnType<typeof sealTo>) => ({ key: null, box: { ...box, epk: generateX25519().publicKey }, aad: 'journal/1' })],
    ['a low-order ephemeral key (all zero)', (box: ReturnType<typeof sealTo>) => ({ key: null, box: { ...box, epk: new Uint8Array(32) }, aad: 'journal/1' })],
    ['a short ephemeral key', (box: ReturnType<typeof sealTo>) => ({ key: null, box: { ...box, epk: box.epk.slice(1) }, aad: 'journal/1' })],
  ])('refuses to open with %s', (_name, alter) => {
    const recipient = generateX25519();
    const box = sealTo(recipient.publicKey, utf8('secret event'), utf8('journal/1'));
    const { key, box: altered, aad } = alter(box);
    expect(openSealed(key ?? recipient.privateKey, altered, utf8(aad))).toBeNull();
  });

  it('refuses to seal to a key that is not 32 bytes or has low order', () => {
    expect(() => sealTo(new Uint8Array(31), utf8('x'), utf8(''))).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    expect(() => sealTo(new Uint8Array(32), utf8('x'), utf8(''))).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });
});
