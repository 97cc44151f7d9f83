/**
 * The PostgreSQL store: two server processes' worth of stores (two pools, two group-commit queues) append
 * to one database at once; the head row lock keeps leaf indexes dense and unique, and the log's leaves
 * hash to the last signed checkpoint. Refusals (stale sequence) and replays store nothing there either.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openServerStore } from '../../src-server/open-store';
import { acceptAttestation } from '../../src-server/attestation-intake';
import { createAppendBatcher } from '../../src-server/append-batcher';
import { createRateLimiter } from '../../src-server/rate-limiter';
import { serverCheckpointSigner } from '../../src-server/server-log';
import { enrollKeys } from '../../src-server/enrollment';
import { viewOf } from '../../src-server/refusal';
import { compactRangeFromLeaves, compactRangeRoot } from '../../src-shared/node/compact-range';
import { openCheckpoint } from '../../src-shared/node/checkpoint';
import { ed25519NoteVerifier } from '../../src-shared/node/signed-note';
import { bytesEqual } from '../../src-shared/encoding';
import { ed25519PublicFromSeed, randomBytes } from '../../src-shared/node/crypto';
import { enrollmentRequest, reviewAttestation, testWorkstation } from './server-fixtures';
import { releaseTestPostgres, testPostgres } from '../helpers/postgres';

const NAME = 'pg.test/attestations';
const pg = await testPostgres();
if (!pg.available) console.warn(`PostgreSQL server store tests skipped: ${pg.reason}`);
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of drops) await drop();
  await releaseTestPostgres();
});

describe.skipIf(!pg.available)('server store on PostgreSQL', () => {
  it('two stores appending concurrently never assign the same index; the log matches its checkpoint', async () => {
    if (!pg.available) return;
    const db = await pg.createDatabase();
    drops.push(db.drop);
    const seed = randomBytes(32);
    const stores = [await openServerStore('/nonexistent', db.url), await openServerStore('/nonexistent', db.url)];
    try {
      const ws = testWorkstation(8);
      await enrollKeys(stores[0]!, enrollmentRequest(ws), 1);
      const intakes = stores.map((store) => ({
        store,
        appender: createAppendBatcher(store, serverCheckpointSigner(NAME, seed)),
        limiter: createRateLimiter({ ratePerMinute: 1e6, burst: 1e6 }, () => 0),
        clock: () => 0,
        maxBytes: 256 * 1024,
      }));
      // Each key's attestations go to one store in sequence order; keys alternate between the stores.
      const results = await Promise.all(
        ws.reviewers.map(async (r, k) => {
          const out = [];
          for (let i = 1; i <= 15; i++) out.push(await acceptAttestation(intakes[k % 2]!, reviewAttestation(r.key, i), 'http'));
          return out;
        }),
      );
      const receipts = results.flat();
      expect(receipts.every((r) => r.status === 201)).toBe(true);
      expect(receipts.map((r) => r.receipt.logIndex).sort((a, b) => a - b)).toEqual(Array.from({ length: 120 }, (_, i) => i));
      const counts = await stores[1]!.counts();
      expect(counts).toMatchObject({ attestations: 120, leaves: 120 });
      const head = await stores[1]!.head();
      const nodes = await stores[1]!.getNodes(Array.from({ length: 120 }, (_, i) => [0, i] as const));
      const root = compactRangeRoot(compactRangeFromLeaves(Array.from({ length: 120 }, (_, i) => nodes.get(`0:${i}`)!)));
      const { checkpoint } = openCheckpoint(head.checkpoint, [ed25519NoteVerifier(NAME, ed25519PublicFromSeed(seed))], { origin: NAME });
      expect(checkpoint.size).toBe(120);
      expect(bytesEqual(checkpoint.rootHash, root)).toBe(true);

      // A replay answers with the original receipt and a stale sequence is refused: nothing stored.
      const key = ws.reviewers[0]!.key;
      const replay = await acceptAttestation(intakes[1]!, reviewAttestation(key, 15), 'http');
      expect(replay.status).toBe(200);
      let stale: unknown;
      await acceptAttestation(intakes[0]!, reviewAttestation(key, 15, 'other'), 'http').catch((e: unknown) => (stale = e));
      expect(viewOf(stale)).toMatchObject({ status: 409, reason: 'stale-sequence' });
      expect(await stores[0]!.counts()).toEqual(counts);
    } finally {
      for (const store of stores) await store.close();
    }
  }, 300_000);
});
