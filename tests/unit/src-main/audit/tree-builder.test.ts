import { describe, expect, it } from 'vitest';
import { compactRangeFromLeaves } from '../../../../src-shared/node/compact-range';
import { randomBytes } from '../../../../src-shared/node/crypto';
import { bytesFromBinary, fromHex, toHex } from '../../../../src-shared/encoding';
import { emptyRoot, leafHash, rootOf } from '../../../../src-shared/node/merkle';
import { TreeBuilder } from '../../../../src-main/audit/tree-builder';

const hex = (binary: string) => toHex(bytesFromBinary(binary));

describe('TreeBuilder', () => {
  it('produces the RFC 9162 leaf hashes, interior nodes, ranges and roots of merkle.ts for every size up to 70', () => {
    const tree = new TreeBuilder();
    expect(toHex(tree.root())).toBe(toHex(emptyRoot()));
    const hashes: Uint8Array[] = [];
    const nodes: string[] = [];
    for (let i = 0; i < 70; i++) {
      // Sizes that cross the reused buffer's capacity too.
      const data = randomBytes(i === 40 ? 10_000 : 1 + (i * 37) % 600);
      const hash = tree.leafHash(data);
      expect(hex(hash)).toBe(toHex(leafHash(data)));
      hashes.push(leafHash(data));
      tree.push(hash, (level, index, node) => nodes.push(`${level}/${index}/${hex(node)}`));
      expect(toHex(tree.root())).toBe(toHex(rootOf(hashes)));
      expect(tree.range().hashes.map(toHex)).toEqual(compactRangeFromLeaves(hashes).hashes.map(toHex));
    }
    const expected: string[] = [];
    compactRangeFromLeaves(hashes, (level, index, node) => {
      if (level > 0) expected.push(`${level}/${index}/${toHex(node)}`);
    });
    expect(nodes).toEqual(expected);
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
    const tree = new TreeBuilder();
    leaves.forEach((leaf, i) => {
      tree.push(tree.leafHash(leaf));
      expect(toHex(tree.root())).toBe(roots[i]);
    });
  });
});
