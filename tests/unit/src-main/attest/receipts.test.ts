import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestationLeafData, IN_TOTO_PAYLOAD_TYPE, type Receipt } from '../../../../src-shared/attestation-types';
import { canonicalBytes } from '../../../../src-shared/canonical-json';
import { signCheckpoint } from '../../../../src-shared/node/checkpoint';
import { cosignCheckpoint } from '../../../../src-shared/node/cosignature';
import { ed25519PublicFromSeed, ed25519Sign, randomBytes, sha256 } from '../../../../src-shared/node/crypto';
import { signEnvelope } from '../../../../src-shared/node/dsse';
import { toBase64, toHex } from '../../../../src-shared/encoding';
import { inclusionProof, leafHash, rootOf } from '../../../../src-shared/node/merkle';
import { ed25519NoteSigner, parseNote, parseSignatureLines } from '../../../../src-shared/node/signed-note';
import { DEFAULT_POLICY } from '../../../../src-shared/policy';
import { admitToOutbox, type OutboxItem } from '../../../../src-main/attest/outbox';
import { lastWitnessedSize, listWitnessedCheckpoints, storeWitnessedCheckpoint, verifyReceipt, verifyWitnessResponse } from '../../../../src-main/attest/receipts';
import { buildReviewStatement, gatherReviewFacts, policyDigest } from '../../../../src-main/attest/review-attestation';
import { unlockSigningKey } from '../../../../src-main/vault/vault';
import { defaultRubric } from '../../../../src-main/workspace/rubric';
import { codeOf, insertCase, openVaultFixture, PASS, type VaultFixture } from '../../../helpers/attest-fixture';

const serverName = 'central.test/log';
const serverSeed = randomBytes(32);
const server = { serverName, serverPublicKey: ed25519PublicFromSeed(serverSeed) };
let f: VaultFixture;
let item: OutboxItem;
let receipt: Receipt;

/** A server log of five leaves with ours at index 2, and the receipt the server would give. */
function receiptFor(target: OutboxItem, seed = serverSeed, origin = serverName): Receipt {
  const leaves = [randomBytes(8), randomBytes(8), attestationLeafData(target.envelope), randomBytes(8), randomBytes(8)].map((d) => leafHash(d));
  const checkpoint = signCheckpoint({ origin, size: 5, rootHash: rootOf(leaves), extensions: [] }, [ed25519NoteSigner(origin, seed)]);
  return { envelopeSha256: target.envelopeSha256, logIndex: 2, treeSize: 5, inclusionProof: inclusionProof(leaves, 2).map(toBase64), checkpoint };
}

beforeAll(async () => {
  f = await openVaultFixture();
  insertCase(f);
  const reviewer = await unlockSigningKey(f.dir, f.vault, PASS, f.deps);
  const statement = buildReviewStatement(
    gatherReviewFacts(f.vault.content!, defaultRubric(), 'case-0001'),
    { caseId: 'case-0001', verdict: 'concerns', releaseSummary: '' },
    { reviewerId: 'alice', reviewerPublicKey: reviewer.publicKey, policyDigest: policyDigest(DEFAULT_POLICY), accessLogIndex: 0, sequence: 1 },
  );
  item = admitToOutbox(f.vault.audit, signEnvelope(IN_TOTO_PAYLOAD_TYPE, canonicalBytes(statement), [{ sign: (m) => ed25519Sign(reviewer.privateKey, m) }]), f.keys, () => f.clock.now);
  receipt = receiptFor(item);
}, 60_000);
afterAll(() => f.close());

describe('receipts', () => {
  it('verifies a receipt whose proof leads to the server-signed checkpoint', () => {
    expect(verifyReceipt(receipt, item, server).size).toBe(5);
  });

  it.each<[string, () => Receipt, string]>([
    ['another envelope digest', () => ({ ...receipt, envelopeSha256: toHex(sha256(new Uint8Array(1))) }), 'INVALID_INPUT'],
    ['another index', () => ({ ...receipt, logIndex: 3 }), 'SIGNATURE_INVALID'],
    ['an index outside the tree', () => ({ ...receipt, logIndex: 5 }), 'INVALID_INPUT'],
    ['a tree size other than the checkpoint’s', () => ({ ...receipt, treeSize: 6 }), 'INVALID_INPUT'],
    ['an altered proof hash', () => ({ ...receipt, inclusionProof: [toBase64(randomBytes(32)), ...receipt.inclusionProof.slice(1)] }), 'SIGNATURE_INVALID'],
    ['a shortened proof', () => ({ ...receipt, inclusionProof: receipt.inclusionProof.slice(1) }), 'SIGNATURE_INVALID'],
    ['a checkpoint signed by another key', () => receiptFor(item, randomBytes(32)), 'SIGNATURE_INVALID'],
    ['a checkpoint of another log', () => receiptFor(item, serverSeed, 'elsewhere.test/log'), 'SIGNATURE_INVALID'],
    ['an unsigned checkpoint', () => ({ ...receipt, checkpoint: parseNote(receipt.checkpoint).text }), 'INVALID_INPUT'],
  ])('refuses a receipt with %s', (_name, make, code) => {
    expect(codeOf(() => verifyReceipt(make(), item, server))).toBe(code);
  });
});

describe('witness cosignatures', () => {
  const origin = 'rw-workstation/test';
  const deviceSeed = randomBytes(32);
  const note = signCheckpoint({ origin, size: 7, rootHash: sha256(new Uint8Array([7])), extensions: [] }, [ed25519NoteSigner(origin, deviceSeed)]);
  const text = parseNote(note).text;

  it('verifies the pinned key’s cosignature over the checkpoint we sent and stores it', () => {
    const witnessed = verifyWitnessResponse(note, parseSignatureLines(cosignCheckpoint(text, serverName, serverSeed, 1_800_000_000)), server);
    expect(witnessed.size).toBe(7);
    expect(witnessed.cosignedNote.startsWith(note)).toBe(true);
    storeWitnessedCheckpoint(f.vault.audit, witnessed, () => f.clock.now);
    expect(lastWitnessedSize(f.vault.audit)).toBe(7);
    expect(listWitnessedCheckpoints(f.vault.audit)[0]?.cosignedNote).toBe(witnessed.cosignedNote);
  });

  it.each<[string, () => string]>([
    ['a cosignature by another key under the server’s name', () => cosignCheckpoint(text, serverName, randomBytes(32), 1_800_000_000)],
    ['a cosignature of another checkpoint', () => cosignCheckpoint(text.replace('\n7\n', '\n8\n'), serverName, serverSeed, 1_800_000_000)],
    ['a plain Ed25519 note signature by the server key (not a cosignature)', () => signCheckpoint({ origin, size: 7, rootHash: sha256(new Uint8Array([7])), extensions: [] }, [ed25519NoteSigner(serverName, serverSeed)]).slice(text.length + 1)],
    ['a cosignature under another name', () => cosignCheckpoint(text, 'other.test/witness', serverSeed, 1_800_000_000)],
  ])('refuses %s', (_name, make) => {
    expect(codeOf(() => verifyWitnessResponse(note, parseSignatureLines(make()), server))).toBe('SIGNATURE_INVALID');
  });
});
