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
 *
 * One round trip per batch in the common case: the batcher remembers the log head and the sequence of
 * each key it has appended for, as they will be once the transactions it has sent commit. A batch whose
 * every attestation is its key's remembered sequence + 1 (so neither a replay nor stale) is built on that
 * memory and sent as writes and COMMIT at once, the head and sequences written only if the row still
 * holds what was remembered (the head: the same compact range, so the same leaves, not merely as many,
 * which another writer may reach with others; the key: unrevoked): otherwise the statement fails (NOT NULL), the
 * transaction stores nothing, the memory is dropped, and the batch is retried once the read way (head
 * and keys read under their locks, stored receipts looked up), as are the batches sent behind it. So
 * another process appending to the same PostgreSQL log, or a revocation, costs a retry, never a wrong
 * index. At most two batches are outstanding: one committing, one queued behind it on the connection,
 * while the requests for the next gather.
 */
import { appendLeaf, compactRangeNodes, compactRangeRoot, type CompactRange } from '../src-shared/node/compact-range';
import { inclusionProofsFrom, leafHash } from '../src-shared/node/merkle';
import { toBase64 } from '../src-shared/encoding';
import { RwError } from '../src-shared/errors';
import type { Receipt } from '../src-shared/attestation-types';
import { refusal } from './refusal';
import { compactRangeText, nodeId, replayKey, type NewAttestation, type NodeKey, type ServerStore, type StoreTx } from './server-store';
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

/** Batches sent and not yet settled, at most: one committing and one queued behind it. */
const MAX_OUTSTANDING = 2;

interface Memory {
  range: CompactRange;
  rangeText: string;
  sequences: Map<string, number>;
}

interface Waiting {
  append: PendingAppend;
  /** Already in a batch on remembered state that failed: goes the read way now (never retried twice). */
  retried?: boolean;
  resolve(outcome: AppendOutcome): void;
  reject(error: unknown): void;
}

export function createAppendBatcher(store: ServerStore, signer: CheckpointSigner, options: { maxBatch?: number } = {}): AppendBatcher {
  const maxBatch = options.maxBatch ?? 256;
  const queue: Waiting[] = [];
  /** Requests of a batch sent on remembered state that did not commit: retried first, the read way, in order. */
  const retry: Waiting[] = [];
  // A transaction asked of the store and not yet started: it takes whatever waits when it starts.
  let asked = false;
  /** Batches asked for and not yet settled. */
  let outstanding = 0;
  /** After a batch on remembered state failed: no new batch until those sent behind it have settled. */
  let draining = false;
  /** The head (its range and stored text) and key sequences as they will be once every batch sent commits; null: read them. */
  let memory: Memory | null = null;

  type Result = { kind: 'ok'; outcome: AppendOutcome } | { kind: 'refused'; error: RwError } | { kind: 'same-as'; index: number };

  function take(): Waiting[] {
    const batch = retry.splice(0, maxBatch);
    return batch.length < maxBatch ? batch.concat(queue.splice(0, maxBatch - batch.length)) : batch;
  }

  /**
   * Asks the store for the next transaction. The store starts it once the running one has sent its
   * COMMIT (sqlite-driver.ts, postgres-driver.ts): its statements then queue behind that COMMIT on the
   * connection, so they see its rows. Only then does it take the waiting appends, so those that arrived
   * meanwhile join it.
   */
  function ask(): void {
    if (asked || outstanding >= MAX_OUTSTANDING || (draining && outstanding > 0)) return;
    if (queue.length === 0 && retry.length === 0) return;
    draining = false;
    asked = true;
    outstanding++;
    // The requests of this turn first (a batch of checks answered together, say).
    setImmediate(() => {
      let batch: Waiting[] | null = null;
      let remembered = false;
      store
        .transaction(async (tx) => {
          asked = false;
          batch = take();
          ask();
          if (batch.length === 0) return [];
          remembered = memory !== null && fromMemory(batch, memory);
          return remembered ? appendRemembered(tx, batch, memory!) : appendBatch(tx, batch);
        })
        .then(
          (results) => settle(batch ?? [], results),
          (error: unknown) => {
            memory = null;
            // A transaction that could not even start (no database connection) fails what waits now.
            if (batch === null) {
              asked = false;
              batch = take();
            }
            if (remembered) {
              draining = true;
              for (const waiting of batch) waiting.retried = true;
              retry.push(...batch);
            } else for (const waiting of batch) waiting.reject(error);
          },
        )
        .finally(() => {
          outstanding--;
          ask();
        });
    });
  }

  /** Each key's appends in sequence order (requests racing on one connection pool may reach the queue out of order). */
  function sequenceOrder(batch: Waiting[]): number[] {
    return [...batch.keys()].sort((a, b) => batch[a]!.append.row.sequence - batch[b]!.append.row.sequence || a - b);
  }

  /** True when every append of the batch is its key's remembered sequence + 1, and no two are the same attestation. */
  function fromMemory(batch: Waiting[], remembered: { sequences: Map<string, number> }): boolean {
    if (batch.some((w) => w.retried)) return false;
    const next = new Map<string, number>();
    for (const at of sequenceOrder(batch)) {
      const { keyId, sequence } = batch[at]!.append.row;
      const last = next.get(keyId) ?? remembered.sequences.get(keyId);
      if (last === undefined || sequence !== last + 1) return false;
      next.set(keyId, sequence);
    }
    return true;
  }

  /** The leaves, nodes, checkpoint and receipts of `accepted` appended to `from` (proof nodes from the batch and the old head). */
  async function appendLeaves(tx: StoreTx, from: CompactRange, accepted: { at: number; leafData: Uint8Array; row: NewAttestation }[]) {
    let range = from;
    const nodes: [number, number, Uint8Array][] = [];
    const leaves = accepted.map((a) => {
      const logIndex = range.size;
      range = appendLeaf(range, leafHash(a.leafData), (level, index, h) => nodes.push([level, index, h]));
      return { ...a, logIndex };
    });
    const treeSize = range.size;
    const checkpoint = signer.sign(treeSize, compactRangeRoot(range));
    // Proofs for the whole batch from this batch's nodes and the old head's compact range, which holds
    // every older node a new leaf's proof needs (compactRangeNodes). They are computed once; only if a
    // node was missing (which a consistent head never lets happen) are the missing ones read from the
    // store and the proofs computed again.
    const fresh = new Map(nodes.map(([l, i, h]) => [nodeId(l, i), h]));
    for (const [l, i, h] of compactRangeNodes(from)) fresh.set(nodeId(l, i), h);
    const wanted: NodeKey[] = [];
    const proofsFrom = (older: Map<string, Uint8Array>) =>
      inclusionProofsFrom(
        {
          getNode(level: number, index: number) {
            const hash = fresh.get(nodeId(level, index)) ?? older.get(nodeId(level, index));
            if (hash) return hash;
            wanted.push([level, index]);
            return DRY_RUN_NODE;
          },
        },
        leaves.map((a) => a.logIndex),
        treeSize,
      );
    let proofs = proofsFrom(new Map());
    if (wanted.length > 0) {
      const older = await tx.getNodes(wanted.splice(0));
      proofs = proofsFrom(older);
      if (wanted.length > 0) throw new RwError('LOG_DAMAGED', 'The server log is missing a node.', { level: wanted[0]![0], index: wanted[0]![1] });
    }
    // The receipts of a batch share most of their proofs' nodes: each is encoded once.
    const encoded = new Map<Uint8Array, string>();
    const base64Of = (hash: Uint8Array): string => {
      let text = encoded.get(hash);
      if (text === undefined) encoded.set(hash, (text = toBase64(hash)));
      return text;
    };
    const rows = leaves.map((a, i) => {
      const receipt: Receipt = {
        envelopeSha256: a.row.envelopeSha256,
        logIndex: a.logIndex,
        treeSize,
        inclusionProof: proofs[i]!.map(base64Of),
        checkpoint,
      };
      return { at: a.at, row: a.row, receipt, logIndex: a.logIndex };
    });
    return { range, nodes, checkpoint, rows };
  }

  /** The one-round-trip batch (see the top of this file): `fromMemory` held for it. */
  async function appendRemembered(tx: StoreTx, batch: Waiting[], remembered: Memory): Promise<Result[]> {
    const accepted = sequenceOrder(batch).map((at) => ({ at, leafData: batch[at]!.append.leafData, row: batch[at]!.append.row }));
    const { range, nodes, checkpoint, rows } = await appendLeaves(tx, remembered.range, accepted);
    const advanced = new Map<string, { from: number; to: number }>();
    for (const { row } of accepted) {
      const was = advanced.get(row.keyId);
      advanced.set(row.keyId, { from: was?.from ?? remembered.sequences.get(row.keyId)!, to: row.sequence });
    }
    // What the next batch builds on, before this one commits (it is dropped if this one fails).
    const expected = remembered.rangeText;
    memory = { range, rangeText: compactRangeText(range), sequences: remembered.sequences };
    for (const [keyId, { to }] of advanced) remembered.sequences.set(keyId, to);
    await Promise.all([
      tx.setHeadIf(expected, range, checkpoint),
      tx.advanceSequences([...advanced].map(([keyId, { from, to }]) => [keyId, from, to] as const)),
      tx.putNodes(nodes),
      tx.insertAttestations(rows),
      tx.commit(),
    ]);
    const out = new Array<Result>(batch.length);
    for (const r of rows) out[r.at] = { kind: 'ok', outcome: { status: 201, receipt: r.receipt } };
    return out;
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
    const advanced = new Set<string>();
    const inBatch = new Map<string, number>();
    const out: Result[] = new Array<Result>(batch.length);
    const accepted: { at: number; leafData: Uint8Array; row: NewAttestation }[] = [];
    for (const at of sequenceOrder(batch)) {
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
      inBatch.set(row.envelopeSha256, at);
      inBatch.set(replay, at);
      accepted.push({ at, leafData: append.leafData, row });
    }
    // What the next batch may build on: the head read under its lock (plus this batch), and the
    // sequences of the unrevoked keys read with it, beside those remembered for a head that matched.
    const sequences = memory !== null && memory.rangeText === head.rangeText ? memory.sequences : new Map<string, number>();
    for (const key of keys.values()) {
      if (key.revokedAt === null) sequences.set(key.keyId, key.lastSequence);
      else sequences.delete(key.keyId);
    }
    if (accepted.length === 0) {
      memory = { range: head.range, rangeText: head.rangeText, sequences };
      return out;
    }
    const { range, nodes, checkpoint, rows } = await appendLeaves(tx, head.range, accepted);
    for (const r of rows) out[r.at] = { kind: 'ok', outcome: { status: 201, receipt: r.receipt } };
    memory = { range, rangeText: compactRangeText(range), sequences };
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
