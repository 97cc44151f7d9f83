/**
 * Verification of the access log (see ARCHITECTURE: access log), for the CLI, the auditor console and bundles alike:
 * the steps over any LogSource. The source over an open audit.db is verify-access-log.ts.
 *
 * The tree is rebuilt from the leaf bytes alone (nothing stored about the tree is trusted). Every leaf is
 * checked for sequence continuity, its stored hash, its own seq and non-decreasing timestamps (a decrease
 * is allowed only on a recorded `clock.jump` leaf), read from the leaf's canonical tail so that a million
 * leaves cost little more than hashing them. Unless the caller opts out, each leaf's contents are then
 * checked in full: canonical form, the leaf schema, the device it names and the indexed copies of its
 * fields. Then every stored checkpoint's signature and root, the order and consistency of consecutive
 * checkpoints, and finally each external checkpoint (exported earlier or witnessed off the laptop): the
 * current log must extend it, which is what exposes truncation, rollback of the whole file and a history
 * re-signed with the device key (a fork).
 *
 * It never throws on damage: each problem names the first sequence number it can pin and the kind of
 * damage, and a database that cannot be read is itself a problem ("the audit database is damaged").
 */
import { openCheckpoint, parseCheckpoint, type Checkpoint } from '../../src-shared/node/checkpoint';
import { compactRangeRoot, type CompactRange } from '../../src-shared/node/compact-range';
import { binaryEqualsBytes, bytesEqual, toBase64 } from '../../src-shared/encoding';
import { isRwError } from '../../src-shared/errors';
import { consistencyProofFrom, verifyConsistency, type MerkleNodeSource } from '../../src-shared/node/merkle';
import { ed25519NoteVerifier, parseNote } from '../../src-shared/node/signed-note';
import { logOrigin } from './log-origin';
import { leafColumns, parseLeaf, readLeafTail, type LeafColumns } from './log-leaf';
import { runAll, type Steps } from './in-turns';
import { TreeBuilder } from './tree-builder';

export const PROBLEM_KINDS = [
  'database-damaged',
  'missing-leaf',
  'leaf-hash',
  'malformed-leaf',
  'not-canonical',
  'seq-mismatch',
  'foreign-leaf',
  'time-reversed',
  'index-mismatch',
  'checkpoint-signature',
  'checkpoint-mismatch',
  'checkpoint-order',
  'nodes-damaged',
  'truncated',
  'fork',
  'external-signature',
  'no-device-key',
  'aggregate-mismatch',
] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

export interface Problem {
  /** The first sequence number the damage can be pinned to (a range's start when only a range is known). */
  seq: number;
  kind: ProblemKind;
  message: string;
}

export interface LeafRow {
  seq: number;
  leaf: Uint8Array;
  /** The stored leaf hash; null when the source keeps none (bundles). */
  leafHash: Uint8Array | null;
  /** The indexed copies of leaf fields; null when the source keeps none. */
  columns: LeafColumns | null;
}

export interface CheckpointRow {
  id: number;
  size: number;
  ts: number;
  note: string;
}

/** Where leaves and checkpoints come from: audit.db, or a bundle. */
export interface LogSource {
  workstationId: string | null;
  devicePublicKey: Uint8Array | null;
  /**
   * Leaves in ascending seq order from seq `from` (default 0), in batches; `columns` false lets a source
   * skip reading the indexed copies.
   */
  leafBatches(options: { columns: boolean; from?: number }): Iterable<LeafRow[]>;
  checkpoints(): CheckpointRow[];
  /** Size the writer's state row claims (a tail truncated behind its back shows here); null when unknown. */
  stateSize: number | null;
  /** Stored interior nodes, when the source has them: consistency proofs between checkpoints come from them. */
  nodes: MerkleNodeSource | null;
  /** Every stored interior node, ordered by level then index, in batches (absent when none are kept). */
  nodeBatches?(): Iterable<{ level: number; idx: number; hash: Uint8Array }[]>;
  /**
   * The stored nodes of one level from index `from` to `to` (exclusive), concatenated, when every one is
   * there with 32 bytes; otherwise null (nodeBatches then finds which). Lets a source compare the tree in
   * a few large reads instead of a row per node.
   */
  nodeSpan?(level: number, from: number, to: number): Uint8Array | null;
}

export interface ExternalCheckpoint {
  /** Where it came from, for messages (a file name). */
  label: string;
  note: string | Uint8Array;
}

export interface VerifyOptions {
  /** Pin the device key (raw 32-byte Ed25519) instead of trusting the one in the store. */
  devicePublicKey?: Uint8Array;
  externalCheckpoints?: readonly ExternalCheckpoint[];
  /** Stop collecting after this many problems (the first is what matters). Default 100. */
  maxProblems?: number;
  /**
   * Check each leaf's contents in full (canonical form, schema, device, indexed columns). Default true.
   * Off, verification still covers everything tamper-evidence rests on: hashes, tree, checkpoints, seq
   * and time order; the auditor console's integrity banner uses that.
   */
  leafContents?: boolean;
  /**
   * Stop before this sequence number: a verification that takes turns with the app covers the log as it
   * stood when it began, while the app goes on appending (the next resumed check covers the rest).
   */
  upToSeq?: number;
  /** Told after each batch of leaves how many are verified of how many the check covers (for a progress bar). */
  progress?(done: number, total: number): void;
  /**
   * Shown every leaf row in order, after its checks (the audit.db verifier recomputes the console's
   * aggregates in the same pass); `columns` are there when leafContents is on.
   */
  onLeaf?(row: LeafRow, tail: { seq: number; ts: number } | null): void;
  /**
   * Offered after each batch of leaves while nothing is wrong so far: `point()` is where this run could
   * later resume from (the caller decides how often it is worth materialising and saving).
   */
  offerProgress?(point: () => ProgressPoint): void;
  /** The resume state could not answer and the run started over from leaf 0 (see verifyLogFrom). */
  onRestart?(): void;
  /**
   * Opens the stored checkpoints somewhere else (another thread) while this one reads the leaves: each
   * note exactly as openCheckpoint opens it here, with this origin and key. Null when that cannot start
   * (they are then opened here first). Only asked on a full verification.
   */
  openCheckpointsAside?(notes: string[], origin: string, publicKey: Uint8Array): CheckpointsAside | null;
}

/** Stored checkpoints being opened elsewhere (see VerifyOptions.openCheckpointsAside). */
export interface CheckpointsAside {
  /** Each note's checkpoint in the order handed over, null for one that did not open; null when no answer came. */
  results(): (Checkpoint | null)[] | null;
}

export interface VerifyReport {
  ok: boolean;
  /** Leaves present. */
  size: number;
  /** Root of the rebuilt tree (base64). */
  root: string;
  /** Every leaf below this is intact and covered by the checks (size when ok). */
  verifiedSize: number;
  checkpoints: number;
  lastCheckpoint: { size: number; ts: number } | null;
  external: { label: string; size: number | null; ok: boolean }[];
  /** Sorted by seq; the first is the first bad sequence number. */
  problems: Problem[];
  /**
   * Present when this run resumed a verification saved by an earlier one (verify-progress.ts): leaves
   * 0..from-1 were verified as that run read them at `verifiedAt`, not read again now.
   */
  resumed?: { from: number; verifiedAt: number };
}

function columnsDiffer(a: LeafColumns, b: LeafColumns): boolean {
  return (
    a.ts !== b.ts ||
    a.event !== b.event ||
    a.user !== b.user ||
    a.role !== b.role ||
    a.session !== b.session ||
    a.objectKind !== b.objectKind ||
    a.objectId !== b.objectId ||
    a.outcome !== b.outcome ||
    a.page !== b.page ||
    a.dwellMs !== b.dwellMs
  );
}

/**
 * The interior nodes of the rebuilt tree, one flat byte array per level (32 bytes a node: about 32 MB for
 * a million leaves), compared afterwards with the stored nodes in one ordered scan.
 */
/** Nodes per nodeSpan read when the tree is compared. */
const NODE_SPAN = 8192;

function nodeRecorder(enabled: boolean) {
  const levels: { bytes: Uint8Array; count: number }[] = [];
  return {
    record: enabled
      ? (level: number, index: number, hash: string) => {
          let l = levels[level];
          if (!l) levels[level] = l = { bytes: new Uint8Array(32 * 1024), count: 0 };
          if ((index + 1) * 32 > l.bytes.byteLength) {
            const grown = new Uint8Array(Math.max(l.bytes.byteLength * 2, (index + 1) * 32));
            grown.set(l.bytes);
            l.bytes = grown;
          }
          for (let i = 0; i < 32; i++) l.bytes[index * 32 + i] = hash.charCodeAt(i);
          l.count = Math.max(l.count, index + 1);
        }
      : undefined,
    /** Whether every stored node of the rebuilt levels equals the rebuilt one, read span by span. */
    allEqual(span: (level: number, from: number, to: number) => Uint8Array | null): boolean {
      for (let level = 1; level < levels.length; level++) {
        const l = levels[level];
        if (!l) continue;
        for (let from = 0; from < l.count; from += NODE_SPAN) {
          const to = Math.min(l.count, from + NODE_SPAN);
          const stored = span(level, from, to);
          if (!stored || Buffer.compare(Buffer.from(l.bytes.buffer, l.bytes.byteOffset + from * 32, (to - from) * 32), stored) !== 0) return false;
        }
      }
      return true;
    },
    firstMismatch(batches: Iterable<{ level: number; idx: number; hash: Uint8Array }[]>): { level: number; idx: number; seq: number } | null {
      const seen = levels.map((l) => (l ? new Uint8Array(l.count) : new Uint8Array(0)));
      let first: { level: number; idx: number; seq: number } | null = null;
      // The damaged subtree that ends first is the tightest pin on the first bad leaf (a higher node over
      // the same leaf starts earlier only because it covers more).
      const end = (n: { level: number; seq: number }) => n.seq + 2 ** n.level;
      const note = (level: number, idx: number) => {
        const candidate = { level, idx, seq: idx * 2 ** level };
        if (!first || end(candidate) < end(first) || (end(candidate) === end(first) && level < first.level)) first = candidate;
      };
      for (const batch of batches) {
        for (const node of batch) {
          const l = levels[node.level];
          if (!l || node.idx >= l.count) continue; // beyond the leaves present: reported as truncation
          seen[node.level]![node.idx] = 1;
          if (!bytesEqual(l.bytes.subarray(node.idx * 32, node.idx * 32 + 32), node.hash)) note(node.level, node.idx);
        }
      }
      seen.forEach((marks, level) => {
        const missing = marks.indexOf(0);
        if (missing >= 0) note(level, missing);
      });
      return first;
    },
  };
}

function isClockJump(leaf: Uint8Array): boolean {
  const parsed = parseLeaf(leaf);
  return parsed.ok && parsed.leaf.event === 'clock.jump';
}

/** The full per-leaf checks beyond what the tail gives: canonical form, schema, device, indexed columns. */
function checkLeafContents(row: LeafRow, workstationId: string, add: (seq: number, kind: ProblemKind, message: string) => void): void {
  const at = row.seq;
  const parsed = parseLeaf(row.leaf);
  if (!parsed.ok) {
    add(at, parsed.reason === 'not-canonical' ? 'not-canonical' : 'malformed-leaf', `leaf ${at}: ${parsed.message}`);
    return;
  }
  if (parsed.leaf.device !== workstationId) add(at, 'foreign-leaf', `leaf ${at} names another workstation`);
  if (row.columns && columnsDiffer(row.columns, leafColumns(parsed.leaf))) add(at, 'index-mismatch', `the indexed copy of leaf ${at}'s fields differs from the leaf`);
}

interface OpenedStored {
  row: CheckpointRow;
  checkpoint: Checkpoint | null;
}

/**
 * Where an intact verification ended, so that the next one in the same process checks only what was
 * appended since (the auditor console re-checks after every query, and each query adds a leaf). Held in
 * memory only: nothing read back from the store could vouch for it.
 */
export interface VerifiedState {
  workstationId: string;
  devicePublicKey: Uint8Array;
  leafContents: boolean;
  range: CompactRange;
  prevTs: number;
  /** The rebuilt root at every checkpoint size met so far, and at the end. */
  roots: ReadonlyMap<number, Uint8Array>;
  lastCheckpointId: number;
  previous: Checkpoint | null;
  lastGood: number;
  earliestGood: Checkpoint | null;
  checkpoints: number;
  lastCheckpoint: { size: number; ts: number } | null;
}

/**
 * Where a verification in progress stands after a batch: enough to go on from leaf `range.size` in
 * another process (saved by verify-progress.ts). Only offered while no problem has been found.
 */
export interface ProgressPoint {
  workstationId: string;
  devicePublicKey: Uint8Array;
  leafContents: boolean;
  range: CompactRange;
  prevTs: number;
  /** The rebuilt root at every checkpoint size met so far. */
  roots: Map<number, Uint8Array>;
}

/**
 * The resume state a saved progress point stands for: no stored checkpoint checked yet (they are all
 * checked again at the end, against the saved roots below the point and the rebuilt ones above it).
 */
export function stateAtPoint(point: ProgressPoint): VerifiedState {
  return { ...point, lastCheckpointId: 0, previous: null, lastGood: 0, earliestGood: null, checkpoints: 0, lastCheckpoint: null };
}

/** Verify a log from any source. */
export function verifyLog(source: LogSource, options: VerifyOptions = {}): VerifyReport {
  return verifyLogFrom(source, options).report;
}

/**
 * Verify a log, or with `resume` (the state a previous intact verification of the same log returned)
 * only the leaves and stored checkpoints added since, plus every external checkpoint again. Falls back to
 * a full verification when the resume state cannot answer (another key, a checkpoint below its size
 * whose root it did not keep). The state returned is null unless the log is intact.
 */
export function verifyLogFrom(source: LogSource, options: VerifyOptions = {}, resume?: VerifiedState): Verified {
  return runAll(verifySteps(source, options, resume));
}

export interface Verified {
  report: VerifyReport;
  state: VerifiedState | null;
}

/** The verification, yielding after each batch of leaves. */
export function* verifySteps(source: LogSource, options: VerifyOptions, resume?: VerifiedState): Steps<Verified> {
  const maxProblems = options.maxProblems ?? 100;
  const problems: Problem[] = [];
  const add = (seq: number, kind: ProblemKind, message: string) => {
    if (problems.length < maxProblems) problems.push({ seq, kind, message });
  };
  const report = (size: number, range: CompactRange, extra: Partial<VerifyReport> = {}): VerifyReport => {
    problems.sort((a, b) => a.seq - b.seq);
    return {
      ok: problems.length === 0,
      size,
      root: toBase64(compactRangeRoot(range)),
      verifiedSize: problems.length === 0 ? size : Math.min(size, problems[0]!.seq),
      checkpoints: 0,
      lastCheckpoint: null,
      external: [],
      problems,
      ...extra,
    };
  };

  const contents = options.leafContents !== false;
  let tree = new TreeBuilder();
  const noState = (r: VerifyReport) => ({ report: r, state: null });
  try {
    const workstationId = source.workstationId;
    const publicKey = options.devicePublicKey ?? source.devicePublicKey;
    if (!workstationId || !publicKey) {
      add(0, 'no-device-key', 'the log has no workstation id or device key to check signatures with');
      return noState(report(0, tree.range()));
    }
    if (resume && (resume.workstationId !== workstationId || !bytesEqual(resume.devicePublicKey, publicKey) || resume.leafContents !== contents)) resume = undefined;
    const from = resume?.range.size ?? 0;
    const origin = logOrigin(workstationId);
    const verifier = ed25519NoteVerifier(origin, publicKey);

    // Checkpoints first: their sizes are where the rebuilt tree's root is needed. A full verification
    // may have their signatures checked elsewhere meanwhile (one Ed25519 verification each, about a sixth
    // of the whole over a million leaves): the roots are then kept at the sizes stored beside them.
    const rows = source.checkpoints().filter((row) => !resume || row.id > resume.lastCheckpointId);
    const aside = !resume && rows.length > 0 ? (options.openCheckpointsAside?.(rows.map((row) => row.note), origin, publicKey) ?? null) : null;
    let stored: OpenedStored[] = aside
      ? []
      : rows.map((row) => {
          try {
            const { checkpoint } = openCheckpoint(row.note, [verifier], { origin });
            if (checkpoint.size !== row.size) {
              add(Math.min(row.size, checkpoint.size), 'checkpoint-mismatch', `stored checkpoint ${row.id} says size ${checkpoint.size} in its note and ${row.size} beside it`);
            }
            return { row, checkpoint };
          } catch {
            add(row.size, 'checkpoint-signature', `stored checkpoint ${row.id} (size ${row.size}) is not validly signed by this device's key`);
            return { row, checkpoint: null };
          }
        });
    const external = (options.externalCheckpoints ?? []).map((ext) => {
      try {
        return { ext, checkpoint: openCheckpoint(ext.note, [verifier], { origin }).checkpoint };
      } catch {
        let claimed: number | null = null;
        try {
          claimed = parseCheckpoint(parseNote(ext.note).text).size;
        } catch {
          // Not even a checkpoint: reported below with no size.
        }
        add(0, 'external-signature', `the checkpoint ${ext.label}${claimed === null ? '' : ` (size ${claimed})`} is not signed by this log's device key for ${origin}: the device key was replaced or the file is not from this workstation`);
        return { ext, checkpoint: null };
      }
    });
    const wanted = new Set<number>();
    for (const s of stored) if (s.checkpoint) wanted.add(s.checkpoint.size);
    if (aside) for (const row of rows) wanted.add(row.size);
    for (const e of external) if (e.checkpoint) wanted.add(e.checkpoint.size);
    const roots = new Map<number, Uint8Array>(resume?.roots);
    if (resume) {
      // A checkpoint inside the part already verified needs that part's root: without it, start over.
      if ([...wanted].some((size) => size <= from && !roots.has(size))) {
        options.onRestart?.();
        return yield* verifySteps(source, options);
      }
      tree = TreeBuilder.fromRange(resume.range);
    }
    if (wanted.has(0)) roots.set(0, tree.root());

    // Stored nodes are compared on a full verification only; a resumed one still proves consistency below.
    const rebuilt = nodeRecorder(!resume && source.nodeBatches !== undefined);
    // The leaves, in order.
    let expected = from;
    let prevTs = resume?.prevTs ?? -Infinity;
    const onLeaf = options.onLeaf;
    leaves: for (const batch of source.leafBatches({ columns: contents, from })) {
      for (const row of batch) {
        if (options.upToSeq !== undefined && row.seq >= options.upToSeq) break leaves;
        if (row.seq !== expected) {
          if (row.seq > expected) add(expected, 'missing-leaf', `leaves ${expected}${row.seq - 1 > expected ? `–${row.seq - 1}` : ''} are missing (the next stored leaf is ${row.seq})`);
          else add(row.seq, 'missing-leaf', `leaf ${row.seq} is out of order`);
        }
        // Problems are named by the row's sequence number; the tree is built over the rows as they are.
        const at = row.seq;
        const hash = tree.leafHash(row.leaf);
        if (row.leafHash && !binaryEqualsBytes(hash, row.leafHash)) add(at, 'leaf-hash', `leaf ${at} does not match its recorded hash: its bytes were edited`);
        const tail = readLeafTail(row.leaf);
        if (!tail) {
          const parsed = parseLeaf(row.leaf);
          add(at, !parsed.ok && parsed.reason === 'not-canonical' ? 'not-canonical' : 'malformed-leaf', `leaf ${at}: ${parsed.ok ? 'the leaf does not end with its seq, session, ts and v members' : parsed.message}`);
        } else {
          // A leaf that agrees with its row but not its position is the gap reported above, not a new problem.
          if (tail.seq !== at) add(at, 'seq-mismatch', `leaf ${at} says it is leaf ${tail.seq}: leaves were moved, swapped or rewritten`);
          // Rare, so only then is the leaf parsed to see whether it records the clock jump.
          if (tail.ts < prevTs && !isClockJump(row.leaf)) add(at, 'time-reversed', `leaf ${at} is earlier than the leaf before it with no clock jump recorded`);
          prevTs = tail.ts;
          if (contents) checkLeafContents(row, workstationId, add);
        }
        onLeaf?.(row, tail);
        tree.push(hash, rebuilt.record);
        if (wanted.has(tree.size)) roots.set(tree.size, tree.root());
        expected = row.seq + 1;
      }
      options.progress?.(tree.size, Math.max(tree.size, options.upToSeq ?? source.stateSize ?? 0));
      if (options.offerProgress && problems.length === 0) {
        options.offerProgress(() => ({ workstationId, devicePublicKey: publicKey, leafContents: contents, range: tree.range(), prevTs, roots: new Map(roots) }));
      }
      yield;
    }
    if (aside) {
      const opened = aside.results();
      // Anything but every note opened, at the size stored beside it, is settled the way it is without
      // the other thread: from leaf 0 again, the checkpoints opened here first, so the problems and the
      // report are exactly theirs (damage is rare; a faithful report matters more than its cost).
      if (!opened || opened.length !== rows.length || opened.some((cp, i) => !cp || cp.size !== rows[i]!.size)) {
        options.onRestart?.();
        return yield* verifySteps(source, { ...options, openCheckpointsAside: undefined });
      }
      stored = rows.map((row, i) => ({ row, checkpoint: opened[i]! }));
    }
    const size = tree.size;
    const range = tree.range();
    // The stored nodes serve proofs to the witness and the console: each must equal the rebuilt one.
    // Span by span when the source can (a few large reads); row by row to pin the first wrong node.
    if (!resume && source.nodeBatches && problems.length === 0 && !(source.nodeSpan && rebuilt.allEqual(source.nodeSpan))) {
      const wrong = rebuilt.firstMismatch(source.nodeBatches());
      if (wrong) add(wrong.seq, 'nodes-damaged', `the stored tree node at level ${wrong.level}, index ${wrong.idx} (leaves from ${wrong.seq}) is wrong or missing: proofs served from it would fail`);
    }
    if (source.stateSize !== null && source.stateSize > size) {
      add(size, 'truncated', `the log's own state counts ${source.stateSize} leaves but only ${size} are present: the tail from leaf ${size} was removed`);
    }

    // Stored checkpoints: signature (above), root, order, consistency.
    let lastGood = resume?.lastGood ?? 0;
    let previous: Checkpoint | null = resume?.previous ?? null;
    for (const s of stored) {
      const cp = s.checkpoint;
      if (!cp) continue;
      if (previous && cp.size < previous.size) {
        add(cp.size, 'checkpoint-order', `stored checkpoint ${s.row.id} (size ${cp.size}) is smaller than the one before it (size ${previous.size}): the log was rolled back`);
      }
      if (cp.size > size) {
        add(size, 'truncated', `stored checkpoint ${s.row.id} covers ${cp.size} leaves but the log has ${size}: the tail from leaf ${size} was removed`);
      } else {
        const root = roots.get(cp.size)!;
        if (!bytesEqual(root, cp.rootHash)) {
          // A leaf problem already pinned inside the range explains the mismatch and names the exact leaf.
          const lo = Math.min(lastGood, Math.max(cp.size - 1, 0));
          const pinned = problems.filter((p) => p.seq >= lo && p.seq < cp.size).map((p) => p.seq);
          const from = pinned.length > 0 ? Math.min(...pinned) : lo;
          add(from, 'checkpoint-mismatch', `stored checkpoint ${s.row.id} (size ${cp.size}) does not match the leaves: a leaf from ${from} to ${cp.size - 1} was altered, added or removed`);
        } else {
          lastGood = Math.max(lastGood, cp.size);
        }
      }
      previous = cp;
    }

    // Consecutive stored checkpoints whose roots both match the rebuilt tree are consistent by
    // construction; what remains to check is that the stored nodes (which serve proofs to the witness)
    // prove it too: one proof from the earliest good checkpoint to the whole log covers every level.
    const good = stored.filter((s) => s.checkpoint && s.checkpoint.size > 0 && s.checkpoint.size <= size && bytesEqual(roots.get(s.checkpoint.size)!, s.checkpoint.rootHash));
    const earliest = resume?.earliestGood ?? good[0]?.checkpoint ?? null;
    // Only on an otherwise clean log: over damaged leaves the nodes disagree for the reason already reported.
    if (problems.length === 0 && source.nodes && earliest && earliest.size < size) {
      try {
        verifyConsistency(earliest.size, size, earliest.rootHash, compactRangeRoot(range), consistencyProofFrom(source.nodes, earliest.size, size));
      } catch {
        add(earliest.size, 'nodes-damaged', `the stored tree nodes do not prove checkpoint size ${earliest.size} consistent with the log`);
      }
    }

    // External checkpoints: the current log must extend each one.
    const externalResults: VerifyReport['external'] = [];
    const matchedExternal = external
      .filter((e) => e.checkpoint && e.checkpoint.size <= size && bytesEqual(roots.get(e.checkpoint.size)!, e.checkpoint.rootHash))
      .map((e) => e.checkpoint!.size);
    for (const { ext, checkpoint } of external) {
      if (!checkpoint) {
        externalResults.push({ label: ext.label, size: null, ok: false });
        continue;
      }
      if (checkpoint.size > size) {
        add(size, 'truncated', `the log has ${size} leaves but checkpoint ${ext.label} covers ${checkpoint.size}: truncated or rolled back to an older copy from leaf ${size}`);
        externalResults.push({ label: ext.label, size: checkpoint.size, ok: false });
      } else if (!bytesEqual(roots.get(checkpoint.size)!, checkpoint.rootHash)) {
        const from = Math.max(0, ...matchedExternal.filter((s) => s < checkpoint.size));
        add(from, 'fork', `the log does not extend checkpoint ${ext.label} (size ${checkpoint.size}): history from leaf ${from} to ${checkpoint.size - 1} was rewritten (a fork)`);
        externalResults.push({ label: ext.label, size: checkpoint.size, ok: false });
      } else {
        if (problems.length === 0 && source.nodes && checkpoint.size > 0 && checkpoint.size < size) {
          try {
            verifyConsistency(checkpoint.size, size, checkpoint.rootHash, compactRangeRoot(range), consistencyProofFrom(source.nodes, checkpoint.size, size));
          } catch {
            add(checkpoint.size, 'nodes-damaged', `the stored tree nodes do not prove the log consistent with checkpoint ${ext.label}`);
          }
        }
        externalResults.push({ label: ext.label, size: checkpoint.size, ok: true });
      }
    }
    const last = stored.filter((s) => s.checkpoint).at(-1);
    const lastCheckpoint = last ? { size: last.row.size, ts: last.row.ts } : (resume?.lastCheckpoint ?? null);
    const checkpoints = (resume?.checkpoints ?? 0) + stored.length;
    const done = report(size, range, { checkpoints, lastCheckpoint, external: externalResults });
    if (!done.ok) return noState(done);
    roots.set(size, compactRangeRoot(range));
    return {
      report: done,
      state: {
        workstationId,
        devicePublicKey: publicKey,
        leafContents: contents,
        range,
        prevTs,
        roots,
        lastCheckpointId: rows.at(-1)?.id ?? resume?.lastCheckpointId ?? 0,
        previous,
        lastGood,
        earliestGood: earliest,
        checkpoints,
        lastCheckpoint,
      },
    };
  } catch (error) {
    // A page that fails SQLCipher's HMAC, a missing table, a malformed file: all damage, never a crash.
    const detail = isRwError(error) ? error.message : error instanceof Error ? error.message.split('\n')[0] : 'unreadable';
    add(tree.size, 'database-damaged', `the audit database is damaged (${detail})`);
    return noState(report(tree.size, tree.range()));
  }
}
