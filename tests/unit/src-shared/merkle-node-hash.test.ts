import { describe, expect, it } from 'vitest';
import { compactRangeFromLeaves, compactRangeRoot } from '../../../src-shared/compact-range';
import { randomBytes } from '../../../src-shared/crypto';
import { fromHex, toHex } from '../../../src-shared/encoding';
import { leafHash, nodeHash } from '../../../src-shared/merkle';
import { createNodeHasher } from '../../../src-shared/merkle-node-hash';

describe('createNodeHasher (RFC 9162 interior node in JavaScript)', () => {
  const hashNodes = createNodeHasher();

  it("equals node:crypto's SHA-256(0x01 ‖ left ‖ right) for every value of the right hash's last byte", () => {
    // That byte selects one of the 256 precomputed second blocks: each must be right.
    for (let byte = 0; byte < 256; byte++) {
      const left = randomBytes(32);
      const right = randomBytes(32);
      right[31] = byte;
      expect(toHex(hashNodes(left, right))).toBe(toHex(nodeHash(left, right)));
    }
  });

  it('equals node:crypto on 5 000 random pairs and on the all-zero and all-one inputs', () => {
    const pairs = [
      [new Uint8Array(32), new Uint8Array(32)],
      [new Uint8Array(32).fill(0xff), new Uint8Array(32).fill(0xff)],
      ...Array.from({ length: 5000 }, () => [randomBytes(32), randomBytes(32)]),
    ] as const;
    for (const [left, right] of pairs) expect(toHex(hashNodes(left!, right!))).toBe(toHex(nodeHash(left!, right!)));
  });

  it('returns a fresh array each call (the tree keeps them) and leaves its inputs untouched', () => {
    const left = randomBytes(32);
    const right = randomBytes(32);
    const copies = [left.slice(), right.slice()];
    const first = hashNodes(left, right);
    const second = hashNodes(right, left);
    expect(first).not.toBe(second);
    expect(toHex(first)).toBe(toHex(nodeHash(left, right)));
    expect([left, right]).toEqual(copies);
  });

  it('refuses inputs that are not 32-byte hashes', () => {
    expect(() => hashNodes(new Uint8Array(31), new Uint8Array(32))).toThrow(RangeError);
    expect(() => hashNodes(new Uint8Array(32), new Uint8Array(33))).toThrow(RangeError);
  });

  it('reproduces the RFC 6962 reference tree roots (transparency-dev/merkle test data, sizes 1–8)', () => {
    const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(fromHex);
    const roots = [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
      'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
      '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
      'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    ];
    for (let size = 1; size <= 8; size++) {
      const range = compactRangeFromLeaves(leaves.slice(0, size).map(leafHash));
      expect(toHex(compactRangeRoot(range, hashNodes))).toBe(roots[size - 1]);
    }
  });
});
