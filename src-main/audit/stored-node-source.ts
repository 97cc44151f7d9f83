/** Inclusion and consistency proofs served from audit.db's stored nodes (the writer and the verifier both read them this way). */
import type { Database } from '@signalapp/sqlcipher';
import { RwError } from '../../src-shared/errors';
import type { MerkleNodeSource } from '../../src-shared/node/merkle';

/** Proof material straight from the stored nodes: O(1) per lookup, O(log n) per proof. */
export function storedNodeSource(db: Database): MerkleNodeSource {
  const leafStmt = db.prepare('SELECT leaf_hash FROM log_leaves WHERE seq = ?');
  const nodeStmt = db.prepare('SELECT hash FROM log_nodes WHERE level = ? AND idx = ?');
  return {
    getNode(level, index) {
      const row = level === 0 ? leafStmt.get([index]) : nodeStmt.get([level, index]);
      const hash = level === 0 ? row?.['leaf_hash'] : row?.['hash'];
      if (!(hash instanceof Uint8Array) || hash.byteLength !== 32) {
        throw new RwError('LOG_DAMAGED', 'A stored Merkle node of the access log is missing.', { level, index });
      }
      return hash;
    },
  };
}
