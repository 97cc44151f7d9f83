/**
 * The pre-sign-in journal (DESIGN §4): while nobody is signed in, the app has no key that opens audit.db,
 * so events (failed unlocks, lockouts, app start and stop, refused calls at the lock screen) are sealed
 * to the log's X25519 public key and appended to `journal.jsonl` in the vault folder. Writing needs only
 * the public key; reading needs the private key, which is wrapped in the user slots. At the next sign-in
 * the records are opened and appended to the access log as leaves with their original times, and the
 * journal starts afresh under a new id that audit.db remembers.
 *
 * What a person with write access to the folder can do, and what the next sign-in then records:
 *  - delete or replace the journal → `journal.missing` / `journal.replaced` (audit.db knows the id);
 *  - drop or reorder records in the middle, edit a record → `journal.gap` / `journal.unreadable` (each
 *    record is bound by AEAD associated data to the journal id and its sequence number);
 *  - append records of their own (the public key is not secret) → they can only claim pre-sign-in
 *    events (actor `anonymous` or `system`, or a `lock`); anything else is refused as `journal.forged`, and every
 *    journaled leaf carries `detail.journal: true` so no one mistakes it for an authenticated event;
 *  - cut records off the end: not detectable from the folder alone (nothing there is secret); the
 *    unlock-attempt counter, MACed under the OS keystore where one exists, still counts the failures.
 */
import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, statSync } from 'node:fs';
import { z } from 'zod';
import { fromBase64, toBase64, utf8, fromUtf8 } from '../../src-shared/encoding';
import { openSealed, sealTo } from '../../src-shared/node/sealed-box';
import { readFileOrNull, FILE_MODE } from '../vault/vault-files';
import { JOURNAL_VERSION, newJournalId, resetJournal } from '../vault/journal-file';

export { JOURNAL_VERSION, newJournalId, resetJournal };
import type { AccessLogEntry } from './access-log';
import { leafObjectSchema, LEAF_ROLES, OUTCOMES } from './log-leaf';

/** A journal larger than this is not read further (a flood cannot make sign-in slow or exhaust memory). */
export const MAX_JOURNAL_BYTES = 16 * 1024 * 1024;
/** Roles a pre-sign-in event may name: nobody is signed in, so no other role can be true. */
export const JOURNAL_ROLES = ['anonymous', 'system'] as const;

export interface JournalEntry extends AccessLogEntry {
  /** Wall clock and monotonic milliseconds when the event happened (kept when it becomes a leaf). */
  ts: number;
  mono: number;
}

export type JournalProblemKind = 'missing' | 'replaced' | 'damaged' | 'gap' | 'unreadable' | 'forged' | 'too-large';

export interface JournalProblem {
  kind: JournalProblemKind;
  /** Sequence number concerned, when one is. */
  seq: number | null;
}

export interface OpenedJournal {
  /** The id of the journal that was read (null when none could be read). */
  id: string | null;
  records: { seq: number; entry: JournalEntry }[];
  problems: JournalProblem[];
  /** True when these records were already appended (a crash between appending and emptying). */
  alreadyAppended: boolean;
}

const headerSchema = z.object({ v: z.literal(JOURNAL_VERSION), id: z.string().regex(/^[0-9a-f]{32}$/) }).strict();
const b64 = z.string().max(1_000_000).regex(/^[A-Za-z0-9+/]*={0,2}$/);
const lineSchema = z.object({ seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), epk: b64, iv: b64, ct: b64, tag: b64 }).strict();
const detailValue = z.union([z.string().max(4096), z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER), z.boolean(), z.null()]);
const entrySchema = z
  .object({
    ts: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    mono: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    actor: z.object({ user: z.string().min(1).max(64).nullable(), role: z.enum(LEAF_ROLES) }).strict(),
    session: z.string().min(1).max(64).nullable(),
    event: z.string().min(1).max(256),
    object: leafObjectSchema.nullable(),
    outcome: z.enum(OUTCOMES),
    detail: z.record(z.string().max(64), detailValue),
  })
  .strict();

function aad(id: string, seq: number): Uint8Array {
  return utf8(['rw-journal', String(JOURNAL_VERSION), id, String(seq)].join('\0'));
}


interface RawJournal {
  id: string | null;
  lines: string[];
  truncated: boolean;
}

function readRaw(path: string): RawJournal | null {
  if (!existsSync(path)) return null;
  const truncated = statSync(path).size > MAX_JOURNAL_BYTES;
  const raw = readFileOrNull(path);
  if (raw === null) return null;
  const text = raw.subarray(0, MAX_JOURNAL_BYTES).toString('utf8');
  const lines = text.split('\n');
  // A last line without its newline was cut mid-write (or by hand): it is not a record.
  if (lines.length > 0) lines.pop();
  let id: string | null = null;
  try {
    id = headerSchema.parse(JSON.parse(lines[0] ?? '')).id;
  } catch {
    id = null;
  }
  return { id, lines: lines.slice(1), truncated };
}

/**
 * Seals one event to the log's public key and appends it. A missing or unreadable journal is started
 * afresh under a new id (the next sign-in logs that the one it expected was replaced).
 */
export function appendJournal(path: string, publicKey: Uint8Array, entry: JournalEntry, random: (n: number) => Uint8Array): void {
  const checked = entrySchema.parse(entry);
  let raw = readRaw(path);
  if (!raw || raw.id === null) {
    resetJournal(path, newJournalId(random));
    raw = readRaw(path);
  }
  const id = raw?.id as string;
  const seq = raw?.lines.length ?? 0;
  const box = sealTo(publicKey, utf8(JSON.stringify(checked)), aad(id, seq));
  const line = JSON.stringify({ seq, epk: toBase64(box.epk), iv: toBase64(box.iv), ct: toBase64(box.ciphertext), tag: toBase64(box.tag) }) + '\n';
  appendFileSync(path, line, { mode: FILE_MODE });
  // Durable before the caller goes on: a failed unlock must be on disk before the next guess.
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens every record of the journal. `expected` is what audit.db remembers: the id of the journal it
 * started and the id before it. Never throws on damage: each kind is reported so that it is logged.
 */
export function openJournal(path: string, privateKey: Uint8Array, expected: { id: string | null; previousId: string | null }): OpenedJournal {
  const raw = readRaw(path);
  const problems: JournalProblem[] = [];
  if (!raw) {
    if (expected.id !== null) problems.push({ kind: 'missing', seq: null });
    return { id: null, records: [], problems, alreadyAppended: false };
  }
  if (raw.id === null) {
    problems.push({ kind: 'damaged', seq: null });
    return { id: null, records: [], problems, alreadyAppended: false };
  }
  if (expected.previousId !== null && raw.id === expected.previousId) return { id: raw.id, records: [], problems, alreadyAppended: true };
  if (expected.id !== null && raw.id !== expected.id) problems.push({ kind: 'replaced', seq: null });
  if (raw.truncated) problems.push({ kind: 'too-large', seq: null });
  const records: OpenedJournal['records'] = [];
  let next = 0;
  for (const line of raw.lines) {
    let parsed: z.infer<typeof lineSchema>;
    try {
      parsed = lineSchema.parse(JSON.parse(line));
    } catch {
      problems.push({ kind: 'damaged', seq: next });
      next++;
      continue;
    }
    if (parsed.seq !== next) problems.push({ kind: 'gap', seq: parsed.seq });
    next = parsed.seq + 1;
    let plain: Uint8Array | null = null;
    try {
      plain = openSealed(privateKey, { epk: fromBase64(parsed.epk), iv: fromBase64(parsed.iv), ciphertext: fromBase64(parsed.ct), tag: fromBase64(parsed.tag) }, aad(raw.id, parsed.seq));
    } catch {
      plain = null;
    }
    if (!plain) {
      problems.push({ kind: 'unreadable', seq: parsed.seq });
      continue;
    }
    const entry = entrySchema.safeParse(safeJson(plain));
    if (!entry.success || !mayBeJournaled(entry.data)) {
      problems.push({ kind: 'forged', seq: parsed.seq });
      continue;
    }
    records.push({ seq: parsed.seq, entry: entry.data });
  }
  return { id: raw.id, records, problems, alreadyAppended: false };
}

/**
 * Nobody is signed in while the journal is written, so a record may only claim `anonymous` or `system`;
 * the one exception is the manual `lock`, whose leaf the router writes just after the handles closed,
 * naming who locked.
 */
function mayBeJournaled(entry: JournalEntry): boolean {
  return (JOURNAL_ROLES as readonly string[]).includes(entry.actor.role) || entry.event === 'lock';
}

function safeJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(fromUtf8(bytes));
  } catch {
    return null;
  }
}

/** The leaves a drained journal becomes: each record as it happened (marked as journaled), then one per problem. */
export function journalLeaves(opened: OpenedJournal): { entry: AccessLogEntry; at: { ts: number; mono: number } | null }[] {
  const out: { entry: AccessLogEntry; at: { ts: number; mono: number } | null }[] = [];
  for (const { entry } of opened.records) {
    const { ts, mono, ...rest } = entry;
    out.push({ entry: { ...rest, detail: { ...rest.detail, journal: true } }, at: { ts, mono } });
  }
  for (const problem of opened.problems) {
    out.push({
      entry: { actor: { user: null, role: 'system' }, session: null, event: `journal.${problem.kind}`, object: null, outcome: 'failure', detail: { journalId: opened.id, seq: problem.seq } },
      at: null,
    });
  }
  return out;
}

/** What audit.db remembers about the journal (vault_meta), so that a replaced or deleted one is noticed. */
export interface JournalMeta {
  read(key: 'journal_id' | 'journal_previous_id'): string | null;
  write(key: 'journal_id' | 'journal_previous_id', value: string): void;
}

/**
 * At sign-in: opens the journal with the private key, appends its records (original times) and its
 * problems as leaves, records the next journal's id in the same transaction, then empties the journal.
 * A crash between the commit and the emptying is recognised next time (the file still has the id just
 * drained) and the journal is emptied without appending twice. Returns how many records were appended.
 */
export function drainJournal(
  path: string,
  privateKey: Uint8Array,
  meta: JournalMeta,
  appendMany: (entries: AccessLogEntry[], alsoInTransaction: () => void) => unknown,
  random: (n: number) => Uint8Array,
): { records: number; problems: JournalProblem[] } {
  const expected = { id: meta.read('journal_id'), previousId: meta.read('journal_previous_id') };
  const opened = openJournal(path, privateKey, expected);
  if (opened.alreadyAppended && expected.id !== null) {
    resetJournal(path, expected.id);
    return { records: 0, problems: [] };
  }
  const nextId = newJournalId(random);
  const drained = opened.id ?? expected.id;
  const entries = journalLeaves(opened).map(({ entry, at }) => (at ? { ...entry, at } : entry));
  appendMany(entries, () => {
    if (drained !== null) meta.write('journal_previous_id', drained);
    meta.write('journal_id', nextId);
  });
  resetJournal(path, nextId);
  return { records: opened.records.length, problems: opened.problems };
}
