import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  emptyRoot,
  inclusionProof,
  inclusionProofsFrom,
  leafHash,
  nodeHash,
  nodeSourceFromLeaves,
  rootFrom,
  rootFromInclusionProof,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from '../../../../src-shared/node/merkle';
import { sha256 } from '../../../../src-shared/node/crypto';
import { toHex, utf8 } from '../../../../src-shared/encoding';

// An independent oracle: RFC 9162 §2.1.1/§2.1.3.1/§2.1.4.1 transcribed literally over array slices.
function k(n: number): number {
  let p = 1;
  while (p * 2 < n) p *= 2;
  return p;
}
function mth(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return sha256(new Uint8Array(0));
  if (d.length === 1) return d[0]!;
  const s = k(d.length);
  return sha256(new Uint8Array([1]), mth(d.slice(0, s)), mth(d.slice(s)));
}
function refPath(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length === 1) return [];
  const s = k(d.length);
  return m < s ? [...refPath(m, d.slice(0, s)), mth(d.slice(s))] : [...refPath(m - s, d.slice(s)), mth(d.slice(0, s))];
}
function refSubproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const s = k(d.length);
  return m <= s ? [...refSubproof(m, d.slice(0, s), b), mth(d.slice(s))] : [...refSubproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
}

const leaves = Array.from({ length: 40 }, (_, i) => leafHash(utf8(`entry ${i}`)));
const hex = (list: Uint8Array[]) => list.map(toHex);

describe('merkle hashing', () => {
  it('prefixes leaves with 0x00 and nodes with 0x01, and hashes the empty tree as SHA-256("")', () => {
    const d = utf8('abc');
    expect(toHex(leafHash(d))).toBe(toHex(sha256(new Uint8Array([0]), d)));
    expect(toHex(nodeHash(leaves[0]!, leaves[1]!))).toBe(toHex(sha256(new Uint8Array([1]), leaves[0]!, leaves[1]!)));
    expect(toHex(emptyRoot())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('computes the same root as the RFC definition for every size from 0 to 40', () => {
    for (let n = 0; n <= 40; n++) expect(toHex(rootOf(leaves.slice(0, n))), `size ${n}`).toBe(toHex(mth(leaves.slice(0, n))));
  });

  it('computes roots of prefixes from a node source', () => {
    const source = nodeSourceFromLeaves((i) => leaves[i]!);
    for (const n of [0, 1, 2, 3, 7, 8, 9, 31, 32, 33]) expect(toHex(rootFrom(source, n))).toBe(toHex(mth(leaves.slice(0, n))));
  });
});

describe('inclusion proofs', () => {
  it('generates a batch of audit paths at once, each the RFC path (the right edge hashed once for all)', () => {
    const source = nodeSourceFromLeaves((i) => leaves[i]!);
    for (const n of [1, 2, 5, 13, 32, 33]) {
      const indexes = Array.from({ length: n }, (_, m) => m);
      expect(inclusionProofsFrom(source, indexes, n).map(hex), `size ${n}`).toEqual(indexes.map((m) => hex(refPath(m, leaves.slice(0, n)))));
    }
    expect(() => inclusionProofsFrom(source, [3], 3)).toThrow(/outside the tree/);
  });

  it('generates the RFC audit path for every leaf of every size up to 33, and each verifies', () => {
    for (let n = 1; n <= 33; n++) {
      const tree = leaves.slice(0, n);
      const root = mth(tree);
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(leaves, m, n);
        expect(hex(proof), `leaf ${m} of ${n}`).toEqual(hex(refPath(m, tree)));
        expect(() => verifyInclusion(m, n, leaves[m]!, proof, root)).not.toThrow();
        expect(toHex(rootFromInclusionProof(m, n, leaves[m]!, proof))).toBe(toHex(root));
      }
    }
  });

  it('refuses every single-bit change to a proof element, the leaf or the root', () => {
    const n = 21;
    const root = rootOf(leaves.slice(0, n));
    for (const m of [0, 5, 16, 20]) {
      const proof = inclusionProof(leaves, m, n);
      proof.forEach((_, i) => {
        const bad = proof.map((p) => p.slice());
        bad[i]![7]! ^= 0x10;
        expect(() => verifyInclusion(m, n, leaves[m]!, bad, root)).toThrowError(expect.objectContaining({ code: 'LOG_DAMAGED' }));
      });
      const badLeaf = leaves[m]!.slice();
      badLeaf[0]! ^= 1;
      expect(() => verifyInclusion(m, n, badLeaf, proof, root)).toThrowError(expect.objectContaining({ code: 'LOG_DAMAGED' }));
      const badRoot = root.slice();
      badRoot[31]! ^= 1;
      expect(() => verifyInclusion(m, n, leaves[m]!, proof, badRoot)).toThrowError(expect.objectContaining({ code: 'LOG_DAMAGED' }));
    }
  });

  const root7 = rootOf(leaves.slice(0, 7));
  const proof3 = inclusionProof(leaves, 3, 7);
  it.each([
    ['a proof for another index', () => verifyInclusion(2, 7, leaves[3]!, proof3, root7), 'LOG_DAMAGED'],
    ['a proof with an extra element', () => verifyInclusion(3, 7, leaves[3]!, [...proof3, leaves[0]!], root7), 'LOG_DAMAGED'],
    ['a truncated proof', () => verifyInclusion(3, 7, leaves[3]!, proof3.slice(0, -1), root7), 'LOG_DAMAGED'],
    ['a smaller claimed tree size', () => verifyInclusion(3, 4, leaves[3]!, proof3, root7), 'LOG_DAMAGED'],
    ['an index equal to the size', () => verifyInclusion(7, 7, leaves[3]!, proof3, root7), 'INVALID_INPUT'],
    ['an empty tree', () => verifyInclusion(0, 0, leaves[0]!, [], emptyRoot()), 'INVALID_INPUT'],
    ['a negative index', () => verifyInclusion(-1, 7, leaves[3]!, proof3, root7), 'INVALID_INPUT'],
    ['a fractional size', () => verifyInclusion(3, 7.5, leaves[3]!, proof3, root7), 'INVALID_INPUT'],
    ['an unsafe size', () => verifyInclusion(3, 2 ** 60, leaves[3]!, proof3, root7), 'INVALID_INPUT'],
    ['a short leaf hash', () => verifyInclusion(3, 7, leaves[3]!.subarray(1), proof3, root7), 'INVALID_INPUT'],
    ['a short proof element', () => verifyInclusion(3, 7, leaves[3]!, [proof3[0]!.subarray(1), ...proof3.slice(1)], root7), 'INVALID_INPUT'],
    ['generating for an index past the end', () => inclusionProof(leaves, 7, 7), 'INVALID_INPUT'],
    ['generating for a size past the leaf list', () => inclusionProof(leaves, 0, 41), 'INVALID_INPUT'],
  ])('refuses %s', (_name, run, code) => {
    expect(run).toThrowError(expect.objectContaining({ code }));
  });

  it('verifies sizes beyond 2^32 without 32-bit overflow', () => {
    // A tree of 2^33 + 1 leaves: the last leaf's path is the single left sibling of size 2^33.
    const n = 2 ** 33 + 1;
    const left = sha256(utf8('left subtree'));
    const last = leaves[0]!;
    expect(() => verifyInclusion(n - 1, n, last, [left], nodeHash(left, last))).not.toThrow();
    expect(() => verifyInclusion(n - 2, n, last, [left], nodeHash(left, last))).toThrowError(expect.objectContaining({ code: 'LOG_DAMAGED' }));
  });
});

describe('consistency proofs', () => {
  it('generates the RFC proof for every pair of sizes up to 33, and each verifies', () => {
    for (let n = 1; n <= 33; n++) {
      const root2 = mth(leaves.slice(0, n));
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(leaves, m, n);
        expect(hex(proof), `${m} -> ${n}`).toEqual(hex(refSubproof(m, leaves.slice(0, n), true)));
        expect(() => verifyConsistency(m, n, mth(leaves.slice(0, m)), root2, proof)).not.toThrow();
      }
    }
  });

  it('refuses every single-bit change to a proof element and either root', () => {
    for (const [m, n] of [[3, 7], [4, 9], [6, 8], [13, 31]] as const) {
      const root1 = rootOf(leaves.slice(0, m));
      const root2 = rootOf(leaves.slice(0, n));
      const proof = consistencyProof(leaves, m, n);
      proof.forEach((_, i) => {
        const bad = proof.map((p) => p.slice());
        bad[i]![0]! ^= 0x80;
        expect(() => verifyConsistency(m, n, root1, root2, bad)).toThrowError(expect.objectContaining({ code: 'LOG_DAMAGED' }));
      });
      const bad1 = root1.slice();
      bad1[3]! ^= 1;
      const bad2 = root2.slice();
      bad2[3]! ^= 1;
      expect(() => verifyConsistency(m, n, bad1, root2, proof)).toThrowError(expect.objectContaining({ code: 'LOG_DAMAGED' }));
      expect(() => verifyConsistency(m, n, root1, bad2, proof)).toThrowError(expect.objectContaining({ code: 'LOG_DAMAGED' }));
    }
  });

  it('does not accept a rewritten history', () => {
    const forked = leaves.slice(0, 10);
    forked[2] = leafHash(utf8('rewritten'));
    const proof = consistencyProof(forked, 5, 10);
    expect(() => verifyConsistency(5, 10, rootOf(leaves.slice(0, 5)), rootOf(forked), proof)).toThrowError(expect.objectContaining({ code: 'LOG_DAMAGED' }));
  });

  const r3 = rootOf(leaves.slice(0, 3));
  const r7 = rootOf(leaves.slice(0, 7));
  const p37 = consistencyProof(leaves, 3, 7);
  it.each([
    ['a proof from size 0', () => verifyConsistency(0, 7, emptyRoot(), r7, []), 'INVALID_INPUT'],
    ['sizes 0 and 0', () => verifyConsistency(0, 0, emptyRoot(), emptyRoot(), []), 'INVALID_INPUT'],
    ['size1 above size2', () => verifyConsistency(7, 3, r7, r3, p37), 'INVALID_INPUT'],
    ['equal sizes with different roots', () => verifyConsistency(3, 3, r3, r7, []), 'LOG_DAMAGED'],
    ['equal sizes with a non-empty proof', () => verifyConsistency(3, 3, r3, r3, [r3]), 'LOG_DAMAGED'],
    ['an empty proof between different sizes', () => verifyConsistency(3, 7, r3, r7, []), 'LOG_DAMAGED'],
    ['swapped roots', () => verifyConsistency(3, 7, r7, r3, p37), 'LOG_DAMAGED'],
    ['a wrong size2', () => verifyConsistency(3, 4, r3, r7, p37), 'LOG_DAMAGED'],
    ['a trailing extra element', () => verifyConsistency(3, 7, r3, r7, [...p37, r3]), 'LOG_DAMAGED'],
    ['a short proof element', () => verifyConsistency(3, 7, r3, r7, [p37[0]!.subarray(2), ...p37.slice(1)]), 'INVALID_INPUT'],
    ['generating from size 0', () => consistencyProof(leaves, 0, 7), 'INVALID_INPUT'],
    ['generating with size1 above size2', () => consistencyProof(leaves, 8, 7), 'INVALID_INPUT'],
    ['generating past the leaf list', () => consistencyProof(leaves, 3, 41), 'INVALID_INPUT'],
  ])('refuses %s', (_name, run, code) => {
    expect(run).toThrowError(expect.objectContaining({ code }));
  });

  it('accepts equal sizes with equal roots and an empty proof', () => {
    expect(() => verifyConsistency(5, 5, rootOf(leaves.slice(0, 5)), rootOf(leaves.slice(0, 5)), [])).not.toThrow();
  });
});
