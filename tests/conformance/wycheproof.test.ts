import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ed25519Verify, publicKeyFromSpki, verifySignature, type PublicKey, type SignatureEncoding } from '../../src-shared/node/crypto';
import { fromHex } from '../../src-shared/encoding';
import { conformancePresent, readConformanceJson } from './conformance-root';

/**
 * Wycheproof (C2SP/wycheproof testvectors_v1) through the project's own crypto wrappers.
 * `valid` must verify and `invalid` must not. `acceptable` marks inputs the spec leaves to the
 * implementation (e.g. legacy encodings); they are run, their outcome is recorded and printed, and
 * either outcome passes. The present files carry no acceptable cases; the suite still counts them.
 */
const present = conformancePresent('wycheproof', 'wycheproof conformance');

const testSchema = z.object({ tcId: z.number(), comment: z.string(), flags: z.array(z.string()), msg: z.string(), sig: z.string(), result: z.enum(['valid', 'invalid', 'acceptable']) });
const fileSchema = z.object({
  algorithm: z.string(),
  numberOfTests: z.number(),
  testGroups: z.array(z.object({ type: z.string(), publicKeyDer: z.string(), tests: z.array(testSchema) })),
});

type Case = { file: string; group: number; test: z.infer<typeof testSchema>; verify: () => boolean };

function load(file: string, expectedType: string, verifyWith: (key: PublicKey | null, msg: Uint8Array, sig: Uint8Array) => boolean): Case[] {
  const data = fileSchema.parse(readConformanceJson(`wycheproof/${file}`));
  const cases = data.testGroups.flatMap((group, g) => {
    expect(group.type).toBe(expectedType);
    let key: PublicKey | null;
    try {
      key = publicKeyFromSpki(fromHex(group.publicKeyDer));
    } catch {
      key = null; // a key we cannot import cannot verify anything: every case must then be non-valid
    }
    return group.tests.map((test) => ({ file, group: g, test, verify: () => verifyWith(key, fromHex(test.msg), fromHex(test.sig)) }));
  });
  expect(cases).toHaveLength(data.numberOfTests);
  return cases;
}

const ecdsa = (encoding: SignatureEncoding) => (key: PublicKey | null, msg: Uint8Array, sig: Uint8Array) => {
  if (key === null) return false;
  expect(key.algorithm).toBe('ecdsa-p256');
  return verifySignature(key, msg, sig, encoding);
};
const ed25519 = (key: PublicKey | null, msg: Uint8Array, sig: Uint8Array) => {
  if (key === null) return false;
  // Both wrappers must agree: the generic verifySignature and the raw-key ed25519Verify.
  const raw = key.spki.subarray(key.spki.byteLength - 32);
  const a = verifySignature(key, msg, sig);
  const b = ed25519Verify(raw, msg, sig);
  expect(a).toBe(b);
  return a;
};

describe.skipIf(!present)('Wycheproof signature verification (Ed25519, ECDSA P-256 DER and P1363)', () => {
  const suites: [string, Case[]][] = present
    ? [
        ['ed25519_test.json', load('ed25519_test.json', 'EddsaVerify', ed25519)],
        ['ecdsa_secp256r1_sha256_test.json', load('ecdsa_secp256r1_sha256_test.json', 'EcdsaVerify', ecdsa('der'))],
        ['ecdsa_secp256r1_sha256_p1363_test.json', load('ecdsa_secp256r1_sha256_p1363_test.json', 'EcdsaP1363Verify', ecdsa('ieee-p1363'))],
      ]
    : [];
  const tally = { valid: 0, invalid: 0, acceptableAccepted: 0, acceptableRejected: 0 };
  afterAll(() => {
    const total = tally.valid + tally.invalid + tally.acceptableAccepted + tally.acceptableRejected;
    console.log(
      `[wycheproof] ${total} cases run: ${tally.valid} valid verified, ${tally.invalid} invalid rejected, ` +
        `acceptable: ${tally.acceptableAccepted} accepted / ${tally.acceptableRejected} rejected`,
    );
  });

  for (const [file, cases] of suites) {
    it(`${file}: every valid case verifies and every invalid case is rejected (${cases.length} cases)`, () => {
      const wrong: string[] = [];
      for (const c of cases) {
        const ok = c.verify();
        if (c.test.result === 'acceptable') {
          if (ok) tally.acceptableAccepted++;
          else tally.acceptableRejected++;
          continue;
        }
        if (ok !== (c.test.result === 'valid')) wrong.push(`tcId ${c.test.tcId} (${c.test.result}, ${c.test.comment}, ${c.test.flags.join(',')})`);
        else tally[c.test.result]++;
      }
      expect(wrong).toEqual([]);
    });
  }
});
