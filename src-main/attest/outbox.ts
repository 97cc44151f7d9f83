/**
 * The outbox (see ARCHITECTURE: attestations and sync): the only place from which anything leaves the workstation, and it holds only
 * DSSE envelopes of in-toto Statements of an allowed predicate type, signed by one of this workstation's
 * own keys (review outcomes by a reviewer key, audit checkpoints by the device key).
 *
 * Threat: a curious or malicious reviewer (or a bug) getting notes, artifacts or log leaves off the
 * laptop "through" the sync channel. There is no function here, or in the sync code, that takes bytes:
 * `admitToOutbox` verifies and parses before storing, and items are re-verified when read back, so even
 * a row written into audit.db by other means cannot leave unless it is such a Statement. The sync code
 * accepts only `OutboxItem`, which only this module can mint.
 */
import type { Database } from '@signalapp/sqlcipher';
import { AUDIT_CHECKPOINT_PREDICATE_TYPE, FINDINGS_PREDICATE_TYPE, receiptSchema, REVIEW_OUTCOME_PREDICATE_TYPE, type Receipt } from '../../src-shared/attestation-types';
import { ed25519PublicKey, ed25519RawFromPublicKey, type PublicKey } from '../../src-shared/node/crypto';
import type { DsseEnvelope } from '../../src-shared/node/dsse';
import { bytesEqual } from '../../src-shared/encoding';
import { RwError } from '../../src-shared/errors';
import { parseStrictJson } from '../../src-shared/strict-json';
import { openStatementEnvelope, type OpenedStatement } from './statement-envelope';

/** This workstation's own signing keys (raw Ed25519 public keys). */
export interface OwnKeys {
  device: Uint8Array;
  reviewers: readonly Uint8Array[];
}

export type OutboxState = 'pending' | 'delivered';

declare const outboxBrand: unique symbol;

/** An envelope that passed the outbox gate. Only this module constructs one. */
export interface OutboxItem {
  readonly [outboxBrand]: true;
  readonly id: number;
  readonly envelopeSha256: string;
  readonly predicateType: OpenedStatement['predicateType'];
  readonly envelope: DsseEnvelope;
  readonly opened: OpenedStatement;
  /** What the UI shows ("Review of case X: no-objection", "Access-log checkpoint at size N"). */
  readonly label: string;
  readonly sequence: number;
  readonly createdAt: number;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
  readonly deliveredAt: number | null;
  readonly receipt: Receipt | null;
}

function trustedFor(predicateType: string, keys: OwnKeys): PublicKey[] {
  // Role separation: a review outcome and findings are the reviewer's word, a checkpoint is the device's.
  if (predicateType === REVIEW_OUTCOME_PREDICATE_TYPE || predicateType === FINDINGS_PREDICATE_TYPE) return keys.reviewers.map((k) => ed25519PublicKey(k));
  if (predicateType === AUDIT_CHECKPOINT_PREDICATE_TYPE) return [ed25519PublicKey(keys.device)];
  return [];
}

function allOwn(keys: OwnKeys): PublicKey[] {
  return [ed25519PublicKey(keys.device), ...keys.reviewers.map((k) => ed25519PublicKey(k))];
}

/** Verify with any own key, then insist the key's role matches the predicate type. */
function gate(envelope: unknown, keys: OwnKeys): ReturnType<typeof openStatementEnvelope> {
  const opened = openStatementEnvelope(envelope, allOwn(keys));
  const allowed = trustedFor(opened.opened.predicateType, keys);
  const signer = ed25519RawFromPublicKey(opened.signer);
  if (!allowed.some((k) => bytesEqual(ed25519RawFromPublicKey(k), signer))) {
    throw new RwError('SIGNATURE_INVALID', 'This Statement is signed by a key whose role may not sign its predicate type.');
  }
  return opened;
}

function labelOf(opened: OpenedStatement): string {
  if (opened.predicateType === REVIEW_OUTCOME_PREDICATE_TYPE) return `Review of case ${opened.predicate.caseId}: ${opened.predicate.verdict}`;
  if (opened.predicateType === FINDINGS_PREDICATE_TYPE) return `Findings of case ${opened.predicate.caseId}: ${opened.predicate.findings.length}`;
  return `Access-log checkpoint at size ${opened.predicate.size}`;
}

/**
 * The one way in. Throws (and stores nothing) unless `envelope` is a DSSE envelope of an in-toto
 * Statement of an allowed predicate type, signed by an own key of the right role. Admitting the same
 * envelope twice returns the existing item.
 */
export function admitToOutbox(audit: Database, envelope: unknown, keys: OwnKeys, clock: () => number): OutboxItem {
  const opened = gate(envelope, keys);
  const existing = audit.prepare('SELECT id FROM outbox WHERE envelope_sha256 = ?').get([opened.envelopeSha256]);
  if (typeof existing?.id !== 'number') {
    audit
      .prepare(
        `INSERT INTO outbox(envelope_sha256, predicate_type, envelope_json, signer_public_key, sequence, label, created_at, state)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')`,
      )
      .run([
        opened.envelopeSha256,
        opened.opened.predicateType,
        JSON.stringify(opened.envelope),
        Buffer.from(ed25519RawFromPublicKey(opened.signer)),
        opened.opened.predicate.sequence,
        labelOf(opened.opened),
        clock(),
      ]);
  }
  const item = getOutboxItem(audit, opened.envelopeSha256, keys);
  if (!item) throw new RwError('INTERNAL', 'The outbox item was not stored.');
  return item;
}

type Row = Record<string, unknown>;

function rowToItem(row: Row, keys: OwnKeys): OutboxItem {
  // Re-verified on every read: the table is not trusted to hold only what admitToOutbox let in.
  const opened = gate(parseStrictJson(String(row['envelope_json']), { maxDepth: 8 }), keys);
  if (opened.envelopeSha256 !== row['envelope_sha256']) throw new RwError('VAULT_DAMAGED', 'An outbox row does not match its envelope.');
  const receiptJson = row['receipt_json'];
  return {
    id: Number(row['id']),
    envelopeSha256: opened.envelopeSha256,
    predicateType: opened.opened.predicateType,
    envelope: opened.envelope,
    opened: opened.opened,
    label: labelOf(opened.opened),
    sequence: opened.opened.predicate.sequence,
    createdAt: Number(row['created_at']),
    state: row['state'] === 'delivered' ? 'delivered' : 'pending',
    attempts: Number(row['attempts']),
    nextAttemptAt: Number(row['next_attempt_at']),
    lastError: typeof row['last_error'] === 'string' ? row['last_error'] : null,
    deliveredAt: typeof row['delivered_at'] === 'number' ? row['delivered_at'] : null,
    receipt: typeof receiptJson === 'string' ? receiptSchema.parse(JSON.parse(receiptJson)) : null,
  } as OutboxItem;
}

export function getOutboxItem(audit: Database, envelopeSha256: string, keys: OwnKeys): OutboxItem | null {
  const row = audit.prepare('SELECT * FROM outbox WHERE envelope_sha256 = ?').get([envelopeSha256]);
  return row ? rowToItem(row, keys) : null;
}

/** Every item, oldest first. A row that fails the gate is reported as damage, never sent. */
export function listOutbox(audit: Database, keys: OwnKeys, state?: OutboxState): OutboxItem[] {
  const rows = state === undefined ? audit.prepare('SELECT * FROM outbox ORDER BY id').all() : audit.prepare('SELECT * FROM outbox WHERE state = ? ORDER BY id').all([state]);
  return rows.map((row) => rowToItem(row, keys));
}

export function markDelivered(audit: Database, item: OutboxItem, receipt: Receipt, clock: () => number): void {
  audit.prepare("UPDATE outbox SET state = 'delivered', delivered_at = ?, receipt_json = ?, last_error = NULL WHERE id = ? AND state = 'pending'").run([clock(), JSON.stringify(receipt), item.id]);
}

/** Record a failed transfer and when to try again (see backoff.ts). */
export function markAttemptFailed(audit: Database, item: OutboxItem, error: string, nextAttemptAt: number): void {
  audit.prepare("UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ? AND state = 'pending'").run([error.slice(0, 500), nextAttemptAt, item.id]);
}
