/** add-checkpoint decisions in-process (the loopback test covers 200/409/422/404/403 over HTTP). */
import { afterEach, describe, expect, it } from 'vitest';
import { addCheckpoint } from '../../../src-server/witness';
import { viewOf } from '../../../src-server/refusal';
import { revokeEnrolledKey } from '../../../src-server/enrollment';
import { formatAddCheckpointRequest } from '../../../src-shared/node/tlog-witness';
import { signCheckpoint } from '../../../src-shared/node/checkpoint';
import { ed25519NoteSigner } from '../../../src-shared/node/signed-note';
import { sha256 } from '../../../src-shared/node/crypto';
import { utf8 } from '../../../src-shared/encoding';
import { enrollmentRequest, testAuditLog, testKey, testWorkstation } from '../../integration/server-fixtures';
import { enrollKeys } from '../../../src-server/enrollment';
import { witnessedCheckpoints } from '../../../src-server/witness';
import { acceptAttestation } from '../../../src-server/attestation-intake';
import { cosignatureVerifier } from '../../../src-shared/node/cosignature';
import { openCheckpoint } from '../../../src-shared/node/checkpoint';
import { reviewAttestation } from '../../integration/server-fixtures';
import { inProcessServer, refusalOf, type InProcessServer } from './in-process-server';

let server: InProcessServer | null = null;
afterEach(async () => {
  await server?.store.close();
  server = null;
});

describe('addCheckpoint', () => {
  it('refuses malformed requests and impossible sizes with 400, storing no state', async () => {
    server = await inProcessServer();
    const ws = testWorkstation(0);
    await server.enroll(ws);
    const log = testAuditLog(ws, 6);
    const cases: [string, Uint8Array][] = [
      ['old size above the checkpoint size', formatAddCheckpointRequest({ oldSize: 7, proof: [], checkpoint: utf8(log.checkpointAt(6).note) })],
      ['a proof with old size 0', formatAddCheckpointRequest({ oldSize: 0, proof: [sha256()], checkpoint: utf8(log.checkpointAt(6).note) })],
      ['not a request', utf8('hello\n')],
      ['no checkpoint', utf8('old 0\n\n')],
      ['a checkpoint that is not a note', formatAddCheckpointRequest({ oldSize: 0, proof: [], checkpoint: utf8(`${ws.logOrigin}\n6\n`) })],
    ];
    const before = await server.store.witnessState(ws.logOrigin);
    for (const [name, body] of cases) expect((await refusalOf(addCheckpoint(server.witness, body))).status, name).toBe(400);
    expect(await server.store.witnessState(ws.logOrigin)).toEqual(before);
  });

  it('cosigns the same checkpoint again, but answers 409 to the same size with another root (a fork)', async () => {
    server = await inProcessServer();
    const ws = testWorkstation(0);
    await server.enroll(ws);
    const log = testAuditLog(ws, 6);
    await addCheckpoint(server.witness, log.witnessRequest(0, 6));
    expect((await addCheckpoint(server.witness, log.witnessRequest(6, 6))).checkpoint.size).toBe(6);
    const fork = signCheckpoint({ origin: ws.logOrigin, size: 6, rootHash: sha256(utf8('fork')), extensions: [] }, [ed25519NoteSigner(ws.logOrigin, ws.device.seed)]);
    const view = await refusalOf(addCheckpoint(server.witness, formatAddCheckpointRequest({ oldSize: 6, proof: [], checkpoint: utf8(fork) })));
    expect(view).toMatchObject({ status: 409, reason: 'witness-conflict', detail: { size: 6 } });
  });

  it("refuses a revoked device's checkpoints with 403", async () => {
    server = await inProcessServer();
    const ws = testWorkstation(0);
    await server.enroll(ws);
    await revokeEnrolledKey(server.store, ws.device.keyId, 1);
    expect(await refusalOf(addCheckpoint(server.witness, testAuditLog(ws, 2).witnessRequest(0, 2)))).toMatchObject({ status: 403, reason: 'checkpoint-signature' });
  });

  it('never rolls back under racing requests: of two requests from the same old size, one wins and the other gets 409', async () => {
    server = await inProcessServer();
    const ws = testWorkstation(0);
    await server.enroll(ws);
    const log = testAuditLog(ws, 12);
    await addCheckpoint(server.witness, log.witnessRequest(0, 4));
    const results = await Promise.allSettled([addCheckpoint(server.witness, log.witnessRequest(4, 12)), addCheckpoint(server.witness, log.witnessRequest(4, 8))]);
    expect(results[0]!.status).toBe('fulfilled');
    expect(viewOf((results[1] as PromiseRejectedResult).reason)).toMatchObject({ status: 409, detail: { size: 12 } });
  });

  it('starts from the checkpoint recorded at enrollment: a first checkpoint from size 0 gets 409 with that size, and must then extend it', async () => {
    server = await inProcessServer();
    const ws = testWorkstation(0);
    await enrollKeys(server.store, enrollmentRequest(ws, 5), server.now.ms);
    const log = testAuditLog(ws, 9);
    expect(await refusalOf(addCheckpoint(server.witness, log.witnessRequest(0, 9)))).toMatchObject({ status: 409, reason: 'witness-conflict', detail: { size: 5 } });
    // Another history of the same origin (say, rewritten before the first sync) cannot prove it extends size 5.
    const other = testAuditLog({ ...ws, workstationId: 'rewritten' }, 9);
    expect((await refusalOf(addCheckpoint(server.witness, other.witnessRequest(5, 9)))).reason).toBe('bad-proof');
    expect((await addCheckpoint(server.witness, log.witnessRequest(5, 9))).checkpoint.size).toBe(9);
  });

  it('refuses a checkpoint that jumps implausibly far (422), keeping the size it held', async () => {
    server = await inProcessServer({ maxCheckpointGrowth: 100 });
    const ws = testWorkstation(0);
    await server.enroll(ws);
    const log = testAuditLog(ws, 130);
    await addCheckpoint(server.witness, log.witnessRequest(0, 20));
    expect(await refusalOf(addCheckpoint(server.witness, log.witnessRequest(20, 121)))).toMatchObject({ status: 422, reason: 'implausible-size' });
    expect((await server.store.witnessState(ws.logOrigin))?.size).toBe(20);
    expect((await addCheckpoint(server.witness, log.witnessRequest(20, 120))).checkpoint.size).toBe(120);
  });

  it('never accepts a first checkpoint for an origin with no state recorded at enrollment (409, re-enroll)', async () => {
    server = await inProcessServer();
    // An origin enrolled before enrollments carried a checkpoint: emulate by enrolling the key row alone.
    const legacy = testWorkstation(0);
    await server.store.transaction((tx) =>
      tx.insertKey({ keyId: legacy.device.keyId, publicKey: legacy.device.publicKey, role: 'device', workstationId: legacy.workstationId, subject: legacy.workstationId, logOrigin: legacy.logOrigin, enrolledAt: 1, revokedAt: null, lastSequence: 0 }),
    );
    expect(await refusalOf(addCheckpoint(server.witness, testAuditLog(legacy, 3).witnessRequest(0, 3)))).toMatchObject({ status: 409, reason: 'witness-uninitialised' });
    expect(await server.store.witnessState(legacy.logOrigin)).toBeNull();
  });

  it('re-keys a workstation: after revoke, a new device key for the same log is enrolled and syncs from what the witness held', async () => {
    server = await inProcessServer();
    const ws = testWorkstation(1);
    await server.enroll(ws);
    const log = testAuditLog(ws, 12);
    await addCheckpoint(server.witness, log.witnessRequest(0, 6));
    const rekeyed = { ...ws, device: testKey() };
    // While the old key is active, the origin is taken.
    expect((await refusalOf(enrollKeys(server.store, enrollmentRequest(rekeyed, 8), 2))).reason).toBe('enrollment-refused');
    await revokeEnrolledKey(server.store, ws.device.keyId, 3);
    await enrollKeys(server.store, enrollmentRequest(rekeyed, 8), 4);
    expect((await server.store.witnessState(ws.logOrigin))?.size).toBe(6);
    const newLog = testAuditLog(rekeyed, 12);
    expect((await refusalOf(addCheckpoint(server.witness, log.witnessRequest(6, 12)))).reason).toBe('checkpoint-signature');
    expect((await addCheckpoint(server.witness, newLog.witnessRequest(6, 12))).checkpoint.size).toBe(12);
    // The reviewer keys of the re-enrolled workstation keep their own sequence.
    expect((await acceptAttestation(server.intake, reviewAttestation(ws.reviewers[0]!.key, 1), 'http')).status).toBe(201);
  });

  it('hands out the latest cosigned checkpoint per origin, with a cosignature that verifies and equals the one given', async () => {
    server = await inProcessServer();
    const ws = testWorkstation(0);
    await server.enroll(ws);
    const log = testAuditLog(ws, 7);
    server.now.ms += 5_000;
    const given = await addCheckpoint(server.witness, log.witnessRequest(0, 7));
    const seen = await witnessedCheckpoints(server.witness, ws.logOrigin);
    expect(seen.checkpoints).toHaveLength(1);
    expect(seen.checkpoints[0]!.checkpoint).toBe(log.checkpointAt(7).note + given.cosignature);
    const { checkpoint } = openCheckpoint(seen.checkpoints[0]!.checkpoint, [cosignatureVerifier(server.witness.name, server.loaded.serverPublicKey)], { origin: ws.logOrigin });
    expect(checkpoint.size).toBe(7);
    expect((await refusalOf(witnessedCheckpoints(server.witness, 'rw.test/audit/unknown'))).status).toBe(404);
  });
});
