/**
 * Load and crash safety (issue 5 acceptance): 10 000 attestations from 50 enrolled keys pushed with 32
 * requests in flight, against SQLite and against PostgreSQL. The server is killed with SIGKILL mid-run and
 * restarted; clients retry what got no answer. Afterwards every attestation that got a 201 is in the
 * store and in the log at the index its receipt names, its receipt verifies offline, the final log's
 * leaves hash to the final signed checkpoint, and no envelope has two leaves.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initDataDir } from '../../src-server/server-config';
import { openServerStore } from '../../src-server/open-store';
import { enrollKeys } from '../../src-server/enrollment';
import { appendLeaf, compactRangeRoot, emptyCompactRange } from '../../src-shared/node/compact-range';
import { openCheckpoint } from '../../src-shared/node/checkpoint';
import { ed25519NoteVerifier } from '../../src-shared/node/signed-note';
import { leafHash, verifyInclusion } from '../../src-shared/node/merkle';
import { bytesEqual, fromBase64, toHex } from '../../src-shared/encoding';
import { sha256 } from '../../src-shared/node/crypto';
import { parseStrictJson } from '../../src-shared/strict-json';
import { attestationLeafData, receiptSchema, type Receipt } from '../../src-shared/attestation-types';
import { enrollmentRequest, reviewAttestation, testWorkstation } from './server-fixtures';
import { request, startServerProcess, type ServerProcess } from './server-process';
import { releaseTestPostgres, testPostgres } from '../helpers/postgres';

const TOTAL = 10_000;
const KEYS = 50;
const IN_FLIGHT = 32;
const KILL_AFTER = 3_000;
const NAME = 'load.test/attestations';

interface Item {
  /** Signed when first sent, so the client's signing overlaps the server's work. */
  make(): Uint8Array;
  envelope?: Uint8Array;
  status?: number;
  receipt?: Receipt;
}

async function runLoad(database: string | undefined): Promise<void> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'rw-server-load-'));
  const data = join(dir, 'data');
  const init = initDataDir(data, { name: NAME, limits: { ratePerMinute: 10_000_000, rateBurst: 10_000_000 } });
  const serverKey = fromBase64(init.config.serverPublicKey);
  const stations = Array.from({ length: KEYS / 10 }, () => testWorkstation(10));
  const setup = await openServerStore(data, database);
  for (const ws of stations) await enrollKeys(setup, enrollmentRequest(ws), 1);
  await setup.close();

  const keys = stations.flatMap((ws) => ws.reviewers.map((r) => r.key));
  const perKey = TOTAL / KEYS;
  // Per key, in sequence order: one request per key in flight keeps sequences increasing.
  const queues: Item[][] = keys.map((key) => Array.from({ length: perKey }, (_, i) => ({ make: () => reviewAttestation(key, i + 1, `${key.keyId}-${i}`) })));

  let server: ServerProcess = await startServerProcess(data, database);
  let restarting: Promise<void> | null = null;
  let created = 0;
  let killed = false;
  const busy = new Set<number>();
  const cursor = queues.map(() => 0);
  const failures: string[] = [];

  const killAndRestart = () => {
    killed = true;
    restarting = (async () => {
      await server.kill();
      server = await startServerProcess(data, database);
      restarting = null;
    })();
  };

  const send = async (item: Item): Promise<void> => {
    item.envelope ??= item.make();
    for (let attempt = 0; ; attempt++) {
      if (restarting) await restarting;
      try {
        const answer = await request(`${server.url}/v1/attestations`, 'POST', item.envelope);
        if (answer.status === 201 || answer.status === 200) {
          item.status = answer.status;
          item.receipt = receiptSchema.parse(JSON.parse(answer.body));
          if (answer.status === 201 && ++created === KILL_AFTER && !killed) killAndRestart();
          return;
        }
        if (answer.status < 500) {
          failures.push(`${answer.status} ${answer.body}`);
          return;
        }
      } catch {
        // Connection refused or reset by the kill: the request may or may not have committed; retry it.
      }
      if (attempt > 200) throw new Error('The server did not come back.');
      await new Promise((r) => setTimeout(r, Math.min(50 * (attempt + 1), 500)));
    }
  };

  const worker = async () => {
    for (;;) {
      const k = queues.findIndex((q, i) => !busy.has(i) && cursor[i]! < q.length);
      if (k < 0) {
        if (busy.size === 0) return;
        await new Promise((r) => setTimeout(r, 2));
        if (queues.every((q, i) => cursor[i]! >= q.length)) return;
        continue;
      }
      busy.add(k);
      const item = queues[k]![cursor[k]!++]!;
      try {
        await send(item);
      } finally {
        busy.delete(k);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    if (restarting) await restarting;
  } finally {
    await server.stop();
  }
  const pushed = performance.now();
  expect(failures).toEqual([]);
  expect(killed).toBe(true);

  const items = queues.flat();
  const got201 = items.filter((i) => i.status === 201);
  expect(items.every((i) => i.receipt !== undefined)).toBe(true);
  expect(got201.length).toBeGreaterThan(KILL_AFTER);

  const store = await openServerStore(data, database);
  try {
    const counts = await store.counts();
    expect(counts.attestations).toBe(TOTAL);
    expect(counts.leaves).toBe(TOTAL);
    const head = await store.head();
    expect(head.size).toBe(TOTAL);
    const final = openCheckpoint(head.checkpoint, [ed25519NoteVerifier(NAME, serverKey)], { origin: NAME }).checkpoint;

    const nodes = await store.getNodes(Array.from({ length: TOTAL }, (_, i) => [0, i] as const));
    const leaves = Array.from({ length: TOTAL }, (_, i) => nodes.get(`0:${i}`)!);
    // Roots of every prefix: each receipt's checkpoint must be a prefix of the final log.
    const prefixRoots: Uint8Array[] = [];
    let range = emptyCompactRange();
    for (const leaf of leaves) {
      range = appendLeaf(range, leaf);
      prefixRoots.push(compactRangeRoot(range));
    }
    expect(bytesEqual(prefixRoots[TOTAL - 1]!, final.rootHash)).toBe(true);

    const indexes = new Set<number>();
    // Receipts of one batch share a checkpoint: verify each distinct note once.
    const opened = new Map<string, { size: number; rootHash: Uint8Array }>();
    for (const item of items) {
      const receipt = item.receipt!;
      const leafData = attestationLeafData(parseStrictJson(item.envelope!) as never);
      expect(receipt.envelopeSha256).toBe(toHex(sha256(leafData)));
      expect(indexes.has(receipt.logIndex)).toBe(false);
      indexes.add(receipt.logIndex);
      const hash = leafHash(leafData);
      expect(bytesEqual(leaves[receipt.logIndex]!, hash)).toBe(true);
      let own = opened.get(receipt.checkpoint);
      if (!own) {
        own = openCheckpoint(receipt.checkpoint, [ed25519NoteVerifier(NAME, serverKey)], { origin: NAME }).checkpoint;
        opened.set(receipt.checkpoint, own);
      }
      verifyInclusion(receipt.logIndex, receipt.treeSize, hash, receipt.inclusionProof.map(fromBase64), own.rootHash);
      expect(bytesEqual(prefixRoots[own.size - 1]!, own.rootHash)).toBe(true);
    }
    expect(indexes.size).toBe(TOTAL);
    // Every receipt is the stored one (present in the attestations table, not only in the log).
    for (let i = 0; i < items.length; i += 100) {
      const chunk = items.slice(i, i + 100);
      const stored = await Promise.all(chunk.map((item) => store.findReceipt(item.receipt!.envelopeSha256)));
      stored.forEach((receipt, j) => expect(receipt).toEqual(chunk[j]!.receipt));
    }
    // A figure for the log, not an assertion (no timed assertions in tests).
    console.log(
      `${database ? 'PostgreSQL' : 'SQLite'} load: ${TOTAL} attestations, ${got201.length} answered 201 (${TOTAL - got201.length} 200 after a retry across the SIGKILL), ` +
        `${opened.size} distinct checkpoints (group commits); push ${((pushed - started) / 1000).toFixed(1)} s, total ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    await store.close();
  }
}

describe('server load with SIGKILL mid-run', () => {
  it('SQLite: 10 000 attestations, 50 keys, 32 in flight; every 201 survives, none twice', async () => {
    await runLoad(undefined);
  }, 600_000);
});

const pg = await testPostgres();
if (!pg.available) console.warn(`PostgreSQL server load test skipped: ${pg.reason}`);
const dropLater: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of dropLater) await drop();
  await releaseTestPostgres();
});

describe.skipIf(!pg.available)('server load with SIGKILL mid-run (PostgreSQL)', () => {
  it('PostgreSQL: 10 000 attestations, 50 keys, 32 in flight; every 201 survives, none twice', async () => {
    if (!pg.available) return;
    const db = await pg.createDatabase();
    dropLater.push(db.drop);
    await runLoad(db.url);
  }, 600_000);
});
