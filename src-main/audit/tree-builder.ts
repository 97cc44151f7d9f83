/**
 * The RFC 9162 tree rebuilt leaf by leaf for verification, as cheaply as the hashing allows. Same hashes
 * as merkle.ts (leaf = SHA-256(0x00‖d), node = SHA-256(0x01‖l‖r)), but each leaf hash is one node:crypto
 * call on a reused buffer and interior nodes use the JavaScript node hasher, with no per-call
 * concatenation or copied compact range: over a million leaves node:crypto's fixed per-call cost, not the
 * hashing, is what verification pays beyond raw SHA-256 (bench/audit.ts).
 */
import { compactRangeRoot, type CompactRange, type MerkleNodeVisitor } from '../../src-shared/compact-range';
import { sha256 } from '../../src-shared/crypto';
import { createNodeHasher } from '../../src-shared/merkle-node-hash';

export class TreeBuilder {
  #size = 0;
  readonly #stack: Uint8Array[] = [];
  readonly #nodeHash = createNodeHasher();
  #leaf = new Uint8Array(4096);

  get size(): number {
    return this.#size;
  }

  /** RFC 9162 §2.1.1 leaf hash. */
  leafHash(data: Uint8Array): Uint8Array {
    const n = data.byteLength + 1;
    if (n > this.#leaf.byteLength) this.#leaf = new Uint8Array(n * 2);
    this.#leaf[0] = 0x00;
    this.#leaf.set(data, 1);
    return sha256(this.#leaf.subarray(0, n));
  }

  /** Append a leaf hash; `onNode` sees each interior node it completes (level >= 1). */
  push(leafHash: Uint8Array, onNode?: MerkleNodeVisitor): void {
    let hash = leafHash;
    let index = this.#size;
    let level = 0;
    while (index % 2 === 1) {
      hash = this.#nodeHash(this.#stack.pop()!, hash);
      index = (index - 1) / 2;
      level++;
      onNode?.(level, index, hash);
    }
    this.#stack.push(hash);
    this.#size++;
  }

  range(): CompactRange {
    return { size: this.#size, hashes: [...this.#stack] };
  }

  root(): Uint8Array {
    return compactRangeRoot(this.range(), this.#nodeHash);
  }
}
