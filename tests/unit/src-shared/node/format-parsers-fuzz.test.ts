/**
 * Property tests for the shared format parsers (DESIGN §2: "parsers fuzzed"): strict JSON, DSSE
 * envelopes, C2SP signed notes and checkpoints, each fed thousands of mutations of a valid input and
 * random bytes. Whatever arrives, the parser returns a value or throws an RwError with a code (a typed
 * refusal); and where a signature is involved, anything that still verifies is what was signed.
 * fast-check prints the seed of a failing run so it replays.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRwError } from '../../../../src-shared/errors';
import { fromUtf8, utf8 } from '../../../../src-shared/encoding';
import { parseStrictJson } from '../../../../src-shared/strict-json';
import { parseEnvelopeBytes, signEnvelope, verifyEnvelope } from '../../../../src-shared/node/dsse';
import { ed25519NoteSigner, ed25519NoteVerifier, openNote, signNote } from '../../../../src-shared/node/signed-note';
import { openCheckpoint, signCheckpoint } from '../../../../src-shared/node/checkpoint';
import { ed25519PublicKey, ed25519Signer, generateEd25519, sha256 } from '../../../../src-shared/node/crypto';
import { mutated } from '../../../helpers/byte-mutations';

const RUNS = 2000;

/** Runs `parse`; a throw must be a typed refusal. Returns the value, or undefined when refused. */
function typed<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    expect(isRwError(error), String(error)).toBe(true);
    return undefined;
  }
}

const anyInput = (valid: Uint8Array, tokens?: readonly string[]) => fc.oneof(mutated(() => valid, tokens), fc.uint8Array({ maxLength: 256 }));

describe('strict JSON under mutation', () => {
  const valid = utf8(JSON.stringify({ a: [1, -2.5e3, true, null, 'x\u00e9\\"'], b: { c: '\ud83d\ude00', d: [] }, e: 0 }));

  it('returns what JSON.parse returns, or refuses with a typed error', () => {
    fc.assert(
      fc.property(anyInput(valid), (bytes) => {
        const value = typed(() => parseStrictJson(bytes, { maxDepth: 16 }));
        // Strict is stricter, never different: what it accepts, the platform's parser reads the same.
        if (value !== undefined) expect(value).toEqual(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)));
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses deep nesting with a typed error, not a stack overflow', () => {
    fc.assert(
      fc.property(fc.integer({ min: 17, max: 50_000 }), fc.constantFrom('[', '{"a":'), (depth, open) => {
        expect(typed(() => parseStrictJson(open.repeat(depth), { maxDepth: 16 }))).toBeUndefined();
      }),
      { numRuns: 50 },
    );
  });
});

describe('DSSE envelopes under mutation', () => {
  const key = generateEd25519();
  const payload = utf8('{"_type":"https://in-toto.io/Statement/v1","subject":[]}');
  const envelope = signEnvelope('application/vnd.in-toto+json', payload, [{ keyid: 'k1', sign: ed25519Signer(key.privateKey) }]);
  const valid = utf8(JSON.stringify(envelope));
  const trusted = [ed25519PublicKey(key.publicKey)];

  it('parses and verifies to the signed payload, or refuses with a typed error', () => {
    fc.assert(
      fc.property(anyInput(valid), (bytes) => {
        const verified = typed(() => verifyEnvelope(parseEnvelopeBytes(bytes, { maxBytes: 64 * 1024 }), trusted));
        if (verified !== undefined) {
          expect(verified.payload).toEqual(payload);
          expect(verified.payloadType).toBe('application/vnd.in-toto+json');
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('signed notes and checkpoints under mutation', () => {
  const key = generateEd25519();
  const name = 'rw.example/device/42';
  const signer = ed25519NoteSigner(name, key.privateKey);
  const verifier = ed25519NoteVerifier(name, key.publicKey);
  const noteTokens = ['\n', '\n\n', '\u2014 ', ' ', '+', 'rw.example/device/42', '\r', '\t', '\u0000', '\ufeff', '=', 'AAAA'];
  const noteText = 'rw.example/log\n42\n' + 'q'.repeat(43) + '=\n';
  const note = utf8(signNote(noteText, [signer]));
  const checkpoint = utf8(signCheckpoint({ origin: 'rw.example/log', size: 42, rootHash: sha256(utf8('root')), extensions: [] }, [signer]));

  it('a note opens to the text that was signed, or is refused with a typed error', () => {
    fc.assert(
      fc.property(anyInput(note, noteTokens), (bytes) => {
        const opened = typed(() => openNote(bytes, [verifier]));
        if (opened !== undefined) expect(opened.text).toBe(noteText);
      }),
      { numRuns: RUNS },
    );
  });

  it('a checkpoint opens to the signed tree head, or is refused with a typed error', () => {
    const genuine = fromUtf8(checkpoint);
    fc.assert(
      fc.property(anyInput(checkpoint, noteTokens), (bytes) => {
        const opened = typed(() => openCheckpoint(bytes, [verifier], { origin: 'rw.example/log' }));
        if (opened !== undefined) {
          expect(opened.checkpoint.size).toBe(42);
          expect(genuine.startsWith(opened.note.text)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
