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
import { testAuditLog, testWorkstation } from '../../integration/server-fixtures';
import { inProcessServer, type InProcessServer } from './in-process-server';

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
    for (const [name, body] of cases) expect((await refusalOf(addCheckpoint(server.witness, body))).status, name).toBe(400);
    expect((await server.store.counts()).witnessed).toBe(0);
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
});
