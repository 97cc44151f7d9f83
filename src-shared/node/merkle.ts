/**
 * RFC 6962 / RFC 9162 §2.1 Merkle tree hashing, proof generation and proof verification: the structure of
 * the tamper-evident access log and of anything checked against a witnessed checkpoint.
 *
 * Sizes and indices are JavaScript numbers that must be safe integers; the code never uses 32-bit bitwise
 * operators on them, so trees beyond 2^31 leaves stay correct.
 *
 * Error contract of the verifiers (they return nothing on success):
 * - RwError('INVALID_INPUT') when the question itself is malformed: sizes/indices not safe non-negative
 *   integers, a leaf index outside the tree, size1 > size2, a consistency proof from size 0 (it proves
 *   nothing: every tree extends the empty tree), a leaf hash or proof element that is not 32 bytes;
 * - RwError('LOG_DAMAGED') when the proof does not prove the claim (wrong length, wrong hashes, roots that
 *   do not match): the log or whoever served the proof is lying or broken.
 */
import { RwError } from '../errors';
import { sha256 } from './crypto';
import { bytesEqual } from '../encoding';

export const MERKLE_HASH_SIZE = 32;

const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);

/** RFC 9162 §2.1.1: MTH({d}) = SHA-256(0x00 || d). The prefix keeps leaves and nodes from being confused (second preimages). */
export function leafHash(data: Uint8Array): Uint8Array {
  return sha256(LEAF_PREFIX, data);
}

/** RFC 9162 §2.1.1: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(NODE_PREFIX, left, right);
}

/** RFC 9162 §2.1.1: the hash of the empty tree is SHA-256 of the empty string. */
export function emptyRoot(): Uint8Array {
  return sha256();
}

// ---- size arithmetic without 32-bit bitwise operators ----

function isOdd(x: number): boolean {
  return x % 2 === 1;
}

function half(x: number): number {
  return Math.floor(x / 2);
}

/** The largest power of two strictly below n (n >= 2): the RFC's split point k. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The largest power of two not above n (n >= 1). */
function largestPow2AtMost(n: number): number {
  let k = 1;
  while (k * 2 <= n) k *= 2;
  return k;
}

function log2Exact(powerOfTwo: number): number {
  let level = 0;
  for (let v = powerOfTwo; v > 1; v /= 2) level++;
  return level;
}

function requireSize(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RwError('INVALID_INPUT', `Merkle ${name} must be a non-negative integer.`, { [name]: String(value) });
}

function requireHash(hash: Uint8Array, name: string): void {
  if (hash.byteLength !== MERKLE_HASH_SIZE) throw new RwError('INVALID_INPUT', `Merkle ${name} must be ${MERKLE_HASH_SIZE} bytes.`, { length: hash.byteLength });
}

function damaged(message: string): never {
  throw new RwError('LOG_DAMAGED', message);
}

// ---- node sources and subtree hashes ----

/**
 * Where proofs get their hashes from. getNode(level, index) is the root of the perfect subtree over leaves
 * [index·2^level, (index+1)·2^level); level 0 is the leaf hashes themselves. A store that keeps interior
 * nodes (e.g. from CompactRange's onNode callback) answers in O(1) and proofs cost O(log n) lookups.
 */
export interface MerkleNodeSource {
  getNode(level: number, index: number): Uint8Array;
}

/**
 * A node source that only knows leaf hashes: perfect subtrees are recomputed from their leaves with a
 * stack of at most `level` hashes (O(2^level) hashing, no per-level arrays), so a proof over n leaves
 * costs O(n) hashing in total.
 */
export function nodeSourceFromLeaves(getLeafHash: (index: number) => Uint8Array): MerkleNodeSource {
  return {
    getNode(level, index) {
      const count = 2 ** level;
      const begin = index * count;
      const stack: Uint8Array[] = [];
      for (let j = 0; j < count; j++) {
        let hash = getLeafHash(begin + j);
        // Merge once per trailing one bit of j: the classic compact-range append.
        for (let m = j; isOdd(m); m = half(m)) hash = nodeHash(stack.pop()!, hash);
        stack.push(hash);
      }
      return stack[0]!;
    },
  };
}

function arraySource(leafHashes: readonly Uint8Array[]): MerkleNodeSource {
  return nodeSourceFromLeaves((i) => {
    const hash = leafHashes[i];
    if (hash === undefined) throw new RwError('INVALID_INPUT', 'Merkle leaf index outside the leaf list.', { index: i });
    return hash;
  });
}

/**
 * MTH of leaves [begin, end), where begin is a multiple of the smallest power of two >= end - begin (true of
 * every range the RFC's recursive definitions visit). The range splits into perfect subtrees of decreasing
 * size; folding them right to left reproduces RFC 9162 §2.1.1's "largest power of two less than n" split.
 */
function rangeHash(source: MerkleNodeSource, begin: number, end: number): Uint8Array {
  if (end === begin) return emptyRoot();
  const pieces: Uint8Array[] = [];
  for (let at = begin; at < end; ) {
    const size = largestPow2AtMost(end - at);
    pieces.push(source.getNode(log2Exact(size), at / size));
    at += size;
  }
  let hash = pieces[pieces.length - 1]!;
  for (let i = pieces.length - 2; i >= 0; i--) hash = nodeHash(pieces[i]!, hash);
  return hash;
}

/** MTH(D[0:size]) from a node source. */
export function rootFrom(source: MerkleNodeSource, size: number): Uint8Array {
  requireSize(size, 'size');
  return rangeHash(source, 0, size);
}

/** MTH over all the given leaf hashes: O(n) hashing, O(log n) memory. */
export function rootOf(leafHashes: readonly Uint8Array[]): Uint8Array {
  return rangeHash(arraySource(leafHashes), 0, leafHashes.length);
}

// ---- proof generation (RFC 9162 §2.1.3.1 and §2.1.4.1) ----

/** Audit path for leaf `index` in the tree of the first `size` leaves. */
export function inclusionProofFrom(source: MerkleNodeSource, index: number, size: number): Uint8Array[] {
  requireSize(index, 'index');
  requireSize(size, 'size');
  if (index >= size) throw new RwError('INVALID_INPUT', 'Merkle leaf index is outside the tree.', { index, size });
  return auditPath((begin, end) => rangeHash(source, begin, end), index, size);
}

/**
 * Audit paths for several leaves of the same tree (a batch's receipts): the same as inclusionProofFrom
 * for each, with the hash of each range that is not a perfect subtree (the tree's right edge, which every
 * new leaf's path crosses) computed once for all of them.
 */
export function inclusionProofsFrom(source: MerkleNodeSource, indexes: readonly number[], size: number): Uint8Array[][] {
  requireSize(size, 'size');
  // A range that is not a perfect subtree always ends at `size` (a path only descends into perfect
  // subtrees or into such a right part), so its start names it.
  const rightEdge = new Map<number, Uint8Array>();
  const range = (begin: number, end: number): Uint8Array => {
    if (largestPow2AtMost(end - begin) === end - begin) return rangeHash(source, begin, end);
    let hash = rightEdge.get(begin);
    if (hash === undefined) rightEdge.set(begin, (hash = rangeHash(source, begin, end)));
    return hash;
  };
  return indexes.map((index) => {
    requireSize(index, 'index');
    if (index >= size) throw new RwError('INVALID_INPUT', 'Merkle leaf index is outside the tree.', { index, size });
    return auditPath(range, index, size);
  });
}

/** RFC 9162 §2.1.3.1 PATH(m, D[0:n]) over a range-hash function. */
function auditPath(range: (begin: number, end: number) => Uint8Array, index: number, size: number): Uint8Array[] {
  const path = (m: number, begin: number, n: number): Uint8Array[] => {
    if (n === 1) return [];
    const k = splitPoint(n);
    if (m < k) {
      const proof = path(m, begin, k);
      proof.push(range(begin + k, begin + n));
      return proof;
    }
    const proof = path(m - k, begin + k, n - k);
    proof.push(range(begin, begin + k));
    return proof;
  };
  return path(index, 0, size);
}

/** Consistency proof between the trees of the first size1 and size2 leaves (0 < size1 <= size2). */
export function consistencyProofFrom(source: MerkleNodeSource, size1: number, size2: number): Uint8Array[] {
  requireSize(size1, 'size1');
  requireSize(size2, 'size2');
  if (size1 === 0) throw new RwError('INVALID_INPUT', 'A consistency proof from the empty tree proves nothing.');
  if (size1 > size2) throw new RwError('INVALID_INPUT', 'Merkle size1 is larger than size2.', { size1, size2 });
  const subproof = (m: number, begin: number, n: number, complete: boolean): Uint8Array[] => {
    if (m === n) return complete ? [] : [rangeHash(source, begin, begin + n)];
    const k = splitPoint(n);
    if (m <= k) {
      const proof = subproof(m, begin, k, complete);
      proof.push(rangeHash(source, begin + k, begin + n));
      return proof;
    }
    const proof = subproof(m - k, begin + k, n - k, false);
    proof.push(rangeHash(source, begin, begin + k));
    return proof;
  };
  return subproof(size1, 0, size2, true);
}

/** Audit path for leaf `index` among `leafHashes` (tree size defaults to all of them). */
export function inclusionProof(leafHashes: readonly Uint8Array[], index: number, treeSize: number = leafHashes.length): Uint8Array[] {
  if (treeSize > leafHashes.length) throw new RwError('INVALID_INPUT', 'Merkle tree size exceeds the leaf list.', { treeSize });
  return inclusionProofFrom(arraySource(leafHashes), index, treeSize);
}

/** Consistency proof from size1 to size2 (default: all of `leafHashes`). */
export function consistencyProof(leafHashes: readonly Uint8Array[], size1: number, size2: number = leafHashes.length): Uint8Array[] {
  if (size2 > leafHashes.length) throw new RwError('INVALID_INPUT', 'Merkle size2 exceeds the leaf list.', { size2 });
  return consistencyProofFrom(arraySource(leafHashes), size1, size2);
}

// ---- verification (RFC 9162 §2.1.3.2 and §2.1.4.2) ----

/**
 * The root that `proof` implies for `hash` at `leafIndex` in a tree of `treeSize` leaves.
 * Throws INVALID_INPUT / LOG_DAMAGED as described at the top of this file.
 */
export function rootFromInclusionProof(leafIndex: number, treeSize: number, hash: Uint8Array, proof: readonly Uint8Array[]): Uint8Array {
  requireSize(leafIndex, 'leafIndex');
  requireSize(treeSize, 'treeSize');
  if (leafIndex >= treeSize) throw new RwError('INVALID_INPUT', 'Merkle leaf index is outside the tree.', { leafIndex, treeSize });
  requireHash(hash, 'leaf hash');
  proof.forEach((p) => requireHash(p, 'proof element'));
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = hash;
  for (const p of proof) {
    if (sn === 0) damaged('The inclusion proof is longer than the tree allows.');
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) damaged('The inclusion proof is shorter than the tree requires.');
  return r;
}

/** Check that `hash` is leaf `leafIndex` of the tree of size `treeSize` with root `root`. Returns nothing; throws on failure. */
export function verifyInclusion(leafIndex: number, treeSize: number, hash: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): void {
  const computed = rootFromInclusionProof(leafIndex, treeSize, hash, proof);
  if (!bytesEqual(computed, root)) damaged('The inclusion proof does not lead to the expected root.');
}

/**
 * Check that the tree (size2, root2) extends the tree (size1, root1). Returns nothing; throws on failure.
 * size1 === size2 needs an empty proof and equal roots; size1 === 0 is refused (INVALID_INPUT).
 */
export function verifyConsistency(size1: number, size2: number, root1: Uint8Array, root2: Uint8Array, proof: readonly Uint8Array[]): void {
  requireSize(size1, 'size1');
  requireSize(size2, 'size2');
  if (size1 > size2) throw new RwError('INVALID_INPUT', 'Merkle size1 is larger than size2.', { size1, size2 });
  if (size1 === 0) throw new RwError('INVALID_INPUT', 'A consistency proof from the empty tree proves nothing.');
  if (size1 === size2) {
    if (proof.length !== 0) damaged('A consistency proof between equal sizes must be empty.');
    if (!bytesEqual(root1, root2)) damaged('Two roots for the same tree size differ.');
    return;
  }
  if (proof.length === 0) damaged('The consistency proof is empty.');
  proof.forEach((p) => requireHash(p, 'proof element'));
  // §2.1.4.2 step 2: when size1 is a power of two, the old root itself is the first node of the path.
  const path = largestPow2AtMost(size1) === size1 ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) damaged('The consistency proof is longer than the trees allow.');
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) damaged('The consistency proof is shorter than the trees require.');
  if (!bytesEqual(fr, root1)) damaged('The consistency proof does not lead to the old root.');
  if (!bytesEqual(sr, root2)) damaged('The consistency proof does not lead to the new root.');
}
