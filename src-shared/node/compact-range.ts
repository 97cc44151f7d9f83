/**
 * A compact range over leaves [0, n) of an RFC 9162 Merkle tree: the roots of the perfect subtrees that
 * n's binary decomposition gives, left to right (largest first). It is all an append-only log needs to
 * add a leaf in O(log n) and produce the current root, and it is small enough to persist beside each
 * checkpoint, so the audit log never rereads its leaves to extend the tree.
 */
import { RwError } from '../errors';
import { fromBase64, toBase64 } from '../encoding';
import { emptyRoot, MERKLE_HASH_SIZE, nodeHash } from './merkle';

export interface CompactRange {
  /** Number of leaves covered: the range is [0, size). */
  readonly size: number;
  /** One hash per set bit of size, for the perfect subtrees from the largest (leftmost) to the smallest. */
  readonly hashes: readonly Uint8Array[];
}

/** Called for every node an append creates: the new leaf (level 0) and each completed parent. */
export type MerkleNodeVisitor = (level: number, index: number, hash: Uint8Array) => void;

export interface SerializedCompactRange {
  size: number;
  /** Standard base64 of each hash, in CompactRange order. */
  hashes: string[];
}

function popCount(n: number): number {
  let count = 0;
  for (let v = n; v > 0; v = Math.floor(v / 2)) count += v % 2;
  return count;
}

export function emptyCompactRange(): CompactRange {
  return { size: 0, hashes: [] };
}

/**
 * The range extended by one leaf hash. O(log n): the new leaf merges with one trailing subtree per
 * trailing one bit of the old size (each merge completes a perfect subtree one level up).
 */
export function appendLeaf(range: CompactRange, leafHash: Uint8Array, onNode?: MerkleNodeVisitor): CompactRange {
  if (leafHash.byteLength !== MERKLE_HASH_SIZE) throw new RwError('INVALID_INPUT', `A leaf hash must be ${MERKLE_HASH_SIZE} bytes.`);
  if (range.size >= Number.MAX_SAFE_INTEGER) throw new RwError('INVALID_INPUT', 'The Merkle tree is full.');
  const hashes = range.hashes.slice();
  let hash = leafHash;
  let index = range.size;
  let level = 0;
  onNode?.(0, index, hash);
  while (index % 2 === 1) {
    hash = nodeHash(hashes.pop()!, hash);
    index = (index - 1) / 2;
    level++;
    onNode?.(level, index, hash);
  }
  hashes.push(hash);
  return { size: range.size + 1, hashes };
}

/**
 * Where each hash of the range sits in the tree: the perfect subtree of 2^level leaves starting at leaf
 * index × 2^level. Every left sibling, inside [0, size), of a leaf appended after size is one of these,
 * so proofs for new leaves need no older node beyond the range.
 */
export function compactRangeNodes(range: CompactRange): [level: number, index: number, hash: Uint8Array][] {
  const out: [number, number, Uint8Array][] = [];
  let start = 0;
  let at = 0;
  for (let level = Math.floor(Math.log2(Math.max(1, range.size))); level >= 0 && at < range.hashes.length; level--) {
    const width = 2 ** level;
    if (Math.floor(range.size / width) % 2 === 1) {
      out.push([level, start / width, range.hashes[at++]!]);
      start += width;
    }
  }
  return out;
}

/** The compact range over all the given leaf hashes (O(n) hashing). */
export function compactRangeFromLeaves(leafHashes: Iterable<Uint8Array>, onNode?: MerkleNodeVisitor): CompactRange {
  let range = emptyCompactRange();
  for (const leaf of leafHashes) range = appendLeaf(range, leaf, onNode);
  return range;
}

/** RFC 9162 §2.1.1 root of [0, size): the subtrees folded right to left; the empty tree's hash for size 0. */
export function compactRangeRoot(range: CompactRange, hashNodes: (left: Uint8Array, right: Uint8Array) => Uint8Array = nodeHash): Uint8Array {
  const { hashes } = range;
  if (hashes.length === 0) return emptyRoot();
  let root = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) root = hashNodes(hashes[i]!, root);
  return root;
}

export function serializeCompactRange(range: CompactRange): SerializedCompactRange {
  return { size: range.size, hashes: range.hashes.map((h) => toBase64(h)) };
}

/**
 * Read a persisted compact range, refusing anything that cannot be one (the hash count must equal the
 * number of set bits of size, every hash 32 bytes). Throws RwError('INVALID_INPUT').
 */
export function parseCompactRange(value: unknown): CompactRange {
  const v = value as Partial<SerializedCompactRange> | null;
  if (typeof v !== 'object' || v === null || !Number.isSafeInteger(v.size) || (v.size as number) < 0 || !Array.isArray(v.hashes)) {
    throw new RwError('INVALID_INPUT', 'Not a compact range: expected {size, hashes}.');
  }
  const size = v.size as number;
  if (v.hashes.length !== popCount(size)) {
    throw new RwError('INVALID_INPUT', 'Not a compact range: the hash count does not match the size.', { size, hashes: v.hashes.length });
  }
  const hashes = v.hashes.map((h: unknown) => {
    const bytes = typeof h === 'string' ? fromBase64(h) : new Uint8Array(0);
    if (bytes.byteLength !== MERKLE_HASH_SIZE) throw new RwError('INVALID_INPUT', `Not a compact range: each hash must be ${MERKLE_HASH_SIZE} bytes.`);
    return bytes;
  });
  return { size, hashes };
}
