/**
 * audit.db schema (DESIGN §4): the device signing key and vault facts first; the access log appends
 * its own migrations (leaves, checkpoints) to this list. Append only, never edit a shipped migration.
 */
import type { Migration } from '../vault/migrations';

export const AUDIT_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'device-keys-vault-meta',
    up: `
      CREATE TABLE device_keys(id INTEGER PRIMARY KEY, private_key BLOB NOT NULL, public_key BLOB NOT NULL, created_at INTEGER NOT NULL);
      CREATE TABLE vault_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
];
