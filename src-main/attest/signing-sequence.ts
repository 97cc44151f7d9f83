/**
 * Per-key sequence numbers for outgoing Statements (attestation-types `sequence`): previous + 1 per
 * signing key, so the server can refuse a stale one (replay of an older, superseded attestation) and a
 * jump (one signature locking the key out with 2^53 - 1). The server refuses gaps, so callers allocate
 * inside the transaction that queues the Statement: a signing that fails rolls its number back.
 */
import type { Database } from '@signalapp/sqlcipher';

export function allocateSequence(audit: Database, publicKey: Uint8Array): number {
  return audit.transaction(() => {
    const row = audit.prepare('SELECT last_sequence FROM signing_sequences WHERE public_key = ?').get([Buffer.from(publicKey)]);
    const next = (typeof row?.last_sequence === 'number' ? row.last_sequence : 0) + 1;
    audit.prepare('INSERT INTO signing_sequences(public_key, last_sequence) VALUES (?, ?) ON CONFLICT(public_key) DO UPDATE SET last_sequence = excluded.last_sequence').run([Buffer.from(publicKey), next]);
    return next;
  })();
}

/** The next number allocateSequence would hand out (for previews only). */
export function peekSequence(audit: Database, publicKey: Uint8Array): number {
  const row = audit.prepare('SELECT last_sequence FROM signing_sequences WHERE public_key = ?').get([Buffer.from(publicKey)]);
  return (typeof row?.last_sequence === 'number' ? row.last_sequence : 0) + 1;
}
