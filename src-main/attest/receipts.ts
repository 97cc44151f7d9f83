/**
 * Checking what the central server answers (see ARCHITECTURE: attestations and sync), offline and with the server key pinned at
 * enrollment only:
 *  - a receipt: the server-signed checkpoint verifies under the pinned key (origin = the server's name),
 *    its size is the receipt's tree size, and the inclusion proof leads from our envelope's leaf to its
 *    root (RFC 9162 §2.1.3.2). A receipt that fails is not a delivery: the item stays pending.
 *  - a witness response: its cosignature lines, appended to the checkpoint note we sent, verify as a
 *    tlog-cosignature/v1 by the pinned key over exactly that checkpoint.
 */
import type { Database } from '@signalapp/sqlcipher';
import { attestationLeafData, receiptSchema, type Receipt } from '../../src-shared/attestation-types';
import { openCheckpoint, parseCheckpoint, type Checkpoint } from '../../src-shared/node/checkpoint';
import { cosignatureVerifier } from '../../src-shared/node/cosignature';
import { fromBase64 } from '../../src-shared/encoding';
import { RwError } from '../../src-shared/errors';
import { leafHash, verifyInclusion } from '../../src-shared/node/merkle';
import { ed25519NoteVerifier, formatSignatureLine, openNote, parseNote, type NoteSignature } from '../../src-shared/node/signed-note';
import { parseStrictJson } from '../../src-shared/strict-json';
import type { Enrollment } from './enrollment';
import type { OutboxItem } from './outbox';

export function parseReceipt(value: unknown): Receipt {
  const parsed = receiptSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RwError('INVALID_INPUT', `Malformed receipt: ${issue ? `${issue.path.join('.') || 'value'} ${issue.message}` : 'invalid'}.`);
  }
  return parsed.data;
}

export function parseReceiptBytes(bytes: Uint8Array | string): Receipt {
  return parseReceipt(parseStrictJson(bytes, { maxBytes: 128 * 1024, maxDepth: 6 }));
}

/** Throws SIGNATURE_INVALID / INVALID_INPUT unless `receipt` proves `item` is in the server's log. */
export function verifyReceipt(receipt: Receipt, item: OutboxItem, enrollment: Pick<Enrollment, 'serverName' | 'serverPublicKey'>): Checkpoint {
  if (receipt.envelopeSha256 !== item.envelopeSha256) throw new RwError('INVALID_INPUT', 'The receipt is for another envelope.');
  const { checkpoint } = openCheckpoint(receipt.checkpoint, [ed25519NoteVerifier(enrollment.serverName, enrollment.serverPublicKey)], { origin: enrollment.serverName });
  if (checkpoint.size !== receipt.treeSize) throw new RwError('INVALID_INPUT', "The receipt's tree size is not its checkpoint's.");
  if (receipt.logIndex >= receipt.treeSize) throw new RwError('INVALID_INPUT', "The receipt's index is outside its tree.");
  try {
    verifyInclusion(receipt.logIndex, receipt.treeSize, leafHash(attestationLeafData(item.envelope)), receipt.inclusionProof.map(fromBase64), checkpoint.rootHash);
  } catch {
    throw new RwError('SIGNATURE_INVALID', "The receipt's inclusion proof does not lead to the server's signed checkpoint.");
  }
  return checkpoint;
}

export interface WitnessedCheckpoint {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  /** The device-signed note with the witness's cosignature lines appended. */
  cosignedNote: string;
}

/**
 * Verify witness cosignature lines over `sentNote` (the device-signed checkpoint we asked to be
 * witnessed); returns the cosigned note. Throws SIGNATURE_INVALID unless the pinned key cosigned it.
 */
export function verifyWitnessResponse(sentNote: string, signatures: readonly NoteSignature[], enrollment: Pick<Enrollment, 'serverName' | 'serverPublicKey'>): WitnessedCheckpoint {
  const cosignedNote = sentNote + signatures.map(formatSignatureLine).join('');
  const verifier = cosignatureVerifier(enrollment.serverName, enrollment.serverPublicKey);
  const opened = openNote(cosignedNote, [verifier]);
  if (!opened.verifiedBy.some((s) => s.keyId === verifier.keyId)) throw new RwError('SIGNATURE_INVALID', 'The witness did not cosign this checkpoint.');
  const checkpoint = parseCheckpoint(parseNote(sentNote).text);
  return { origin: checkpoint.origin, size: checkpoint.size, rootHash: checkpoint.rootHash, cosignedNote };
}

export function storeWitnessedCheckpoint(audit: Database, witnessed: WitnessedCheckpoint, clock: () => number): void {
  audit
    .prepare('INSERT INTO witnessed_checkpoints(size, origin, root_hash, cosigned_note, witnessed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(size) DO NOTHING')
    .run([witnessed.size, witnessed.origin, Buffer.from(witnessed.rootHash), witnessed.cosignedNote, clock()]);
}

/** Every witnessed checkpoint, largest first; `rwctl audit verify` checks the log extends each. */
export function listWitnessedCheckpoints(audit: Database): WitnessedCheckpoint[] {
  return audit
    .prepare('SELECT size, origin, root_hash, cosigned_note FROM witnessed_checkpoints ORDER BY size DESC')
    .all()
    .map((row) => ({ origin: String(row.origin), size: Number(row.size), rootHash: new Uint8Array(row.root_hash as Uint8Array), cosignedNote: String(row.cosigned_note) }));
}

/** The size the witness last cosigned for us (0 when never): the `old` line of the next request. */
export function lastWitnessedSize(audit: Database): number {
  const row = audit.prepare('SELECT max(size) AS size FROM witnessed_checkpoints').get();
  return typeof row?.size === 'number' ? row.size : 0;
}
