import { describe, expect, it } from 'vitest';
import {
  appendLeaf,
  compactRangeFromLeaves,
  compactRangeNodes,
  compactRangeRoot,
  emptyCompactRange,
  parseCompactRange,
  serializeCompactRange,
  type CompactRange,
} from '../../../../src-shared/node/compact-range';
import {
  consistencyProof,
  consistencyProofFrom,
  emptyRoot,
  inclusionProof,
  inclusionProofFrom,
  leafHash,
  nodeSourceFromLeaves,
  rootFrom,
  rootOf,
  verifyConsistency,
  verifyInclusion,
  type MerkleNodeSource,
} from '../../../../src-shared/node/merkle';
import { toBase64, toHex, utf8 } from '../../../../src-shared/encoding';

const leaves = Array.from({ length: 70 }, (_, i) => leafHash(utf8(`event ${i}`)));

/** A node store fed by appendLeaf's visitor: one flat buffer per level, 32 bytes per node. */
function nodeStore(capacity: number) {
  const levels: Uint8Array[] = [];
  for (let size = capacity, level = 0; size >= 1; size = Math.floor(size / 2), level++) levels.push(new Uint8Array(size * 32));
  const source: MerkleNodeSource = {
    getNode(level, index) {
      return levels[level]!.subarray(index * 32, index * 32 + 32);
    },
  };
  return { visit: (level: number, index: number, hash: Uint8Array) => levels[level]!.set(hash, index * 32), source };
}

describe('compact range', () => {
  it('yields the RFC 9162 root after every append, including the empty tree', () => {
    let range: CompactRange = emptyCompactRange();
    expect(toHex(compactRangeRoot(range))).toBe(toHex(emptyRoot()));
    leaves.forEach((leaf, i) => {
      range = appendLeaf(range, leaf);
      expect(range.size).toBe(i + 1);
      expect(toHex(compactRangeRoot(range)), `size ${i + 1}`).toBe(toHex(rootOf(leaves.slice(0, i + 1))));
    });
  });

  it('holds one hash per set bit of the size', () => {
    const range = compactRangeFromLeaves(leaves.slice(0, 13)); // 0b1101
    expect(range.hashes.map(toHex)).toEqual([rootOf(leaves.slice(0, 8)), rootOf(leaves.slice(8, 12)), leaves[12]!].map(toHex));
  });

  it('does not change the range it extends', () => {
    const before = compactRangeFromLeaves(leaves.slice(0, 3));
    const snapshot = before.hashes.map(toHex);
    appendLeaf(before, leaves[3]!);
    expect(before.size).toBe(3);
    expect(before.hashes.map(toHex)).toEqual(snapshot);
  });

  it('survives serialisation and resumes appending from the persisted form', () => {
    const first = compactRangeFromLeaves(leaves.slice(0, 37));
    const restored = parseCompactRange(JSON.parse(JSON.stringify(serializeCompactRange(first))));
    expect(restored.size).toBe(37);
    const resumed = leaves.slice(37).reduce((r, leaf) => appendLeaf(r, leaf), restored);
    expect(toHex(compactRangeRoot(resumed))).toBe(toHex(rootOf(leaves)));
  });

  it('reports every created node so a store can answer proofs in O(log n)', () => {
    const store = nodeStore(64);
    compactRangeFromLeaves(leaves.slice(0, 64), store.visit);
    const fromLeaves = nodeSourceFromLeaves((i) => leaves[i]!);
    for (const [level, index] of [[0, 5], [1, 3], [3, 7], [5, 1], [6, 0]] as const) {
      expect(toHex(store.source.getNode(level, index))).toBe(toHex(fromLeaves.getNode(level, index)));
    }
    for (const n of [1, 17, 40, 64]) {
      expect(inclusionProofFrom(store.source, n - 1, n).map(toHex)).toEqual(inclusionProof(leaves, n - 1, n).map(toHex));
      expect(consistencyProofFrom(store.source, 1, n).map(toHex)).toEqual(consistencyProof(leaves, 1, n).map(toHex));
    }
  });

  const h = toBase64(leaves[0]!);
  it.each([
    ['null', null],
    ['a string', 'x'],
    ['a negative size', { size: -1, hashes: [] }],
    ['a fractional size', { size: 1.5, hashes: [h] }],
    ['missing hashes', { size: 0 }],
    ['too few hashes for the size', { size: 3, hashes: [h] }],
    ['too many hashes for the size', { size: 4, hashes: [h, h] }],
    ['a short hash', { size: 1, hashes: [toBase64(new Uint8Array(31))] }],
    ['a hash that is not base64', { size: 1, hashes: ['***'] }],
    ['a hash that is not a string', { size: 1, hashes: [7] }],
  ])('refuses to parse %s', (_name, value) => {
    expect(() => parseCompactRange(value)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('places its hashes in the tree, and they are every older node the proofs of later leaves need', () => {
    for (let old = 0; old <= 40; old++) {
      const range = compactRangeFromLeaves(leaves.slice(0, old));
      const known = new Map(compactRangeNodes(range).map(([level, index, hash]) => [`${level}:${index}`, hash]));
      const fromLeaves = nodeSourceFromLeaves((i) => leaves[i]!);
      for (const [id, hash] of known) {
        const [level, index] = id.split(':').map(Number) as [number, number];
        expect(toHex(hash), `size ${old} node ${id}`).toBe(toHex(fromLeaves.getNode(level, index)));
      }
      // Appending up to 70 leaves: the proofs of the new leaves need only the range's nodes and new ones.
      let grown = range;
      grown = leaves.slice(old).reduce((r, leaf) => appendLeaf(r, leaf, (level, index, hash) => known.set(`${level}:${index}`, hash)), grown);
      const source: MerkleNodeSource = {
        getNode(level, index) {
          const hash = known.get(`${level}:${index}`);
          if (!hash) throw new Error(`size ${old}: node ${level}:${index} is not known`);
          return hash;
        },
      };
      for (let index = old; index < leaves.length; index += 7) {
        expect(inclusionProofFrom(source, index, grown.size).map(toHex)).toEqual(inclusionProof(leaves, index).map(toHex));
      }
    }
  });

  it('refuses a leaf hash that is not 32 bytes', () => {
    expect(() => appendLeaf(emptyCompactRange(), new Uint8Array(31))).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('handles a million-leaf log: O(log n) appends, stored-node proofs, and a proof straight from leaf hashes', () => {
    const n = 2 ** 20 + 3;
    const leafOf = (i: number) => {
      const hash = new Uint8Array(32);
      new DataView(hash.buffer).setFloat64(0, i);
      return hash;
    };
    const store = nodeStore(n);
    let range = emptyCompactRange();
    for (let i = 0; i < n; i++) range = appendLeaf(range, leafOf(i), store.visit);
    const root = compactRangeRoot(range);
    expect(range.hashes).toHaveLength(3);
    expect(toHex(rootFrom(store.source, n))).toBe(toHex(root));

    const index = 654_321;
    const proof = inclusionProofFrom(store.source, index, n);
    expect(() => verifyInclusion(index, n, leafOf(index), proof, root)).not.toThrow();
    const old = rootFrom(store.source, 1_000_000);
    expect(() => verifyConsistency(1_000_000, n, old, root, consistencyProofFrom(store.source, 1_000_000, n))).not.toThrow();

    // The same proof computed from leaf hashes alone (O(n) hashing, O(log n) memory).
    const direct = inclusionProofFrom(nodeSourceFromLeaves(leafOf), index, n);
    expect(direct.map(toHex)).toEqual(proof.map(toHex));
  });
});
