/**
 * The RFC 9162 tree rebuilt leaf by leaf for verification, as cheaply as node:crypto allows. Same hashes
 * as merkle.ts (leaf = SHA-256(0x00‖d), node = SHA-256(0x01‖l‖r)), but every hash is one call on a
 * reused input buffer returning a latin1 string, with no per-call concatenation, Buffer result or copied
 * compact range: over a million leaves those per-call costs, not the hashing, are what verification pays
 * beyond raw SHA-256 (bench/audit.ts). Hashes here are latin1 strings, one character per byte.
 */
import { sha256Binary } from '../../src-shared/node/crypto';
import { bytesFromBinary } from '../../src-shared/encoding';
import { emptyRoot } from '../../src-shared/node/merkle';
import type { CompactRange } from '../../src-shared/node/compact-range';

/** Called for each interior node a push completes (level >= 1), with its hash as a latin1 string. */
export type BinaryNodeVisitor = (level: number, index: number, hash: string) => void;

export class TreeBuilder {
  #size = 0;
  readonly #stack: string[] = [];
  readonly #node = new Uint8Array(65);
  #leaf = new Uint8Array(4096);

  constructor() {
    this.#node[0] = 0x01;
  }

  /** A builder that continues from a compact range this process computed earlier (resumed verification). */
  static fromRange(range: CompactRange): TreeBuilder {
    const tree = new TreeBuilder();
    tree.#size = range.size;
    for (const hash of range.hashes) tree.#stack.push(String.fromCharCode(...hash));
    return tree;
  }

  get size(): number {
    return this.#size;
  }

  /** Views of #leaf by length: leaves come in few lengths, and a new view per leaf costs as much as its hash. */
  #views: Uint8Array[] = [];

  /** RFC 9162 §2.1.1 leaf hash. */
  leafHash(data: Uint8Array): string {
    const n = data.length + 1;
    if (n > this.#leaf.length) {
      this.#leaf = new Uint8Array(n * 2);
      this.#views = [];
    }
    this.#leaf[0] = 0x00;
    this.#leaf.set(data, 1);
    return sha256Binary((this.#views[n] ??= this.#leaf.subarray(0, n)));
  }

  #nodeHash(left: string, right: string): string {
    const node = this.#node;
    for (let i = 0; i < 32; i++) {
      node[1 + i] = left.charCodeAt(i);
      node[33 + i] = right.charCodeAt(i);
    }
    return sha256Binary(node);
  }

  /** Append a leaf hash. */
  push(leafHash: string, onNode?: BinaryNodeVisitor): void {
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
    return { size: this.#size, hashes: this.#stack.map(bytesFromBinary) };
  }

  /** The root over the leaves so far, as a latin1 string. */
  rootBinary(): string {
    const stack = this.#stack;
    if (stack.length === 0) return String.fromCharCode(...emptyRoot());
    let root = stack[stack.length - 1]!;
    for (let i = stack.length - 2; i >= 0; i--) root = this.#nodeHash(stack[i]!, root);
    return root;
  }

  root(): Uint8Array {
    return bytesFromBinary(this.rootBinary());
  }
}
