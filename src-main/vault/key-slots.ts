/**
 * The key-slot file (slots.json): for each user, the data keys they may use, each wrapped with
 * AES-256-GCM under Argon2id(passphrase, salt), and the public key of the pre-sign-in journal (events
 * before anyone signs in are sealed to it; its private key lives inside audit.db). Nothing in this file
 * opens anything without a passphrase (DESIGN §4).
 *
 * Version 1 files also held a device slot: the audit key wrapped under `device.key`, a 0600 file beside
 * this one, so a copy of the folder opened the access log. They are read only to be migrated at the
 * next sign-in (vault.ts), which writes version 2 and destroys the device key.
 *
 * Separation of duties is cryptographic: an auditor slot holds no content key, and the schema refuses
 * a file that gives one. The AAD of every wrap binds user, role, database and slot-format version, so a
 * wrapped key cannot be moved to another user, promoted to another role or swapped between databases
 * without the tag failing.
 */
import { z } from 'zod';
import { aesGcmOpen, aesGcmSeal, type Sealed } from '../../src-shared/node/crypto';
import { fromBase64, toBase64, utf8 } from '../../src-shared/encoding';
import { RwError } from '../../src-shared/errors';
import { kdfParamsSchema, MIN_SALT_BYTES } from './kdf';
import { readFileOrNull, writePrivateFileAtomic } from './vault-files';

export const SLOT_FILE_VERSION = 2;
/** The version bound into every wrap's AAD: unchanged since version 1, so migrated slots still open. */
export const WRAP_AAD_VERSION = 1;
export const USER_ROLES = ['reviewer', 'auditor'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Which key a wrap holds: the two databases' data keys, and the reviewer's signing-key wrap key. */
export type WrappedKeyName = 'content' | 'audit' | 'signing';

/** Same alphabet as the session channel's user name: letters, digits, space, dot, dash, underscore. */
export const USER_NAME_RE = /^[\p{L}\p{N}._-](?:[\p{L}\p{N}._ -]{0,62}[\p{L}\p{N}._-])?$/u;

const b64 = z.string().max(4096).regex(/^[A-Za-z0-9+/]*={0,2}$/);

const sealedSchema = z.object({ iv: b64, ciphertext: b64, tag: b64 }).strict();
export type SealedJson = z.infer<typeof sealedSchema>;

const passphraseSlotSchema = z
  .object({
    kind: z.literal('passphrase'),
    user: z.string().regex(USER_NAME_RE),
    role: z.enum(USER_ROLES),
    kdf: kdfParamsSchema.extend({ salt: b64 }),
    keys: z.object({ content: sealedSchema.optional(), audit: sealedSchema, signing: sealedSchema.optional() }).strict(),
    createdAt: z.number().int().nonnegative(),
    updatedAt: z.number().int().nonnegative(),
  })
  .strict()
  .superRefine((slot, ctx) => {
    // An auditor slot carrying a content key would undo separation of duties: refuse the whole file.
    if (slot.role === 'auditor' && (slot.keys.content || slot.keys.signing)) ctx.addIssue({ code: 'custom', message: 'auditor slot holds content keys' });
    if (slot.role === 'reviewer' && (!slot.keys.content || !slot.keys.signing)) ctx.addIssue({ code: 'custom', message: 'reviewer slot lacks keys' });
    if (fromBase64Safe(slot.kdf.salt).byteLength < MIN_SALT_BYTES) ctx.addIssue({ code: 'custom', message: 'salt too short' });
  });

const deviceSlotSchema = z
  .object({
    kind: z.literal('device'),
    /** Where the device key lives (file, safeStorage): DESIGN §4 asks that this choice be visible. */
    store: z.string().min(1).max(64),
    keys: z.object({ audit: sealedSchema }).strict(),
    createdAt: z.number().int().nonnegative(),
  })
  .strict();

function uniqueUsers(slots: readonly { kind: string; user?: string }[], ctx: z.RefinementCtx): void {
  const names = new Set<string>();
  for (const slot of slots) {
    if (slot.kind !== 'passphrase' || slot.user === undefined) continue;
    const key = userKey(slot.user);
    if (names.has(key)) ctx.addIssue({ code: 'custom', message: 'duplicate user' });
    names.add(key);
  }
}

/** The earlier format, read only to migrate it (exactly one device slot). */
export const legacySlotFileSchema = z
  .object({
    version: z.literal(1),
    workstationId: z.string().regex(/^[0-9a-f]{32}$/),
    createdAt: z.number().int().nonnegative(),
    slots: z.array(z.union([passphraseSlotSchema, deviceSlotSchema])).min(2).max(1000),
  })
  .strict()
  .superRefine((file, ctx) => {
    uniqueUsers(file.slots, ctx);
    if (file.slots.filter((s) => s.kind === 'device').length !== 1) ctx.addIssue({ code: 'custom', message: 'exactly one device slot expected' });
  });

export const slotFileSchema = z
  .object({
    version: z.literal(SLOT_FILE_VERSION),
    workstationId: z.string().regex(/^[0-9a-f]{32}$/),
    createdAt: z.number().int().nonnegative(),
    /** The pre-sign-in journal's X25519 public key (base64): not secret, sealing needs nothing else. */
    journal: z.object({ publicKey: b64 }).strict(),
    slots: z.array(passphraseSlotSchema).min(1).max(1000),
  })
  .strict()
  .superRefine((file, ctx) => uniqueUsers(file.slots, ctx));

export type SlotFile = z.infer<typeof slotFileSchema>;
export type LegacySlotFile = z.infer<typeof legacySlotFileSchema>;
export type PassphraseSlot = z.infer<typeof passphraseSlotSchema>;
export type DeviceSlot = z.infer<typeof deviceSlotSchema>;

function fromBase64Safe(text: string): Uint8Array {
  try {
    return fromBase64(text);
  } catch {
    return new Uint8Array(0);
  }
}

/** User names compare after NFC and case folding, so "Alice" cannot be added next to "alice". */
export function userKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/** The slot file as it is on disk: the current format, or the earlier one awaiting migration. */
export function readAnySlotFile(path: string): SlotFile | LegacySlotFile | null {
  const raw = readFileOrNull(path);
  if (raw === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new RwError('VAULT_DAMAGED', 'The key-slot file is damaged.');
  }
  const version = typeof json === 'object' && json !== null ? (json as { version?: unknown }).version : undefined;
  const parsed = version === 1 ? legacySlotFileSchema.safeParse(json) : slotFileSchema.safeParse(json);
  if (!parsed.success) throw new RwError('VAULT_DAMAGED', 'The key-slot file is damaged, altered, or weaker than policy allows.');
  return parsed.data;
}

export function readSlotFile(path: string): SlotFile | LegacySlotFile | null {
  return readAnySlotFile(path);
}

export function writeSlotFile(path: string, file: SlotFile): void {
  const checked = slotFileSchema.parse(file);
  writePrivateFileAtomic(path, JSON.stringify(checked, null, 2) + '\n');
}

export function findUserSlot(file: SlotFile | LegacySlotFile, user: string): PassphraseSlot | null {
  const key = userKey(user);
  for (const slot of file.slots) if (slot.kind === 'passphrase' && userKey(slot.user) === key) return slot;
  return null;
}

/** The device slot of a version 1 file (migration only). */
export function findDeviceSlot(file: LegacySlotFile): DeviceSlot {
  for (const slot of file.slots) if (slot.kind === 'device') return slot;
  throw new RwError('VAULT_DAMAGED', 'The key-slot file has no device slot.');
}

export function passphraseSlots(file: SlotFile | LegacySlotFile): PassphraseSlot[] {
  const out: PassphraseSlot[] = [];
  for (const slot of file.slots) if (slot.kind === 'passphrase') out.push(slot);
  return out;
}

/** AAD for a wrap: NUL-separated so no field can run into the next. */
export function slotAad(subject: { kind: 'passphrase'; user: string; role: UserRole } | { kind: 'device' }, db: WrappedKeyName): Uint8Array {
  const who = subject.kind === 'device' ? ['device', '', 'device'] : ['passphrase', subject.user.normalize('NFC'), subject.role];
  return utf8(['rw-key-slot', String(WRAP_AAD_VERSION), ...who, db].join('\0'));
}

export function wrapKey(kek: Uint8Array, key: Uint8Array, aad: Uint8Array): SealedJson {
  const sealed = aesGcmSeal(kek, key, aad);
  return { iv: toBase64(sealed.iv), ciphertext: toBase64(sealed.ciphertext), tag: toBase64(sealed.tag) };
}

/** Null when the tag fails: a wrong passphrase, or a slot moved to another user, role or database. */
export function unwrapKey(kek: Uint8Array, wrapped: SealedJson, aad: Uint8Array): Uint8Array | null {
  let sealed: Sealed;
  try {
    sealed = { iv: fromBase64(wrapped.iv), ciphertext: fromBase64(wrapped.ciphertext), tag: fromBase64(wrapped.tag) };
  } catch {
    return null;
  }
  const key = aesGcmOpen(kek, sealed, aad);
  if (key === null || key.byteLength !== 32) return null;
  return key;
}
