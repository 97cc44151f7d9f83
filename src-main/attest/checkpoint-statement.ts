/**
 * Audit checkpoints leave as Statements of their own predicate type (see ARCHITECTURE: attestations and sync): subject = the log's
 * origin with the root hash as digest, predicate = origin, size, root, the device-signed checkpoint
 * note verbatim, and the device key's next sequence. Signed by the device key. This keeps one gate for
 * everything that leaves: the outbox holds Statements and nothing else.
 */
import type { Database } from '@signalapp/sqlcipher';
import {
  AUDIT_CHECKPOINT_PREDICATE_TYPE,
  auditCheckpointPredicateSchema,
  auditCheckpointSubject,
  IN_TOTO_PAYLOAD_TYPE,
  IN_TOTO_STATEMENT_TYPE,
  statementSchema,
  type Statement,
} from '../../src-shared/attestation-types';
import { openCheckpoint } from '../../src-shared/node/checkpoint';
import { canonicalBytes } from '../../src-shared/canonical-json';
import { ed25519Sign } from '../../src-shared/node/crypto';
import { signEnvelope, type DsseEnvelope } from '../../src-shared/node/dsse';
import { toBase64, zeroize } from '../../src-shared/encoding';
import { ed25519NoteVerifier } from '../../src-shared/node/signed-note';
import { readDeviceSigningKey } from '../vault/vault';
import { publicKeyId } from './review-attestation';
import { allocateSequence } from './signing-sequence';

/**
 * Wrap a device-signed checkpoint note into a signed Statement. The note is verified under the device
 * key first (a checkpoint the device did not sign must not be vouched for by it).
 */
export function signCheckpointStatement(audit: Database, origin: string, signedNote: string): { envelope: DsseEnvelope; statement: Statement } {
  const device = readDeviceSigningKey(audit);
  try {
    const { checkpoint } = openCheckpoint(signedNote, [ed25519NoteVerifier(origin, device.publicKey)], { origin });
    const predicate = auditCheckpointPredicateSchema.parse({
      origin,
      size: checkpoint.size,
      rootHash: toBase64(checkpoint.rootHash),
      checkpoint: signedNote,
      sequence: allocateSequence(audit, device.publicKey),
    });
    const statement = statementSchema.parse({
      _type: IN_TOTO_STATEMENT_TYPE,
      subject: [auditCheckpointSubject(origin, checkpoint.rootHash)],
      predicateType: AUDIT_CHECKPOINT_PREDICATE_TYPE,
      predicate,
    });
    const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, canonicalBytes(statement), [{ keyid: publicKeyId(device.publicKey), sign: (m) => ed25519Sign(device.privateKey, m) }]);
    return { envelope, statement };
  } finally {
    zeroize(device.privateKey);
  }
}
