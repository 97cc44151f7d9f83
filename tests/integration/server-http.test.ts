/**
 * The central server as a real process on loopback (issue 5 acceptance): every hostile or invalid
 * submission is a clear 4xx with its reason and stores nothing; a valid one is a 201 whose receipt
 * verifies offline; the witness cosigns consistent checkpoints only; admin endpoints need the token.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initDataDir } from '../../src-server/server-config';
import { openServerStore } from '../../src-server/open-store';
import type { ServerStore, StoreCounts } from '../../src-server/server-store';
import { createReadToken } from '../../src-server/read-tokens';
import { signEnvelope, verifyEnvelope } from '../../src-shared/node/dsse';
import { canonicalBytes } from '../../src-shared/canonical-json';
import { ed25519PublicKey, sha256 } from '../../src-shared/node/crypto';
import { fromBase64, toBase64, toHex, utf8 } from '../../src-shared/encoding';
import { openCheckpoint } from '../../src-shared/node/checkpoint';
import { ed25519NoteVerifier, ed25519NoteSigner } from '../../src-shared/node/signed-note';
import { cosignatureVerifier } from '../../src-shared/node/cosignature';
import { leafHash, verifyInclusion, verifyConsistency } from '../../src-shared/node/merkle';
import { parseConflictBody, formatAddCheckpointRequest } from '../../src-shared/node/tlog-witness';
import { signCheckpoint } from '../../src-shared/node/checkpoint';
import { parseStrictJson } from '../../src-shared/strict-json';
import {
  approvalBundleSchema,
  attestationLeafData,
  enrollmentApprovalSchema,
  ENROLLMENT_APPROVAL_PAYLOAD_TYPE,
  IN_TOTO_PAYLOAD_TYPE,
  receiptSchema,
  REVIEW_OUTCOME_PREDICATE_TYPE,
  type Receipt,
} from '../../src-shared/attestation-types';
import {
  auditCheckpointAttestation,
  enrollmentRequestBytes,
  envelopeBytes,
  reviewAttestation,
  reviewPredicate,
  signerOf,
  statementBytesOf,
  testAuditLog,
  testKey,
  testWorkstation,
} from './server-fixtures';
import { request, rwctlArgs, startServerProcess, type ServerProcess } from './server-process';

const NAME = 'test.example/attestations';

let dir: string;
let data: string;
let adminToken: string;
let serverPublicKey: Uint8Array;
let server: ServerProcess;
let counter: ServerStore;
let readerToken: string;
const ws = testWorkstation(2);
const revokedWs = testWorkstation(1);
const reviewer = ws.reviewers[0]!.key;
let sequence = 0;

function rwctl(args: string[]) {
  return spawnSync(process.execPath, rwctlArgs(args), { encoding: 'utf8', cwd: process.cwd() });
}

async function counts(): Promise<StoreCounts> {
  return counter.counts();
}

/** Reads need a token (a reader's, issued before the server started). */
function get(path: string) {
  return request(`${server.url}${path}`, 'GET', undefined, { Authorization: `Bearer ${readerToken}` });
}

function post(body: Uint8Array | string) {
  return request(`${server.url}/v1/attestations`, 'POST', body);
}

function errorOf(body: string): { code: string; message: string } {
  const parsed = JSON.parse(body) as { error: { code: string; message: string } };
  // The refusal says why, and never carries a stack trace or a source path.
  expect(parsed.error.message.length).toBeGreaterThan(10);
  expect(body).not.toMatch(/\bat .*\.(ts|js):\d+|\/work\/|node_modules/);
  return parsed.error;
}

function verifyReceiptOffline(receipt: Receipt, envelope: Uint8Array): void {
  const leafData = attestationLeafData(parseStrictJson(envelope) as never);
  expect(receipt.envelopeSha256).toBe(toHex(sha256(leafData)));
  const { checkpoint } = openCheckpoint(receipt.checkpoint, [ed25519NoteVerifier(NAME, serverPublicKey)], { origin: NAME });
  expect(checkpoint.size).toBe(receipt.treeSize);
  verifyInclusion(receipt.logIndex, receipt.treeSize, leafHash(leafData), receipt.inclusionProof.map(fromBase64), checkpoint.rootHash);
}

function sign(payloadType: string, payload: Uint8Array, key = reviewer) {
  return envelopeBytes(signEnvelope(payloadType, payload, [signerOf(key)]));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rw-server-http-'));
  data = join(dir, 'data');
  const init = initDataDir(data, { name: NAME, limits: { ratePerMinute: 100_000, rateBurst: 100_000 } });
  adminToken = init.adminToken;
  serverPublicKey = fromBase64(init.config.serverPublicKey);
  // Offline enrollment and revocation through the CLI, as an administrator does it.
  for (const [name, w] of [['ws', ws], ['revoked', revokedWs]] as const) {
    writeFileSync(join(dir, `${name}.request.json`), enrollmentRequestBytes(w));
    const enrolled = rwctl(['server', 'enroll', join(dir, `${name}.request.json`), '--data', data, '--out', join(dir, `${name}.approval.json`)]);
    expect(enrolled.status, enrolled.stderr).toBe(0);
  }
  const revoked = rwctl(['server', 'revoke', revokedWs.reviewers[0]!.key.keyId, '--data', data]);
  expect(revoked.status, revoked.stderr).toBe(0);
  counter = await openServerStore(data);
  readerToken = await createReadToken(counter, 'reader', 1);
  server = await startServerProcess(data);
}, 120_000);

afterAll(async () => {
  await counter?.close();
  await server?.stop();
});

describe('rwctl server enroll (offline)', () => {
  it('writes an approval bundle signed by the server key, with the policy signed by the policy key', () => {
    const bundle = approvalBundleSchema.parse(JSON.parse(readFileSync(join(dir, 'ws.approval.json'), 'utf8')));
    expect(fromBase64(bundle.serverPublicKey)).toEqual(serverPublicKey);
    const verified = verifyEnvelope(bundle.envelope, [ed25519PublicKey(serverPublicKey)], { expectedPayloadType: ENROLLMENT_APPROVAL_PAYLOAD_TYPE });
    const approval = enrollmentApprovalSchema.parse(parseStrictJson(verified.payload));
    expect(approval.workstationId).toBe(ws.workstationId);
    expect(approval.serverName).toBe(NAME);
    verifyEnvelope(approval.policyEnvelope, [ed25519PublicKey(fromBase64(approval.policyPublicKey))]);
  });

  it('refuses a request not signed by the device key it names', () => {
    const other = testWorkstation(1);
    writeFileSync(join(dir, 'forged.request.json'), enrollmentRequestBytes(other, testKey()));
    const result = rwctl(['server', 'enroll', join(dir, 'forged.request.json'), '--data', data, '--out', join(dir, 'forged.approval.json')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/not signed by the device key/);
  });
});

describe('POST /v1/attestations refusals (nothing stored)', () => {
  const cases: { name: string; body: () => Uint8Array | string; status: number; code: string }[] = [
    { name: 'unsigned', body: () => JSON.stringify({ payload: toBase64(statementBytesOf(REVIEW_OUTCOME_PREDICATE_TYPE, reviewPredicate(reviewer, 1000))), payloadType: IN_TOTO_PAYLOAD_TYPE, signatures: [] }), status: 401, code: 'unsigned' },
    {
      name: 'bad signature',
      body: () => {
        const env = JSON.parse(new TextDecoder().decode(reviewAttestation(reviewer, 1000))) as { signatures: { sig: string }[] };
        const sig = fromBase64(env.signatures[0]!.sig);
        sig[10] = sig[10]! ^ 0x01;
        env.signatures[0]!.sig = toBase64(sig);
        return JSON.stringify(env);
      },
      status: 400,
      code: 'bad-signature',
    },
    { name: 'unknown key', body: () => reviewAttestation(testKey(), 1000), status: 401, code: 'unknown-key' },
    { name: 'revoked key', body: () => reviewAttestation(revokedWs.reviewers[0]!.key, 1000), status: 403, code: 'key-revoked' },
    { name: 'wrong payloadType', body: () => sign('application/json', statementBytesOf(REVIEW_OUTCOME_PREDICATE_TYPE, reviewPredicate(reviewer, 1000))), status: 415, code: 'wrong-payload-type' },
    { name: 'wrong predicateType', body: () => sign(IN_TOTO_PAYLOAD_TYPE, statementBytesOf('https://slsa.dev/provenance/v1', reviewPredicate(reviewer, 1000))), status: 422, code: 'predicate-not-allowed' },
    { name: 'malformed JSON', body: () => '{"payload": "e30=", "payloadType": ', status: 400, code: 'malformed-json' },
    {
      name: 'duplicate keys in the envelope',
      body: () => new TextDecoder().decode(reviewAttestation(reviewer, 1000)).replace('{"payload"', '{"payloadType":"application/json","payload"'),
      status: 400,
      code: 'duplicate-key',
    },
    {
      name: 'duplicate keys in the signed payload',
      body: () => {
        const text = new TextDecoder().decode(statementBytesOf(REVIEW_OUTCOME_PREDICATE_TYPE, reviewPredicate(reviewer, 1000)));
        return sign(IN_TOTO_PAYLOAD_TYPE, utf8(text.replace('"verdict":"concerns"', '"verdict":"objection","verdict":"concerns"')));
      },
      status: 400,
      code: 'duplicate-key',
    },
    { name: 'oversized (256 KiB + 1)', body: () => `{"payload":"${'A'.repeat(256 * 1024)}"}`, status: 413, code: 'body-too-large' },
    { name: 'not a Statement', body: () => sign(IN_TOTO_PAYLOAD_TYPE, canonicalBytes({ hello: 'world' })), status: 400, code: 'malformed-statement' },
    {
      name: 'predicate outside its schema',
      body: () => sign(IN_TOTO_PAYLOAD_TYPE, statementBytesOf(REVIEW_OUTCOME_PREDICATE_TYPE, { ...reviewPredicate(reviewer, 1000), verdict: 'approved' })),
      status: 422,
      code: 'invalid-predicate',
    },
    {
      name: 'review outcome signed by the device key',
      body: () => sign(IN_TOTO_PAYLOAD_TYPE, statementBytesOf(REVIEW_OUTCOME_PREDICATE_TYPE, reviewPredicate(ws.device, 1000)), ws.device),
      status: 403,
      code: 'wrong-signer',
    },
    {
      name: "review outcome naming another reviewer's key",
      body: () => sign(IN_TOTO_PAYLOAD_TYPE, statementBytesOf(REVIEW_OUTCOME_PREDICATE_TYPE, reviewPredicate(ws.reviewers[1]!.key, 1000))),
      status: 403,
      code: 'wrong-signer',
    },
  ];

  it.each(cases)('$name → $status $code', async ({ body, status, code }) => {
    const before = await counts();
    const answer = await post(body());
    expect(answer.status).toBe(status);
    expect(errorOf(answer.body).code).toBe(code);
    expect(await counts()).toEqual(before);
  });
});

describe('POST /v1/attestations accepted', () => {
  it('answers 201 with a receipt whose inclusion proof verifies offline against the server-signed checkpoint', async () => {
    const before = await counts();
    const envelope = reviewAttestation(reviewer, ++sequence);
    const answer = await post(envelope);
    expect(answer.status).toBe(201);
    const receipt = receiptSchema.parse(JSON.parse(answer.body));
    verifyReceiptOffline(receipt, envelope);
    const after = await counts();
    expect(after.attestations).toBe(before.attestations + 1);
    expect(after.leaves).toBe(before.leaves + 1);
  });

  it('answers a replay of the same envelope with 200 and the original receipt, storing nothing', async () => {
    const envelope = reviewAttestation(reviewer, ++sequence);
    const first = await post(envelope);
    expect(first.status).toBe(201);
    const before = await counts();
    const again = await post(envelope);
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toEqual(JSON.parse(first.body));
    expect(await counts()).toEqual(before);
  });

  it('refuses a new envelope with a stale sequence number (409), storing nothing', async () => {
    const before = await counts();
    const answer = await post(reviewAttestation(reviewer, sequence, 'another artifact'));
    expect(answer.status).toBe(409);
    expect(errorOf(answer.body).code).toBe('stale-sequence');
    expect(await counts()).toEqual(before);
  });

  it('accepts an audit-checkpoint Statement signed by the device key', async () => {
    const envelope = auditCheckpointAttestation(ws, 5, 1);
    const answer = await post(envelope);
    expect(answer.status).toBe(201);
    verifyReceiptOffline(receiptSchema.parse(JSON.parse(answer.body)), envelope);
  });

  it('finds attestations by subject digest and serves proofs that verify', async () => {
    const envelope = reviewAttestation(reviewer, ++sequence, 'findable');
    const receipt = receiptSchema.parse(JSON.parse((await post(envelope)).body));
    const found = await get(`/v1/attestations?subject=sha256:${toHex(sha256(utf8('findable')))}`);
    expect(found.status).toBe(200);
    const list = (JSON.parse(found.body) as { attestations: { receipt: Receipt }[] }).attestations;
    expect(list.map((a) => a.receipt)).toEqual([receipt]);

    const head = await get('/v1/checkpoint');
    const { checkpoint } = openCheckpoint(head.body, [ed25519NoteVerifier(NAME, serverPublicKey)], { origin: NAME });
    const inclusion = JSON.parse((await get(`/v1/proofs/inclusion?index=${receipt.logIndex}&size=${checkpoint.size}`)).body) as { leafHash: string; proof: string[] };
    verifyInclusion(receipt.logIndex, checkpoint.size, fromBase64(inclusion.leafHash), inclusion.proof.map(fromBase64), checkpoint.rootHash);
    const old = openCheckpoint(receipt.checkpoint, [ed25519NoteVerifier(NAME, serverPublicKey)]).checkpoint;
    const consistency = JSON.parse((await get(`/v1/proofs/consistency?from=1&to=${checkpoint.size}`)).body) as { proof: string[] };
    expect(consistency.proof.length).toBeGreaterThan(0);
    const cons2 = JSON.parse((await get(`/v1/proofs/consistency?from=${old.size}&to=${checkpoint.size}`)).body) as { proof: string[] };
    verifyConsistency(old.size, checkpoint.size, old.rootHash, checkpoint.rootHash, cons2.proof.map(fromBase64));
  });

  it('refuses malformed proof queries and unknown paths with JSON errors', async () => {
    for (const [path, status] of [
      ['/v1/proofs/inclusion?index=999999&size=1', 400],
      ['/v1/proofs/inclusion?index=-1&size=1', 400],
      ['/v1/proofs/consistency?from=0&to=1', 400],
      ['/v1/attestations?subject=md5:00', 400],
      ['/v1/nothing', 404],
    ] as const) {
      const answer = await get(path);
      expect(answer.status, path).toBe(status);
      errorOf(answer.body);
    }
    expect((await request(`${server.url}/v1/checkpoint`, 'POST', '{}')).status).toBe(405);
  });
});

describe('POST /v1/witness/add-checkpoint (C2SP tlog-witness)', () => {
  const log = testAuditLog(ws, 10);
  const witness = (body: Uint8Array) => request(`${server.url}/v1/witness/add-checkpoint`, 'POST', body, { 'Content-Type': 'text/plain' });

  it('cosigns the first checkpoint and then a consistent larger one; the cosignature verifies', async () => {
    for (const [oldSize, newSize] of [
      [0, 4],
      [4, 8],
    ] as const) {
      const answer = await witness(log.witnessRequest(oldSize, newSize));
      expect(answer.status, answer.body).toBe(200);
      const cosigned = log.checkpointAt(newSize).note + answer.body;
      const { checkpoint } = openCheckpoint(cosigned, [cosignatureVerifier(NAME, serverPublicKey)], { origin: ws.logOrigin });
      expect(checkpoint.size).toBe(newSize);
    }
  });

  it('answers 409 text/x.tlog.size with the size it holds when the old size is stale', async () => {
    const answer = await witness(log.witnessRequest(4, 10));
    expect(answer.status).toBe(409);
    expect(answer.headers['content-type']).toBe('text/x.tlog.size');
    expect(parseConflictBody(utf8(answer.body))).toBe(8);
  });

  it('answers 422 to a consistency proof that does not verify, and keeps the size it held', async () => {
    const good = log.witnessRequest(8, 10);
    const text = new TextDecoder().decode(good);
    const lines = text.split('\n');
    const proofLine = fromBase64(lines[1]!);
    proofLine[0] = proofLine[0]! ^ 0xff;
    lines[1] = toBase64(proofLine);
    const answer = await witness(utf8(lines.join('\n')));
    expect(answer.status).toBe(422);
    expect(errorOf(answer.body).code).toBe('bad-proof');
    expect((await witness(good)).status).toBe(200);
  });

  it('answers 404 for an unknown origin and 403 for a checkpoint not signed by the device key', async () => {
    const stranger = testWorkstation(0);
    const unknown = await witness(testAuditLog(stranger, 3).witnessRequest(0, 3));
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown.body).code).toBe('unknown-origin');
    const forged = signCheckpoint({ origin: ws.logOrigin, size: 12, rootHash: sha256(utf8('x')), extensions: [] }, [ed25519NoteSigner(ws.logOrigin, testKey().seed)]);
    const answer = await witness(formatAddCheckpointRequest({ oldSize: 10, proof: [sha256(utf8('p'))], checkpoint: utf8(forged) }));
    expect(answer.status).toBe(403);
    expect(errorOf(answer.body).code).toBe('checkpoint-signature');
  });
});

describe('admin endpoints', () => {
  const newcomer = testWorkstation(1);

  it('refuse enroll and revoke without the admin token, or with a wrong one', async () => {
    for (const headers of [{} as Record<string, string>, { Authorization: 'Bearer rwadm_wrong' }, { Authorization: `Basic ${adminToken}` }, { Authorization: `Bearer ${adminToken}x` }]) {
      const enroll = await request(`${server.url}/v1/admin/enroll`, 'POST', enrollmentRequestBytes(newcomer), headers);
      expect(enroll.status).toBe(401);
      expect(errorOf(enroll.body).code).toBe('unauthorized');
      const revoke = await request(`${server.url}/v1/admin/revoke`, 'POST', JSON.stringify({ keyId: reviewer.keyId }), headers);
      expect(revoke.status).toBe(401);
    }
    expect((await post(reviewAttestation(newcomer.reviewers[0]!.key, 1))).status).toBe(401);
  });

  it('enrolls with the token (approval bundle verifies) and revokes: the key is then refused', async () => {
    const auth = { Authorization: `Bearer ${adminToken}` };
    const enroll = await request(`${server.url}/v1/admin/enroll`, 'POST', enrollmentRequestBytes(newcomer), auth);
    expect(enroll.status, enroll.body).toBe(201);
    const { approval } = JSON.parse(enroll.body) as { approval: unknown };
    const bundle = approvalBundleSchema.parse(approval);
    verifyEnvelope(bundle.envelope, [ed25519PublicKey(serverPublicKey)], { expectedPayloadType: ENROLLMENT_APPROVAL_PAYLOAD_TYPE });
    const key = newcomer.reviewers[0]!.key;
    expect((await post(reviewAttestation(key, 1))).status).toBe(201);
    const revoke = await request(`${server.url}/v1/admin/revoke`, 'POST', JSON.stringify({ keyId: key.keyId }), auth);
    expect(revoke.status).toBe(200);
    const refused = await post(reviewAttestation(key, 2));
    expect(refused.status).toBe(403);
    expect(errorOf(refused.body).code).toBe('key-revoked');
    const reenroll = await request(`${server.url}/v1/admin/enroll`, 'POST', enrollmentRequestBytes(newcomer), auth);
    expect(reenroll.status).toBe(409);
  });

  it('refuses a revoke body that is not exactly {"keyId": "<64 hex>"} and revokes nothing', async () => {
    const auth = { Authorization: `Bearer ${adminToken}` };
    const cases: Array<[string, string, string]> = [
      ['not JSON', '{keyId:', 'malformed-json'],
      ['an array', '[]', 'bad-request'],
      ['keyId missing', '{}', 'bad-request'],
      ['keyId a number', '{"keyId": 7}', 'bad-request'],
      ['keyId upper-case hex', JSON.stringify({ keyId: reviewer.keyId.toUpperCase() }), 'bad-request'],
      ['an extra field', JSON.stringify({ keyId: reviewer.keyId, force: true }), 'bad-request'],
    ];
    for (const [name, body, code] of cases) {
      const revoke = await request(`${server.url}/v1/admin/revoke`, 'POST', body, auth);
      expect(revoke.status, name).toBe(400);
      expect(errorOf(revoke.body).code, name).toBe(code);
    }
    const unknown = await request(`${server.url}/v1/admin/revoke`, 'POST', JSON.stringify({ keyId: 'ab'.repeat(32) }), auth);
    expect(unknown.status).toBe(404);
  });
});
