/**
 * This workstation's own public keys, read from the vault: the device key (audit.db) and every
 * reviewer's key (content.db). The outbox admits only Statements signed by one of these.
 */
import type { Database } from '@signalapp/sqlcipher';
import { RwError } from '../../src-shared/errors';
import type { OwnKeys } from './outbox';

export function devicePublicKey(audit: Database): Uint8Array {
  const row = audit.prepare('SELECT public_key FROM device_keys ORDER BY id DESC LIMIT 1').get();
  if (!(row?.public_key instanceof Uint8Array)) throw new RwError('VAULT_DAMAGED', 'The device signing key is missing.');
  return new Uint8Array(row.public_key);
}

export function reviewerPublicKeys(content: Database | null): { reviewerId: string; publicKey: Uint8Array }[] {
  if (content === null) return [];
  return content
    .prepare('SELECT user, public_key FROM reviewer_keys ORDER BY user')
    .all()
    .flatMap((row) => (row.public_key instanceof Uint8Array && typeof row.user === 'string' ? [{ reviewerId: row.user, publicKey: new Uint8Array(row.public_key) }] : []));
}

export function readOwnKeys(audit: Database, content: Database | null): OwnKeys {
  return { device: devicePublicKey(audit), reviewers: reviewerPublicKeys(content).map((r) => r.publicKey) };
}
