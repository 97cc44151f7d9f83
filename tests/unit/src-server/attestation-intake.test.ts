/**
 * The intake path in-process: refusals the loopback table test does not reach (rate limit, signature
 * count, audit-checkpoint binding), and the group commit's behaviour under concurrency (one leaf per
 * envelope, dense indexes, in-batch replays and stale sequences).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { acceptAttestation } from '../../../src-server/attestation-intake';
import { viewOf } from '../../../src-server/refusal';
import { openServerStore } from '../../../src-server/open-store';
import { createAppendBatcher } from '../../../src-server/append-batcher';
import { serverCheckpointSigner } from '../../../src-server/server-log';
import { revokeEnrolledKey } from '../../../src-server/enrollment';
import { compactRangeFromLeaves, compactRangeRoot } from '../../../src-shared/node/compact-range';
import { signEnvelope } from '../../../src-shared/node/dsse';
import { openCheckpoint } from '../../../src-shared/node/checkpoint';
import { ed25519NoteVerifier } from '../../../src-shared/node/signed-note';
import { leafHash, verifyInclusion } from '../../../src-shared/node/merkle';
import { fromBase64, toBase64, toBase64Url, toHex, utf8 } from '../../../src-shared/encoding';
import { sha256 } from '../../../src-shared/node/crypto';
import { parseStrictJson } from '../../../src-shared/strict-json';
import { attestationLeafData, AUDIT_CHECKPOINT_PREDICATE_TYPE, auditCheckpointSubject, IN_TOTO_PAYLOAD_TYPE, REVIEW_OUTCOME_PREDICATE_TYPE } from '../../../src-shared/attestation-types';
import { auditCheckpointAttestation, envelopeBytes, reviewAttestation, reviewPredicate, signerOf, statementBytesOf, testAuditLog, testKey, testWorkstation } from '../../integration/server-fixtures';
import { inProcessServer, refusalOf, TEST_SERVER_NAME, type InProcessServer } from './in-process-server';

let server: InProcessServer | null = null;
afterEach(async () => {
  await server?.store.close();
  server = null;
});

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

  it('keyid selects the key; the signature must verify under the key it names; keyid alone never makes anything valid', async () => {
    server = await inProcessServer();
    const ws = testWorkstation(1);
    await server.enroll(ws);
    const key = ws.reviewers[0]!.key;
    const payload = statementBytesOf(REVIEW_OUTCOME_PREDICATE_TYPE, reviewPredicate(key, 1));
    const signed = (keyid: string | undefined, signWith = key) => {
      const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, [signerOf(signWith)]);
      const { keyid: _dropped, ...sig } = envelope.signatures[0]!;
      return envelopeBytes({ ...envelope, signatures: [keyid === undefined ? sig : { ...sig, keyid }] });
    };
    const cases: [string, Uint8Array, number, string][] = [
      ['no keyid', signed(undefined), 400, 'malformed-envelope'],
      ['a keyid that is not a key digest', signed('reviewer-1'), 400, 'malformed-envelope'],
      ["a keyid naming another enrolled key (the device's)", signed(ws.device.keyId), 400, 'bad-signature'],
      ['a keyid naming no enrolled key', signed(testKey().keyId), 401, 'unknown-key'],
      ['the right keyid on a signature by another key', signed(key.keyId, testKey()), 400, 'bad-signature'],
    ];
    for (const [name, body, status, reason] of cases) expect(await refusalOf(acceptAttestation(server.intake, body, 'http')), name).toMatchObject({ status, reason });
    expect((await server.store.counts()).attestations).toBe(0);
    expect((await acceptAttestation(server.intake, signed(key.keyId), 'http')).status).toBe(201);
  });

  it('a relay re-encoding a genuine envelope gets every variant refused, and the genuine one 201 and then 200, never 409', async () => {
    server = await inProcessServer();
    const ws = testWorkstation(1);
    await server.enroll(ws);
    const key = ws.reviewers[0]!.key;
    const genuineBytes = reviewAttestation(key, 1);
    const genuine = parseStrictJson(genuineBytes) as { payload: string; payloadType: string; signatures: { keyid: string; sig: string }[] };
    const sig = genuine.signatures[0]!;
    const payload = fromBase64(genuine.payload);
    // Another spelling of the same bytes: the last base64 character with different unused low bits.
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const unpadded = sig.sig.replace(/=+$/, '');
    const tail = last.indexOf(unpadded.at(-1)!);
    const sigOtherBits = `${unpadded.slice(0, -1)}${last[tail ^ 1]}${sig.sig.slice(unpadded.length)}`;
    expect(new Uint8Array(Buffer.from(sigOtherBits, 'base64'))).toEqual(fromBase64(sig.sig));
    const variants: [string, unknown][] = [
      ['URL-safe payload', { ...genuine, payload: toBase64Url(payload) }],
      ['unpadded signature', { ...genuine, signatures: [{ ...sig, sig: sig.sig.replace(/=+$/, '') }] }],
      ['non-canonical trailing bits in the signature', { ...genuine, signatures: [{ ...sig, sig: sigOtherBits }] }],
      ['keyid removed', { ...genuine, signatures: [{ sig: sig.sig }] }],
      ['keyid changed', { ...genuine, signatures: [{ ...sig, keyid: ws.device.keyId }] }],
      ['junk signature added', { ...genuine, signatures: [sig, { keyid: testKey().keyId, sig: toBase64(new Uint8Array(64)) }] }],
      ['genuine signature twice', { ...genuine, signatures: [sig, sig] }],
    ];
    for (const [name, variant] of variants) {
      const view = await refusalOf(acceptAttestation(server.intake, envelopeBytes(variant), 'http'));
      expect(view.status, name).toBeGreaterThanOrEqual(400);
      expect(view.status, name).toBeLessThan(500);
    }
    expect((await server.store.counts()).attestations).toBe(0);
    const first = await acceptAttestation(server.intake, genuineBytes, 'http');
    expect(first.status).toBe(201);
    // The genuine body is canonical JSON and is taken as the leaf data as it is: the same bytes the
    // strict parser's path would canonicalise to.
    expect(toHex(sha256(genuineBytes))).toBe(toHex(sha256(attestationLeafData(genuine))));
    expect(first.receipt.envelopeSha256).toBe(toHex(sha256(genuineBytes)));
    // Re-serialised (member order, whitespace, unsigned extra members): the same signer and payload bytes.
    const reserialised = utf8(JSON.stringify({ signatures: [{ sig: sig.sig, keyid: sig.keyid }], note: 'relay', payloadType: genuine.payloadType, payload: genuine.payload }, null, 2));
    for (const again of [genuineBytes, reserialised]) expect(await acceptAttestation(server.intake, again, 'http')).toEqual({ status: 200, receipt: first.receipt });
    for (const [name, variant] of variants) expect((await refusalOf(acceptAttestation(server.intake, envelopeBytes(variant), 'http'))).status, name).not.toBe(409);
    expect((await server.store.counts()).attestations).toBe(1);
  });

  it('finds the signing key by its keyid in one lookup, never by trying every enrolled key', async () => {
    server = await inProcessServer();
    const stations = Array.from({ length: 20 }, () => testWorkstation(1));
    for (const ws of stations) await server.enroll(ws);
    const calls: string[][] = [];
    const store = server.store;
    const counting = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'allKeys') throw new Error('allKeys must not be called by the intake');
        if (prop === 'keysById') return (ids: readonly string[]) => (calls.push([...ids]), target.keysById(ids));
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const key = stations[13]!.reviewers[0]!.key;
    expect((await acceptAttestation({ ...server.intake, store: counting }, reviewAttestation(key, 1), 'http')).status).toBe(201);
    expect(await refusalOf(acceptAttestation({ ...server.intake, store: counting }, reviewAttestation(testKey(), 1), 'http'))).toMatchObject({ reason: 'unknown-key' });
    expect(calls).toEqual([[key.keyId], [expect.any(String)]]);
  });

  it("accepts a key's sequence only as its previous + 1: a jump to 2^53 - 1 is refused and not stored", async () => {
    server = await inProcessServer();
    const ws = testWorkstation(1);
    await server.enroll(ws);
    const key = ws.reviewers[0]!.key;
    for (const jump of [Number.MAX_SAFE_INTEGER, 2]) {
      expect(await refusalOf(acceptAttestation(server.intake, reviewAttestation(key, jump), 'http'))).toMatchObject({ status: 409, reason: 'sequence-gap', detail: { expected: 1 } });
    }
    expect((await server.store.counts()).attestations).toBe(0);
    expect((await server.store.keysById([key.keyId]))[0]!.lastSequence).toBe(0);
    expect((await acceptAttestation(server.intake, reviewAttestation(key, 1), 'http')).status).toBe(201);
    expect((await acceptAttestation(server.intake, reviewAttestation(key, 2), 'http')).status).toBe(201);
    expect((await refusalOf(acceptAttestation(server.intake, reviewAttestation(key, 4), 'http'))).reason).toBe('sequence-gap');
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

  it('two servers on one log: a batch built on a remembered head another moved is retried the read way; a revocation elsewhere is refused', async () => {
    server = await inProcessServer();
    const ws = testWorkstation(4);
    await server.enroll(ws);
    // A second store and batcher on the same database file, as a second server process would have.
    const other = await openServerStore(server.dir, undefined);
    try {
      const intakes = [server.intake, { ...server.intake, store: other, appender: createAppendBatcher(other, serverCheckpointSigner(TEST_SERVER_NAME, server.loaded.serverSeed)) }];
      const receipts = [];
      // Rounds of four keys at once, the servers alternating, so each one's memory of the head is stale every round.
      for (let i = 1; i <= 6; i++) {
        receipts.push(...(await Promise.all(ws.reviewers.map((r, k) => acceptAttestation(intakes[(k + i) % 2]!, reviewAttestation(r.key, i), 'http')))));
      }
      expect(receipts.every((r) => r.status === 201)).toBe(true);
      expect(receipts.map((r) => r.receipt.logIndex).sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i));
      // The first server remembers this key at 6; revoked through the other store, its 7 is refused and nothing is stored.
      const key = ws.reviewers[0]!.key;
      expect((await acceptAttestation(server.intake, reviewAttestation(key, 6 + 1, 'before'), 'http')).status).toBe(201);
      await revokeEnrolledKey(other, key.keyId, 1);
      const before = await server.store.counts();
      expect(await refusalOf(acceptAttestation(server.intake, reviewAttestation(key, 8), 'http'))).toMatchObject({ status: 403, reason: 'key-revoked' });
      expect(await server.store.counts()).toEqual(before);
      // The log stays whole: the head's checkpoint signs the root of every leaf stored.
      expect((await acceptAttestation(intakes[1]!, reviewAttestation(ws.reviewers[1]!.key, 7), 'http')).status).toBe(201);
      const head = await server.store.head();
      expect(head.size).toBe(26);
      const nodes = await server.store.getNodes(Array.from({ length: 26 }, (_, i) => [0, i] as const));
      const root = compactRangeRoot(compactRangeFromLeaves(Array.from({ length: 26 }, (_, i) => nodes.get(`0:${i}`)!)));
      const { checkpoint } = openCheckpoint(head.checkpoint, [ed25519NoteVerifier(TEST_SERVER_NAME, server.loaded.serverPublicKey)]);
      expect(toHex(checkpoint.rootHash)).toBe(toHex(root));
    } finally {
      await other.close();
    }
  });
});
