/**
 * The server's own RFC 6962 / RFC 9162 log of accepted envelopes, on top of the store's node table.
 * Proof generation (src-shared/merkle.ts) asks a synchronous node source for perfect-subtree roots; the
 * store is asynchronous, so a proof is computed twice: once against a recording source to learn which
 * nodes it needs, then against those nodes fetched in one query. The second pass is exact; a missing node
 * means the stored log is damaged and is reported as such, never papered over.
 */
import { signCheckpoint } from '../src-shared/node/checkpoint';
import { ed25519NoteSigner } from '../src-shared/node/signed-note';
import { emptyRoot, consistencyProofFrom, inclusionProofFrom, type MerkleNodeSource } from '../src-shared/node/merkle';
import { RwError } from '../src-shared/errors';
import { toBase64 } from '../src-shared/encoding';
import { nodeId, type NodeKey, type ServerStore } from './server-store';

/** Returned during a dry run of proof generation, which only records which stored nodes a proof needs. */
export const DRY_RUN_NODE = new Uint8Array(32);

export async function proofWithNodes(fetch: (keys: readonly NodeKey[]) => Promise<Map<string, Uint8Array>>, compute: (source: MerkleNodeSource) => Uint8Array[]): Promise<Uint8Array[]> {
  const wanted: NodeKey[] = [];
  compute({
    getNode(level, index) {
      wanted.push([level, index]);
      return DRY_RUN_NODE;
    },
  });
  const nodes = await fetch(wanted);
  return compute({
    getNode(level, index) {
      const hash = nodes.get(nodeId(level, index));
      if (!hash) throw new RwError('LOG_DAMAGED', 'The server log is missing a node.', { level, index });
      return hash;
    },
  });
}

/** Signs checkpoints of the server's log (note key name = origin = the server's name). */
export interface CheckpointSigner {
  readonly origin: string;
  sign(size: number, rootHash: Uint8Array): string;
}

export function serverCheckpointSigner(name: string, seed: Uint8Array): CheckpointSigner {
  const signer = ed25519NoteSigner(name, seed);
  return { origin: name, sign: (size, rootHash) => signCheckpoint({ origin: name, size, rootHash, extensions: [] }, [signer]) };
}

/** The latest signed checkpoint; the empty log's is signed on demand (nothing to store for it). */
export async function latestCheckpoint(store: ServerStore, signer: CheckpointSigner): Promise<{ size: number; checkpoint: string }> {
  const head = await store.head();
  if (head.size === 0) return { size: 0, checkpoint: signer.sign(0, emptyRoot()) };
  return { size: head.size, checkpoint: head.checkpoint };
}

function checkSize(value: number, name: string, max: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) throw new RwError('INVALID_INPUT', `${name} must be an integer between 0 and ${max}.`, { [name]: value });
}

export async function inclusionProofAt(store: ServerStore, index: number, size: number): Promise<{ index: number; size: number; leafHash: string; proof: string[] }> {
  const head = await store.head();
  checkSize(size, 'size', head.size);
  checkSize(index, 'index', size - 1);
  const proof = await proofWithNodes((k) => store.getNodes(k), (source) => inclusionProofFrom(source, index, size));
  const leaf = (await store.getNodes([[0, index]])).get(nodeId(0, index));
  if (!leaf) throw new RwError('LOG_DAMAGED', 'The server log is missing a leaf.', { index });
  return { index, size, leafHash: toBase64(leaf), proof: proof.map(toBase64) };
}

export async function consistencyProofBetween(store: ServerStore, from: number, to: number): Promise<{ from: number; to: number; proof: string[] }> {
  const head = await store.head();
  checkSize(to, 'to', head.size);
  checkSize(from, 'from', to);
  if (from === 0) throw new RwError('INVALID_INPUT', 'A consistency proof from the empty tree proves nothing; use from >= 1.');
  const proof = await proofWithNodes((k) => store.getNodes(k), (source) => consistencyProofFrom(source, from, to));
  return { from, to, proof: proof.map(toBase64) };
}

