/**
 * Group commit for the server log. Requests that passed every check wait here; when the next transaction
 * starts (once the one before has sent its COMMIT), all waiting appends (up to maxBatch) go into it: replay
 * (answered with the original receipt) and sequence checks under the locks, one leaf each (indexes
 * assigned in order under the head lock), one signed checkpoint for the batch, each receipt's inclusion
 * proof to that checkpoint, each row. A durable commit
 * (synchronous=FULL, PostgreSQL fsync) costs one flush per batch instead of one per attestation.
 *
 * Each accepted attestation's writes still commit atomically with it (they share the batch's
 * transaction); a refusal inside the batch (stale sequence, key revoked meanwhile) writes nothing for that
 * envelope; a failed transaction rejects every request of the batch and stores none of them.
 */
import { appendLeaf, compactRangeNodes, compactRangeRoot } from '../src-shared/node/compact-range';
import { inclusionProofFrom, leafHash } from '../src-shared/node/merkle';
import { toBase64 } from '../src-shared/encoding';
import { RwError } from '../src-shared/errors';
import type { Receipt } from '../src-shared/attestation-types';
import { refusal } from './refusal';
import { nodeId, replayKey, type NewAttestation, type NodeKey, type ServerStore, type StoreTx } from './server-store';
import { DRY_RUN_NODE, type CheckpointSigner } from './server-log';

export interface PendingAppend {
  row: NewAttestation;
  /** The log leaf's data (canonical envelope bytes). */
  leafData: Uint8Array;
}

export interface AppendOutcome {
  status: 200 | 201;
  receipt: Receipt;
}

export interface AppendBatcher {
  submit(append: PendingAppend): Promise<AppendOutcome>;
}

interface Waiting {
  append: PendingAppend;
  resolve(outcome: AppendOutcome): void;
  reject(error: unknown): void;
}

export function createAppendBatcher(store: ServerStore, signer: CheckpointSigner, options: { maxBatch?: number } = {}): AppendBatcher {
  const maxBatch = options.maxBatch ?? 256;
  const queue: Waiting[] = [];
  // A transaction asked of the store and not yet started: it takes whatever waits when it starts.
  let asked = false;

  type Result = { kind: 'ok'; outcome: AppendOutcome } | { kind: 'refused'; error: RwError } | { kind: 'same-as'; index: number };

  /**
   * Asks the store for the next transaction. The store starts it once the running one has sent its
   * COMMIT (sqlite-driver.ts, postgres-driver.ts): its BEGIN and reads then queue behind that COMMIT on
   * the connection, so they see its rows, and the writer goes from one batch's COMMIT straight to the
   * next one's reads.
   * Only then does it take the waiting appends, so those that arrived meanwhile join it.
   */
  function ask(): void {
    if (asked) return;
    asked = true;
    // The requests of this turn first (a batch of checks answered together, say).
    setImmediate(() => {
      let batch: Waiting[] | null = null;
      store
        .transaction(async (tx) => {
          asked = false;
          batch = queue.splice(0, maxBatch);
          if (queue.length > 0) ask();
          return batch.length === 0 ? [] : appendBatch(tx, batch);
        })
        .then(
          (results) => settle(batch ?? [], results),
          (error: unknown) => {
            // A transaction that could not even start (no database connection) fails what waits now.
            if (batch === null) {
              asked = false;
              batch = queue.splice(0, maxBatch);
              if (queue.length > 0) ask();
            }
            for (const waiting of batch) waiting.reject(error);
          },
        );
    });
  }

  async function appendBatch(tx: StoreTx, batch: Waiting[]): Promise<Result[]> {
    // The head lock first, then (under it) what is already stored and the signing keys' rows (locked),
    // for the whole batch. The statements go out together: one connection runs them in this order,
    // without a round trip between them.
    const [head, stored, replays, keys] = await Promise.all([
      tx.headForUpdate(),
      tx.findReceipts(batch.map((w) => w.append.row.envelopeSha256)),
      tx.findReplays(batch.map((w) => w.append.row)),
      tx.keysForUpdate(batch.map((w) => w.append.row.keyId)),
    ]);
    let range = head.range;
    const nodes: [number, number, Uint8Array][] = [];
    const advanced = new Set<string>();
    const inBatch = new Map<string, number>();
    const out: Result[] = new Array<Result>(batch.length);
    const accepted: { at: number; logIndex: number; hash: Uint8Array }[] = [];
    // Each key's sequence must be its previous + 1: within a batch, a key's appends are taken in
    // sequence order (requests racing on one connection pool may reach the queue out of order).
    const order = [...batch.keys()].sort((a, b) => batch[a]!.append.row.sequence - batch[b]!.append.row.sequence || a - b);
    for (const at of order) {
      const { append } = batch[at]!;
      const { row } = append;
      const replay = replayKey(row.keyId, row.payloadSha256);
      const earlier = inBatch.get(row.envelopeSha256) ?? inBatch.get(replay);
      if (earlier !== undefined) {
        out[at] = { kind: 'same-as', index: earlier };
        continue;
      }
      const known = stored.get(row.envelopeSha256) ?? replays.get(replay);
      if (known) {
        out[at] = { kind: 'ok', outcome: { status: 200, receipt: known } };
        continue;
      }
      const key = keys.get(row.keyId);
      if (!key || key.revokedAt !== null) {
        out[at] = { kind: 'refused', error: refusal('key-revoked', 'The signing key has been revoked.') };
        continue;
      }
      if (row.sequence <= key.lastSequence) {
        out[at] = {
          kind: 'refused',
          error: refusal('stale-sequence', `Stale sequence number ${row.sequence}: this key already reached ${key.lastSequence}.`, { sequence: row.sequence, lastSequence: key.lastSequence }),
        };
        continue;
      }
      // A jump (say to 2^53 - 1) would let one signature lock its key out of every later attestation.
      if (row.sequence !== key.lastSequence + 1) {
        out[at] = {
          kind: 'refused',
          error: refusal('sequence-gap', `Sequence number ${row.sequence} skips ahead: this key's next is ${key.lastSequence + 1}.`, { sequence: row.sequence, expected: key.lastSequence + 1 }),
        };
        continue;
      }
      key.lastSequence = row.sequence;
      advanced.add(row.keyId);
      const hash = leafHash(append.leafData);
      const logIndex = range.size;
      range = appendLeaf(range, hash, (level, index, h) => nodes.push([level, index, h]));
      inBatch.set(row.envelopeSha256, at);
      inBatch.set(replay, at);
      accepted.push({ at, logIndex, hash });
      out[at] = { kind: 'ok', outcome: { status: 201, receipt: undefined as unknown as Receipt } };
    }
    if (accepted.length === 0) return out;

    const treeSize = range.size;
    const checkpoint = signer.sign(treeSize, compactRangeRoot(range));
    // Proofs for the whole batch from this batch's nodes and the old head's compact range, which holds
    // every older node a new leaf's proof needs (compactRangeNodes); the store is asked only if one is
    // missing, which a consistent head never lets happen.
    const fresh = new Map(nodes.map(([l, i, h]) => [nodeId(l, i), h]));
    for (const [l, i, h] of compactRangeNodes(head.range)) fresh.set(nodeId(l, i), h);
    const wanted: NodeKey[] = [];
    for (const a of accepted) {
      inclusionProofFrom({ getNode: (l, i) => (fresh.has(nodeId(l, i)) || wanted.push([l, i]), DRY_RUN_NODE) }, a.logIndex, treeSize);
    }
    const older = wanted.length === 0 ? new Map<string, Uint8Array>() : await tx.getNodes(wanted);
    const source = {
      getNode(level: number, index: number) {
        const hash = fresh.get(nodeId(level, index)) ?? older.get(nodeId(level, index));
        if (!hash) throw new RwError('LOG_DAMAGED', 'The server log is missing a node.', { level, index });
        return hash;
      },
    };
    // The receipts of a batch share most of their proofs' nodes: each is encoded once.
    const encoded = new Map<Uint8Array, string>();
    const base64Of = (hash: Uint8Array): string => {
      let text = encoded.get(hash);
      if (text === undefined) encoded.set(hash, (text = toBase64(hash)));
      return text;
    };
    const rows = accepted.map((a) => {
      const receipt: Receipt = {
        envelopeSha256: batch[a.at]!.append.row.envelopeSha256,
        logIndex: a.logIndex,
        treeSize,
        inclusionProof: inclusionProofFrom(source, a.logIndex, treeSize).map(base64Of),
        checkpoint,
      };
      out[a.at] = { kind: 'ok', outcome: { status: 201, receipt } };
      return { row: batch[a.at]!.append.row, receipt, logIndex: a.logIndex };
    });
    // Every write of the batch and its COMMIT go out together (one message to the SQLite writer thread,
    // one pipelined write to PostgreSQL); the batch counts only if all of them succeed.
    await Promise.all([
      tx.putNodes(nodes),
      tx.setHead(range, checkpoint),
      tx.insertAttestations(rows),
      tx.setLastSequences([...advanced].map((keyId) => [keyId, keys.get(keyId)!.lastSequence] as const)),
      tx.commit(),
    ]);
    return out;
  }

  function settle(batch: Waiting[], results: Result[]): void {
    for (const [at, waiting] of batch.entries()) {
      let result = results[at]!;
      if (result.kind === 'same-as') {
        const first = results[result.index]!;
        result = first.kind === 'ok' ? { kind: 'ok', outcome: { status: 200, receipt: first.outcome.receipt } } : first;
      }
      if (result.kind === 'ok') waiting.resolve(result.outcome);
      else if (result.kind === 'refused') waiting.reject(result.error);
    }
  }

  return {
    submit(append) {
      return new Promise<AppendOutcome>((resolve, reject) => {
        queue.push({ append, resolve, reject });
        ask();
      });
    },
  };
}
