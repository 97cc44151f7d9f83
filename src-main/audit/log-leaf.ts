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

function bytesAt(bytes: Uint8Array, at: number, expected: Uint8Array): boolean {
  return literalAt(bytes, at, bytes.length, expected) >= 0;
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

/** A leaf's indexed columns, and whether it records an artifact open (detail.action = "open"). */
export interface LeafFacts {
  columns: LeafColumns;
  open: boolean;
}

/** What scanLeafFacts fills in: one object reused for every leaf, so a million leaves allocate nothing. */
export interface LeafFactsScratch extends LeafColumns {
  open: boolean;
}

/** A scratch object for scanLeafFacts. */
export function leafFactsScratch(): LeafFactsScratch {
  return { ts: 0, event: '', user: null, role: '', session: null, objectKind: null, objectId: null, outcome: '', page: null, dwellMs: null, open: false };
}

/**
 * The indexed columns of a leaf (what leafColumns gives) and its open flag, read from its canonical bytes
 * in one forward pass, without JSON.parse or the schema: what recomputing the console's aggregates from a
 * million leaves can afford. Canonical JSON fixes the order of every member, so the scan expects exactly
 * `{"actor":{"role":…,"user":…},"app":…,"detail":{…},"device":…,"event":…,"mono":…,"object":…,
 * "outcome":…,"seq":…` and gives up (null) at the first byte that differs, and on any escape inside a
 * string it reads; the caller then parses the leaf in full. tests/unit/src-main/audit/log-leaf.test.ts
 * checks it against parseLeaf + leafColumns.
 */
export function readLeafFacts(bytes: Uint8Array, tail: { seq: number; ts: number } | null = readLeafTail(bytes)): LeafFacts | null {
  if (!tail) return null;
  const out = leafFactsScratch();
  if (!scanLeafFacts(bytes, 0, bytes.length, tail.seq, tail.ts, out)) return null;
  const { open, ...columns } = out;
  return { columns, open };
}

/**
 * readLeafFacts over bytes[from, end) into `out`, with the seq and ts readLeafTail read from the same
 * bytes; false (and `out` half written) where readLeafFacts gives null. The aggregates' recount runs
 * this on every leaf: it allocates nothing per leaf (the strings it reads come from a small cache: the
 * same users, roles, events, sessions and artifact ids recur in every leaf) and reads the leaf in place
 * in the buffer it arrived in.
 */
export function scanLeafFacts(b: Uint8Array, from: number, end: number, seq: number, ts: number, out: LeafFactsScratch): boolean {
  let at = literalAt(b, from, end, P_ROLE);
  if (at < 0) return false;
  const role = stringAt(b, at, end);
  if (role === null) return false;
  at = literalAt(b, scanEnd, end, P_USER);
  if (at < 0) return false;
  const user = nullOrStringAt(b, at, end);
  if (user === undefined) return false;
  at = literalAt(b, scanEnd, end, P_APP);
  if (at < 0 || (at = skipStringAt(b, at, end)) < 0 || (at = literalAt(b, at, end, P_DETAIL)) < 0) return false;
  let page: number | null = null;
  let dwellMs: number | null = null;
  let open = false;
  if (b[at] === CLOSE_BRACE) at++;
  else {
    for (;;) {
      const key = detailKeyAt(b, at, end);
      if (key < 0) return false;
      at = scanEnd;
      if (b[at++] !== COLON) return false;
      if (b[at] === QUOTE) {
        // A string: no page or dwell time (leafColumns keeps integers only); an open if it is "open".
        const openAt = key === KEY_ACTION ? literalAt(b, at, end, OPEN_VALUE) : -1;
        if (openAt >= 0) {
          open = true;
          at = openAt;
        } else if ((at = skipStringAt(b, at, end)) < 0) return false;
        if (key === KEY_PAGE) page = null;
        else if (key === KEY_DWELL) dwellMs = null;
      } else {
        if (!scalarAt(b, at, end)) return false;
        at = scanEnd;
        if (key === KEY_PAGE) page = scalarValue;
        else if (key === KEY_DWELL) dwellMs = scalarValue;
      }
      const c = b[at++];
      if (c === CLOSE_BRACE) break;
      if (c !== COMMA) return false;
    }
  }
  if ((at = literalAt(b, at, end, P_DEVICE)) < 0 || (at = skipStringAt(b, at, end)) < 0 || (at = literalAt(b, at, end, P_EVENT)) < 0) return false;
  const event = stringAt(b, at, end);
  if (event === null || (at = literalAt(b, scanEnd, end, P_MONO)) < 0 || !scalarAt(b, at, end) || (at = literalAt(b, scanEnd, end, P_OBJECT)) < 0) return false;
  let objectKind: string | null = null;
  let objectId: string | null = null;
  const noObject = literalAt(b, at, end, NULL);
  if (noObject >= 0) at = noObject;
  else {
    if ((at = literalAt(b, at, end, P_DIGEST)) < 0 || (at = skipNullOrStringAt(b, at, end)) < 0 || (at = literalAt(b, at, end, P_ID)) < 0) return false;
    objectId = stringAt(b, at, end);
    if (objectId === null || (at = literalAt(b, scanEnd, end, P_KIND)) < 0) return false;
    objectKind = stringAt(b, at, end);
    if (objectKind === null || (at = literalAt(b, scanEnd, end, P_NAME)) < 0 || (at = skipNullOrStringAt(b, at, end)) < 0 || b[at++] !== CLOSE_BRACE) return false;
  }
  if ((at = literalAt(b, at, end, P_OUTCOME)) < 0) return false;
  const outcome = stringAt(b, at, end);
  if (outcome === null || (at = literalAt(b, scanEnd, end, SEQ_KEY)) < 0 || !scalarAt(b, at, end) || scalarValue !== seq || (at = literalAt(b, scanEnd, end, SESSION_KEY)) < 0) return false;
  const session = nullOrStringAt(b, at, end);
  if (session === undefined || literalAt(b, scanEnd, end, TS_KEY) < 0) return false;
  out.ts = ts;
  out.event = event;
  out.user = user;
  out.role = role;
  out.session = session;
  out.objectKind = objectKind;
  out.objectId = objectId;
  out.outcome = outcome;
  out.page = page;
  out.dwellMs = dwellMs;
  out.open = open;
  return true;
}

const P_ROLE = utf8('{"actor":{"role":');
const P_USER = utf8(',"user":');
const P_APP = utf8('},"app":');
const P_DETAIL = utf8(',"detail":{');
const P_DEVICE = utf8(',"device":');
const P_EVENT = utf8(',"event":');
const P_MONO = utf8(',"mono":');
const P_OBJECT = utf8(',"object":');
const P_DIGEST = utf8('{"digest":');
const P_ID = utf8(',"id":');
const P_KIND = utf8(',"kind":');
const P_NAME = utf8(',"name":');
const P_OUTCOME = utf8(',"outcome":');
const OPEN_VALUE = utf8('"open"');
const TRUE = utf8('true');
const FALSE = utf8('false');
const COLON = 0x3a;
const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;
const decoder = new TextDecoder('utf-8', { fatal: true });
const INTERN_LIMIT = 4096;
const internCache = new Map<number, { bytes: Uint8Array; text: string }>();

// The readers below take a position and return the next one (-1: not what a canonical leaf holds there),
// or return a value and leave the position after it in scanEnd: one pass, no cursor object per leaf.
let scanEnd = 0;
/** The value scalarAt read: the safe integer a number spells, null for true, false, null or an unsafe integer. */
let scalarValue: number | null = null;

/**
 * Just past `expected` when the bytes at `at` are it, else -1. `.length`, not `.byteLength`, in these
 * loops: on Node 20 the byteLength getter costs ten times more.
 */
function literalAt(b: Uint8Array, at: number, end: number, expected: Uint8Array): number {
  const n = expected.length;
  if (at < 0 || at + n > end) return -1;
  for (let i = 0; i < n; i++) if (b[at + i] !== expected[i]) return -1;
  return at + n;
}

/** Just past the JSON string at `at` (escapes allowed, control characters not), or -1. */
function skipStringAt(b: Uint8Array, at: number, end: number): number {
  if (at >= end || b[at] !== QUOTE) return -1;
  for (let i = at + 1; i < end; i++) {
    const c = b[i]!;
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) i++;
    else if (c < 0x20) return -1;
  }
  return -1;
}

function skipNullOrStringAt(b: Uint8Array, at: number, end: number): number {
  const afterNull = literalAt(b, at, end, NULL);
  return afterNull >= 0 ? afterNull : skipStringAt(b, at, end);
}

/**
 * The JSON string at `at` when it holds no escape and is UTF-8 (null otherwise: the caller parses the
 * leaf in full). Its text comes from a cache keyed by a hash of its bytes and checked byte for byte.
 */
function stringAt(b: Uint8Array, at: number, end: number): string | null {
  if (at >= end || b[at] !== QUOTE) return null;
  const start = at + 1;
  let hash = 0x811c9dc5;
  let close = -1;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c === QUOTE) {
      close = i;
      break;
    }
    if (c === BACKSLASH || c < 0x20) return null;
    hash = Math.imul(hash ^ c, 0x01000193);
  }
  if (close < 0) return null;
  const n = close - start;
  const cached = internCache.get(hash);
  let text: string | null = null;
  if (cached && cached.bytes.length === n) {
    const bytes = cached.bytes;
    let i = 0;
    while (i < n && b[start + i] === bytes[i]) i++;
    if (i === n) text = cached.text;
  }
  if (text === null) {
    try {
      text = decoder.decode(b.subarray(start, close));
    } catch {
      return null;
    }
    if (internCache.size >= INTERN_LIMIT) internCache.clear();
    internCache.set(hash, { bytes: b.slice(start, close), text });
  }
  scanEnd = close + 1;
  return text;
}

/** null, or a string as stringAt reads it; undefined otherwise. */
function nullOrStringAt(b: Uint8Array, at: number, end: number): string | null | undefined {
  const afterNull = literalAt(b, at, end, NULL);
  if (afterNull >= 0) {
    scanEnd = afterNull;
    return null;
  }
  return stringAt(b, at, end) ?? undefined;
}

const KEY_OTHER = 0;
const KEY_ACTION = 1;
const KEY_PAGE = 2;
const KEY_DWELL = 3;

/**
 * The detail member name at `at`, read as stringAt reads it: KEY_ACTION, KEY_PAGE, KEY_DWELL or
 * KEY_OTHER; -1 where stringAt gives null. Position in scanEnd.
 */
function detailKeyAt(b: Uint8Array, at: number, end: number): number {
  const key = stringAt(b, at, end);
  return key === null ? -1 : key === 'action' ? KEY_ACTION : key === 'page' ? KEY_PAGE : key === 'dwellMs' ? KEY_DWELL : KEY_OTHER;
}

/**
 * A number, true, false or null running from `at` to the next comma or closing brace: the safe integer
 * it spells into scalarValue (as leafColumns keeps), null for anything else; false when it is not a
 * canonical scalar (a fraction, an exponent, a leading zero, minus zero, more than 16 digits). Position
 * in scanEnd.
 */
function scalarAt(b: Uint8Array, at: number, end: number): boolean {
  let i = at;
  while (i < end && b[i] !== COMMA && b[i] !== CLOSE_BRACE) i++;
  if (i === at) return false;
  scanEnd = i;
  const first = b[at];
  if (first === 0x74 || first === 0x66 || first === 0x6e) {
    const length = i - at;
    scalarValue = null;
    return (length === 4 && (literalAt(b, at, i, TRUE) === i || literalAt(b, at, i, NULL) === i)) || (length === 5 && literalAt(b, at, i, FALSE) === i);
  }
  const negative = first === 0x2d;
  const digitsFrom = negative ? at + 1 : at;
  if (uintStart(b, i) !== digitsFrom) return false;
  const value = uintValue(b, digitsFrom, i);
  if (negative && value === 0) return false;
  scalarValue = value > Number.MAX_SAFE_INTEGER ? null : negative ? -value : value;
  return true;
}
