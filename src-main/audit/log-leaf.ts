/**
 * The access-log leaf (DESIGN §5): RFC 8785 canonical JSON with a fixed set of members, so one event has
 * exactly one byte string and the bytes hashed into the tree are the bytes stored. Parsing is strict: a
 * leaf read back must re-encode to the very bytes it came from (a leaf that parses but is not canonical
 * was written by something other than this code).
 */
import { z } from 'zod';
import { canonicalize } from '../../src-shared/canonical-json';
import { RwError } from '../../src-shared/errors';
import { fromUtf8, utf8 } from '../../src-shared/encoding';

export const LEAF_VERSION = 1;

export const OUTCOMES = ['success', 'failure', 'denied'] as const;
export type LeafOutcome = (typeof OUTCOMES)[number];

/** `system` is the app itself (start, stop, clock jumps) with nobody signed in. */
export const LEAF_ROLES = ['anonymous', 'reviewer', 'auditor', 'system'] as const;
export type LeafRole = (typeof LEAF_ROLES)[number];

const token = z.string().min(1).max(256);
const detailValue = z.union([z.string().max(4096), z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER), z.boolean(), z.null()]);

export const leafObjectSchema = z
  .object({
    kind: token,
    id: z.string().min(1).max(512),
    name: z.string().max(1024).nullable(),
    digest: z.string().max(256).nullable(),
  })
  .strict();

export const leafSchema = z
  .object({
    v: z.literal(LEAF_VERSION),
    seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    /** Wall clock, UTC milliseconds. */
    ts: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    /** Monotonic milliseconds since the process started: what a clock jump is measured against. */
    mono: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    /** The workstation id (vault slot file and audit.db vault_meta). */
    device: token,
    /** Which program wrote the leaf (`rw-app/<version>`, `rwctl/<version>`). */
    app: token,
    actor: z.object({ user: z.string().min(1).max(64).nullable(), role: z.enum(LEAF_ROLES) }).strict(),
    /** Random id of the unlock session, null outside one. */
    session: z.string().min(1).max(64).nullable(),
    event: token,
    object: leafObjectSchema.nullable(),
    outcome: z.enum(OUTCOMES),
    detail: z.record(z.string().max(64), detailValue),
  })
  .strict();

export type AccessLogLeaf = z.infer<typeof leafSchema>;
export type LeafObject = z.infer<typeof leafObjectSchema>;
export type LeafDetail = AccessLogLeaf['detail'];

/** The canonical bytes of a leaf (what is hashed and stored). Validates first: nothing malformed enters the log. */
export function encodeLeaf(leaf: AccessLogLeaf): Uint8Array {
  const checked = leafSchema.safeParse(leaf);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new RwError('INVALID_INPUT', `Not a valid access-log leaf: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  return utf8(canonicalize(checked.data));
}

export type LeafParse = { ok: true; leaf: AccessLogLeaf } | { ok: false; reason: 'not-json' | 'not-canonical' | 'schema'; message: string };

/**
 * Read leaf bytes back. Never throws: verification reports each kind of damage rather than stopping.
 * JSON.parse is enough here because canonical re-encoding must reproduce the bytes exactly, which rules
 * out duplicate keys, odd number spellings and escapes a strict parser would otherwise have to refuse.
 */
export function parseLeaf(bytes: Uint8Array): LeafParse {
  let text: string;
  let value: unknown;
  try {
    text = fromUtf8(bytes);
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not-json', message: 'the leaf is not UTF-8 JSON' };
  }
  if (!isCanonicalText(text, value)) return { ok: false, reason: 'not-canonical', message: 'the leaf is not in RFC 8785 canonical form' };
  const checked = leafSchema.safeParse(value);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return { ok: false, reason: 'schema', message: `the leaf does not have the leaf fields (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''})` };
  }
  return { ok: true, leaf: checked.data };
}

function keysSorted(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(keysSorted);
  if (value === null || typeof value !== 'object') return true;
  let previous: string | null = null;
  for (const [key, child] of Object.entries(value)) {
    // RFC 8785 §3.2.3: member names sorted by UTF-16 code units (what < compares).
    if (previous !== null && !(previous < key)) return false;
    if (!keysSorted(child)) return false;
    previous = key;
  }
  return true;
}

/**
 * RFC 8785 is ECMAScript JSON.stringify with sorted member names, so when stringify reproduces the text
 * and every object's names are in code-unit order the text is canonical. That costs a fraction of a full
 * canonicalisation per leaf (it matters over a million leaves). Escaped lone surrogates, which
 * stringify writes but RFC 8785 refuses, and any text the fast check rejects, go the full way.
 */
function isCanonicalText(text: string, value: unknown): boolean {
  if (!/\\u[dD][89a-fA-F]/.test(text) && JSON.stringify(value) === text && keysSorted(value)) return true;
  try {
    return canonicalize(value) === text;
  } catch {
    return false;
  }
}

/** Indexed copies of leaf fields (log_leaves columns): page and dwell come from `detail` when present. */
export interface LeafColumns {
  ts: number;
  event: string;
  user: string | null;
  role: string;
  session: string | null;
  objectKind: string | null;
  objectId: string | null;
  outcome: string;
  page: number | null;
  dwellMs: number | null;
}

function intOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

export function leafColumns(leaf: AccessLogLeaf): LeafColumns {
  return {
    ts: leaf.ts,
    event: leaf.event,
    user: leaf.actor.user,
    role: leaf.actor.role,
    session: leaf.session,
    objectKind: leaf.object?.kind ?? null,
    objectId: leaf.object?.id ?? null,
    outcome: leaf.outcome,
    page: intOrNull(leaf.detail['page']),
    dwellMs: intOrNull(leaf.detail['dwellMs']),
  };
}

/** The members that close every leaf, in canonical (sorted) order: …,"seq":S,"session":X,"ts":T,"v":1}. */
const SEQ_KEY = utf8(',"seq":');
const SESSION_KEY = utf8(',"session":');
const TS_KEY = utf8(',"ts":');
const NULL = utf8('null');
const END = utf8(`,"v":${LEAF_VERSION}}`);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

// `.length`, not `.byteLength`, in these loops: on Node 20 the byteLength getter costs ten times more.
function bytesAt(bytes: Uint8Array, at: number, expected: Uint8Array): boolean {
  if (at < 0 || at + expected.length > bytes.length) return false;
  for (let i = 0; i < expected.length; i++) if (bytes[at + i] !== expected[i]) return false;
  return true;
}

/** Where the canonical unsigned integer (no sign, no leading zero) ending just before `end` starts, or -1. */
function uintStart(bytes: Uint8Array, end: number): number {
  let start = end;
  while (start > 0 && end - start < 16 && bytes[start - 1]! >= 0x30 && bytes[start - 1]! <= 0x39) start--;
  const digits = end - start;
  return digits === 0 || (digits > 1 && bytes[start] === 0x30) ? -1 : start;
}

function uintValue(bytes: Uint8Array, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) value = value * 10 + (bytes[i]! - 0x30);
  return value;
}

/** Where the JSON string that closes just before `end` opens, or -1. */
function stringStartBefore(bytes: Uint8Array, end: number): number {
  if (bytes[end - 1] !== QUOTE) return -1;
  // Inside a JSON string every quote is escaped, so the opening quote is the first one before the
  // closing quote that follows an even number of backslashes.
  for (let i = end - 2; i >= 0; i--) {
    if (bytes[i] !== QUOTE) continue;
    let slashes = 0;
    while (i - slashes - 1 >= 0 && bytes[i - slashes - 1] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return i;
  }
  return -1;
}

/**
 * A leaf's own sequence number and timestamp read from its last bytes, without parsing the rest: what
 * the verifier needs from each of a million leaves. Canonical JSON sorts member names, so seq, session,
 * ts and v are always the last four members, and no byte sequence inside a string can look like them.
 * Null when the leaf does not end that way (parseLeaf then says what is wrong with it).
 */
export function readLeafTail(bytes: Uint8Array): { seq: number; ts: number } | null {
  const tsEnd = bytes.length - END.length;
  if (!bytesAt(bytes, tsEnd, END)) return null;
  const tsStart = uintStart(bytes, tsEnd);
  if (tsStart < 0 || !bytesAt(bytes, tsStart - TS_KEY.length, TS_KEY)) return null;
  let at = tsStart - TS_KEY.length;
  at = bytesAt(bytes, at - NULL.length, NULL) ? at - NULL.length : stringStartBefore(bytes, at);
  const seqEnd = at - SESSION_KEY.length;
  if (!bytesAt(bytes, seqEnd, SESSION_KEY)) return null;
  const seqStart = uintStart(bytes, seqEnd);
  if (seqStart < 0 || !bytesAt(bytes, seqStart - SEQ_KEY.length, SEQ_KEY)) return null;
  const seq = uintValue(bytes, seqStart, seqEnd);
  const ts = uintValue(bytes, tsStart, tsEnd);
  return seq <= Number.MAX_SAFE_INTEGER && ts <= Number.MAX_SAFE_INTEGER ? { seq, ts } : null;
}
