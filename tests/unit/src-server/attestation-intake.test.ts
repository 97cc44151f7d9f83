/**
 * The intake path in-process: refusals the loopback table test does not reach (rate limit, signature
 * count, audit-checkpoint binding), and the group commit's behaviour under concurrency (one leaf per
 * envelope, dense indexes, in-batch replays and stale sequences).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { acceptAttestation } from '../../../src-server/attestation-intake';
import { viewOf } from '../../../src-server/refusal';
import { signEnvelope } from '../../../src-shared/node/dsse';
import { openCheckpoint } from '../../../src-shared/node/checkpoint';
import { ed25519NoteVerifier } from '../../../src-shared/node/signed-note';
import { leafHash, verifyInclusion } from '../../../src-shared/node/merkle';
import { fromBase64, toBase64 } from '../../../src-shared/encoding';
import { parseStrictJson } from '../../../src-shared/strict-json';
import { attestationLeafData, AUDIT_CHECKPOINT_PREDICATE_TYPE, auditCheckpointSubject, IN_TOTO_PAYLOAD_TYPE, REVIEW_OUTCOME_PREDICATE_TYPE } from '../../../src-shared/attestation-types';
import { auditCheckpointAttestation, envelopeBytes, reviewAttestation, reviewPredicate, signerOf, statementBytesOf, testAuditLog, testKey, testWorkstation } from '../../integration/server-fixtures';
import { inProcessServer, TEST_SERVER_NAME, type InProcessServer } from './in-process-server';

let server: InProcessServer | null = null;
afterEach(async () => {
  await server?.store.close();
  server = null;
});

async function refusalOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return viewOf(error);
  }
  throw new Error('expected a refusal');
}

describe('acceptAttestation', () => {
  it('refuses with 429 once a key exceeds its rate, before storing anything', async () => {
    server = await inProcessServer({ ratePerMinute: 1, rateBurst: 2 });
    const ws = testWorkstation(1);
    await server.enroll(ws);
    const key = ws.reviewers[0]!.key;
    expect((await acceptAttestation(server.intake, reviewAttestation(key, 1), 'http')).status).toBe(201);
    expect((await acceptAttestation(server.intake, reviewAttestation(key, 2), 'http')).status).toBe(201);
    const view = await refusalOf(acceptAttestation(server.intake, reviewAttestation(key, 3), 'http'));
    expect(view).toMatchObject({ status: 429, reason: 'rate-limited', detail: { retryAfterSeconds: 60 } });
    expect((await server.store.counts()).attestations).toBe(2);
    server.now.ms += 60_000;
    expect((await acceptAttestation(server.intake, reviewAttestation(key, 3), 'http')).status).toBe(201);
  });

  it('refuses envelopes with too many signatures (verification cost is bounded)', async () => {
    server = await inProcessServer();
    const ws = testWorkstation(1);
    await server.enroll(ws);
    const key = ws.reviewers[0]!.key;
    const payload = statementBytesOf(REVIEW_OUTCOME_PREDICATE_TYPE, reviewPredicate(key, 1));
    const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, Array.from({ length: 5 }, () => signerOf(testKey(), undefined)));
    expect(await refusalOf(acceptAttestation(server.intake, envelopeBytes(envelope), 'http'))).toMatchObject({ status: 400, reason: 'malformed-envelope' });
  });

  it('uses the keyid only as a hint: a signature without keyid is still matched to its enrolled key', async () => {
    server = await inProcessServer();
    const ws = testWorkstation(1);
    await server.enroll(ws);
    const key = ws.reviewers[0]!.key;
    const noHint = envelopeBytes(signEnvelope(IN_TOTO_PAYLOAD_TYPE, statementBytesOf(REVIEW_OUTCOME_PREDICATE_TYPE, reviewPredicate(key, 1)), [signerOf(key, undefined)]));
    expect((await acceptAttestation(server.intake, noHint, 'http')).status).toBe(201);
    // A hint naming another enrolled key does not make a good signature bad or a bad one good.
    const other = ws.device;
    const wrongHint = envelopeBytes(signEnvelope(IN_TOTO_PAYLOAD_TYPE, statementBytesOf(REVIEW_OUTCOME_PREDICATE_TYPE, reviewPredicate(key, 2)), [{ ...signerOf(key), keyid: other.keyId }]));
    expect(await refusalOf(acceptAttestation(server.intake, wrongHint, 'http'))).toMatchObject({ status: 400, reason: 'bad-signature' });
  });

  it('binds an audit checkpoint to the device key and its log: mismatches are refused', async () => {
    server = await inProcessServer();
    const ws = testWorkstation(1);
    await server.enroll(ws);
    expect((await acceptAttestation(server.intake, auditCheckpointAttestation(ws, 3, 1), 'http')).status).toBe(201);
    const { rootHash, note } = testAuditLog(ws, 4).checkpointAt(4);
    const build = (predicate: Record<string, unknown>, subjectRoot = rootHash, key = ws.device) =>
      envelopeBytes(
        signEnvelope(IN_TOTO_PAYLOAD_TYPE, statementBytesOf(AUDIT_CHECKPOINT_PREDICATE_TYPE, predicate, [auditCheckpointSubject(ws.logOrigin, subjectRoot)]), [signerOf(key)]),
      );
    const good = { origin: ws.logOrigin, size: 4, rootHash: toBase64(rootHash), checkpoint: note, sequence: 2 };
    const cases: [string, Uint8Array, string][] = [
      ['size differs from the signed checkpoint', build({ ...good, size: 5 }), 'invalid-predicate'],
      ['checkpoint not signed by the device', build({ ...good, checkpoint: testAuditLog({ ...ws, device: testKey() }, 4).checkpointAt(4).note }), 'invalid-predicate'],
      ['subject is not the origin and root', build(good, new Uint8Array(32)), 'invalid-predicate'],
      ['signed by a reviewer key', build(good, rootHash, ws.reviewers[0]!.key), 'wrong-signer'],
      ['another log origin', build({ ...good, origin: 'rw.test/audit/other' }), 'wrong-signer'],
    ];
    for (const [name, body, reason] of cases) {
      expect((await refusalOf(acceptAttestation(server.intake, body, 'http'))).reason, name).toBe(reason);
    }
    expect((await server.store.counts()).attestations).toBe(1);
    expect((await acceptAttestation(server.intake, build(good), 'http')).status).toBe(201);
  });

  it('under concurrency: one leaf per envelope, dense indexes, in-batch replays answered 200, stale sequences 409', async () => {
    server = await inProcessServer();
    const ws = testWorkstation(4);
    await server.enroll(ws);
    const bodies = ws.reviewers.flatMap((r) => Array.from({ length: 25 }, (_, i) => reviewAttestation(r.key, i + 1)));
    const key = ws.reviewers[0]!.key;
    const stale = reviewAttestation(key, 25, 'stale twin');
    const results = await Promise.allSettled([...bodies, ...bodies.slice(0, 10), stale].map((b) => acceptAttestation(server!.intake, b, 'http')));
    const ok = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof acceptAttestation>>>).value);
    expect(ok.filter((r) => r.status === 201)).toHaveLength(100);
    expect(ok.filter((r) => r.status === 200)).toHaveLength(10);
    const refused = results.filter((r) => r.status === 'rejected').map((r) => viewOf((r as PromiseRejectedResult).reason));
    expect(refused.map((v) => v.reason)).toEqual(['stale-sequence']);
    const indexes = ok.filter((r) => r.status === 201).map((r) => r.receipt.logIndex).sort((a, b) => a - b);
    expect(indexes).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const counts = await server.store.counts();
    expect(counts.attestations).toBe(100);
    expect(counts.leaves).toBe(100);
    // Every receipt, including those of a shared batch checkpoint, verifies offline.
    for (const [i, body] of bodies.entries()) {
      const receipt = ok[i]!.receipt;
      const { checkpoint } = openCheckpoint(receipt.checkpoint, [ed25519NoteVerifier(TEST_SERVER_NAME, server.loaded.serverPublicKey)]);
      verifyInclusion(receipt.logIndex, receipt.treeSize, leafHash(attestationLeafData(parseStrictJson(body) as never)), receipt.inclusionProof.map(fromBase64), checkpoint.rootHash);
    }
  });
});
