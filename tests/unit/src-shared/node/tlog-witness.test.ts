import { describe, expect, it } from 'vitest';
import {
  formatAddCheckpointRequest,
  formatAddCheckpointResponse,
  formatConflictBody,
  parseAddCheckpointRequest,
  parseAddCheckpointResponse,
  parseConflictBody,
} from '../../../../src-shared/node/tlog-witness';
import { signCheckpoint, openCheckpoint } from '../../../../src-shared/node/checkpoint';
import { cosignatureSigner, cosignatureVerifier } from '../../../../src-shared/node/cosignature';
import { ed25519NoteSigner, ed25519NoteVerifier, parseNote } from '../../../../src-shared/node/signed-note';
import { consistencyProof, leafHash, rootOf, verifyConsistency } from '../../../../src-shared/node/merkle';
import { generateEd25519 } from '../../../../src-shared/node/crypto';
import { fromUtf8, toBase64, utf8 } from '../../../../src-shared/encoding';

const leaves = Array.from({ length: 13 }, (_, i) => leafHash(utf8(`e${i}`)));
const logKey = generateEd25519();
const ORIGIN = 'rw.example/device/7';
const note = utf8(signCheckpoint({ origin: ORIGIN, size: 13, rootHash: rootOf(leaves), extensions: [] }, [ed25519NoteSigner(ORIGIN, logKey.privateKey)]));
const proof = consistencyProof(leaves, 5, 13);

describe('tlog-witness add-checkpoint', () => {
  it('formats the request as old line, proof lines, blank line, checkpoint', () => {
    const body = fromUtf8(formatAddCheckpointRequest({ oldSize: 5, proof, checkpoint: note }));
    expect(body).toBe(`old 5\n${proof.map((h) => `${toBase64(h)}\n`).join('')}\n${fromUtf8(note)}`);
  });

  it('round-trips a request whose proof and checkpoint then verify', () => {
    const parsed = parseAddCheckpointRequest(formatAddCheckpointRequest({ oldSize: 5, proof, checkpoint: note }));
    expect(parsed.oldSize).toBe(5);
    expect(parsed.checkpoint).toEqual(note);
    const { checkpoint } = openCheckpoint(parsed.checkpoint, [ed25519NoteVerifier(ORIGIN, logKey.publicKey)]);
    expect(() => verifyConsistency(parsed.oldSize, checkpoint.size, rootOf(leaves.slice(0, 5)), checkpoint.rootHash, parsed.proof)).not.toThrow();
  });

  it('accepts old 0 with no proof lines', () => {
    const parsed = parseAddCheckpointRequest(utf8(`old 0\n\n${fromUtf8(note)}`));
    expect(parsed).toEqual({ oldSize: 0, proof: [], checkpoint: note });
  });

  it('round-trips the cosignature response and the 409 body', () => {
    const witness = generateEd25519();
    const signer = cosignatureSigner('w.example', witness.privateKey, () => 1_700_000_000_000);
    const text = parseNote(note).text;
    const sig = { name: signer.name, keyId: signer.keyId, signature: signer.sign(utf8(text)) };
    const response = formatAddCheckpointResponse([sig]);
    expect(parseAddCheckpointResponse(response)).toEqual([sig]);
    const cosigned = openCheckpoint(`${fromUtf8(note)}${fromUtf8(response)}`, [cosignatureVerifier('w.example', witness.publicKey)]);
    expect(cosigned.note.verifiedBy.map((s) => s.name)).toEqual(['w.example']);
    expect(parseConflictBody(formatConflictBody(42))).toBe(42);
  });

  const cp = fromUtf8(note);
  const h = toBase64(proof[0]!);
  it.each([
    ['no old line', `${h}\n\n${cp}`],
    ['a leading zero in old', `old 05\n\n${cp}`],
    ['a negative old size', `old -1\n\n${cp}`],
    ['two spaces', `old  5\n\n${cp}`],
    ['a capitalised keyword', `Old 5\n\n${cp}`],
    ['no blank line', `old 5\n${h}\n`],
    ['no checkpoint', `old 5\n${h}\n\n`],
    ['a proof line that is not base64', `old 5\n!!\n\n${cp}`],
    ['a proof hash of 31 bytes', `old 5\n${toBase64(new Uint8Array(31))}\n\n${cp}`],
    ['64 proof lines', `old 5\n${`${h}\n`.repeat(64)}\n${cp}`],
    ['CRLF line endings', `old 5\r\n\r\n${cp}`],
    ['a byte-order mark', `\ufeffold 5\n\n${cp}`],
  ])('refuses a request with %s', (_n, body) => {
    expect(() => parseAddCheckpointRequest(utf8(body))).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('accepts 63 proof lines (framing only) and refuses oversize bodies', () => {
    expect(parseAddCheckpointRequest(utf8(`old 5\n${`${h}\n`.repeat(63)}\n${cp}`)).proof).toHaveLength(63);
    expect(() => parseAddCheckpointRequest(formatAddCheckpointRequest({ oldSize: 5, proof, checkpoint: note }), 100)).toThrowError(
      expect.objectContaining({ code: 'TOO_LARGE' }),
    );
  });

  it.each([
    ['a negative old size', () => formatAddCheckpointRequest({ oldSize: -1, proof: [], checkpoint: note })],
    ['a short proof hash', () => formatAddCheckpointRequest({ oldSize: 1, proof: [new Uint8Array(3)], checkpoint: note })],
    ['64 proof hashes', () => formatAddCheckpointRequest({ oldSize: 1, proof: Array.from({ length: 64 }, () => proof[0]!), checkpoint: note })],
    ['an empty response', () => formatAddCheckpointResponse([])],
    ['a response that is not signature lines', () => parseAddCheckpointResponse(utf8('ok\n'))],
    ['a conflict body without newline', () => parseConflictBody(utf8('42'))],
    ['a conflict body with a leading zero', () => parseConflictBody(utf8('042\n'))],
  ])('refuses %s', (_n, run) => {
    expect(run).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
