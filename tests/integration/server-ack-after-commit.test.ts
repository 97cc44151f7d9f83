/**
 * An attestation is acknowledged only once it is durable: a real server process is stopped dead
 * (SIGKILL) after it has verified a submission and while its commit is waiting, and the client must not
 * have seen a 201, and the store must hold nothing of it. The commit is held back by this test taking
 * the SQLite write lock on the server's database (the server waits on its busy timeout), so the kill
 * lands exactly between verification and commit without any hook in the server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@signalapp/sqlcipher';
import { afterAll, describe, expect, it } from 'vitest';
import { initDataDir, SERVER_FILES } from '../../src-server/server-config';
import { openServerStore } from '../../src-server/open-store';
import { enrollKeys } from '../../src-server/enrollment';
import { enrollmentRequest, reviewAttestation, testWorkstation } from './server-fixtures';
import { request, startServerProcess } from './server-process';

const dir = mkdtempSync(join(tmpdir(), 'rw-ack-commit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function counts(data: string) {
  const store = await openServerStore(data, undefined);
  try {
    return await store.counts();
  } finally {
    await store.close();
  }
}

describe('acknowledged only after commit', () => {
  it('a server killed between verification and commit sent no 201 and left nothing half-written', async () => {
    const data = join(dir, 'data');
    initDataDir(data, { name: 'ack.test/attestations', limits: { ratePerMinute: 1000, rateBurst: 1000 } });
    const ws = testWorkstation(1);
    const setup = await openServerStore(data, undefined);
    await enrollKeys(setup, enrollmentRequest(ws), 1);
    await setup.close();
    const reviewer = ws.reviewers[0]!.key;
    const before = await counts(data);

    let server = await startServerProcess(data);
    // Holding the write lock: the server can verify but not commit until it is released.
    const lock = new Database(join(data, SERVER_FILES.sqlite));
    lock.pragma('busy_timeout = 10000');
    lock.exec('BEGIN IMMEDIATE');
    // Control: verification runs and answers while the lock is held (a forged signature is refused
    // at once), so the request below is waiting on its commit, not on its verification.
    const forged = JSON.parse(new TextDecoder().decode(reviewAttestation(reviewer, 1, 'forged'))) as { signatures: { sig: string }[] };
    const sig = forged.signatures[0]!.sig;
    forged.signatures[0]!.sig = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
    const refused = await request(`${server.url}/v1/attestations`, 'POST', JSON.stringify(forged));
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    let answered: number | 'no answer' = 'no answer';
    const envelope = reviewAttestation(reviewer, 1, 'killed-before-commit');
    const submission = request(`${server.url}/v1/attestations`, 'POST', envelope).then(
      (a) => (answered = a.status),
      () => (answered = 'no answer'),
    );
    // Long enough for the request to be read and verified; the commit is then waiting on the lock.
    await new Promise((r) => setTimeout(r, 1500));
    expect(answered).toBe('no answer');
    // The commit waits on the writer thread, not on the event loop: a forged submission sent now is
    // still read, verified and refused, while the genuine one has no answer.
    const forgedMeanwhile = await request(`${server.url}/v1/attestations`, 'POST', JSON.stringify(forged));
    expect(forgedMeanwhile.status).toBe(refused.status);
    expect(answered).toBe('no answer');
    await server.kill();
    await submission;
    lock.exec('ROLLBACK');
    lock.close();
    expect(answered).toBe('no answer');
    // Nothing of it is stored: no attestation, no log leaf, no receipt, no replay record.
    expect(await counts(data)).toEqual(before);

    // The same envelope, sent again to a restarted server, is accepted as new (not refused as a replay).
    server = await startServerProcess(data);
    try {
      const again = await request(`${server.url}/v1/attestations`, 'POST', envelope);
      expect(again.status).toBe(201);
      const after = await counts(data);
      expect(after.attestations).toBe(before.attestations + 1);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
