/**
 * Where the pre-sign-in journal lives and how an empty one is started (at vault creation, at migration,
 * after each sign-in). The records themselves are the access log's business (audit/pre-sign-in-journal.ts);
 * this part sits with the vault's files so the vault never depends on the audit layer.
 */
import { join } from 'node:path';
import { toHex } from '../../src-shared/encoding';
import { writePrivateFileAtomic } from './vault-files';

export const JOURNAL_VERSION = 1;

export function journalPath(dir: string): string {
  return join(dir, 'journal.jsonl');
}

export function journalHeader(id: string): string {
  return JSON.stringify({ v: JOURNAL_VERSION, id }) + '\n';
}

/** Starts an empty journal under `id`. */
export function resetJournal(path: string, id: string): void {
  writePrivateFileAtomic(path, journalHeader(id));
}

export function newJournalId(random: (n: number) => Uint8Array): string {
  return toHex(random(16));
}
