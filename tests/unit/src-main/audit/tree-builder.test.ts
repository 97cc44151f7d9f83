import { describe, expect, it } from 'vitest';
import { compactRangeFromLeaves } from '../../../../src-shared/compact-range';
import { randomBytes } from '../../../../src-shared/crypto';
import { bytesEqual } from '../../../../src-shared/encoding';
import { leafHash, rootOf } from '../../../../src-shared/merkle';
import { TreeBuilder } from '../../../../src-main/audit/tree-builder';

describe('TreeBuilder', () => {
  it('produces the RFC 9162 leaf hashes, interior nodes and roots of merkle.ts for every size up to 70', () => {
    const tree = new TreeBuilder();
    const leaves: Uint8Array[] = [];
    const hashes: Uint8Array[] = [];
    const nodes: string[] = [];
    for (let i = 0; i < 70; i++) {
      // Sizes that cross the reused buffer's capacity too.
      const data = randomBytes(i === 40 ? 10_000 : 1 + (i * 37) % 600);
      leaves.push(data);
      const hash = tree.leafHash(data);
      expect(bytesEqual(hash, leafHash(data))).toBe(true);
      hashes.push(hash);
      tree.push(hash, (level, index, node) => nodes.push(`${level}/${index}/${Buffer.from(node).toString('hex')}`));
      expect(bytesEqual(tree.root(), rootOf(hashes))).toBe(true);
    }
    const expected: string[] = [];
    compactRangeFromLeaves(hashes, (level, index, node) => {
      if (level > 0) expected.push(`${level}/${index}/${Buffer.from(node).toString('hex')}`);
    });
    expect(nodes).toEqual(expected);
  });
});
