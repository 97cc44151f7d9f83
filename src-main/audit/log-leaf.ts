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

/** A leaf's indexed columns, and whether it records an artifact open (detail.action = "open"). */
export interface LeafFacts {
  columns: LeafColumns;
  open: boolean;
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
  const s = new LeafScanner(bytes);
  if (!s.literal(P_ROLE)) return null;
  const role = s.string();
  if (role === null || !s.literal(P_USER)) return null;
  const user = s.nullOrString();
  if (user === undefined || !s.literal(P_APP) || !s.skipString() || !s.literal(P_DETAIL)) return null;
  let page: number | null = null;
  let dwellMs: number | null = null;
  let open = false;
  if (s.peek() === CLOSE_BRACE) s.at++;
  else {
    for (;;) {
      const key = s.string();
      if (key === null || s.next() !== COLON) return null;
      if (s.peek() === QUOTE) {
        // A string: no page or dwell time (leafColumns keeps integers only); an open if it is "open".
        if (key === 'action' && s.literal(OPEN_VALUE)) open = true;
        else if (!s.skipString()) return null;
        if (key === 'page') page = null;
        else if (key === 'dwellMs') dwellMs = null;
      } else {
        const value = s.scalar();
        if (value === undefined) return null;
        if (key === 'page') page = value;
        else if (key === 'dwellMs') dwellMs = value;
      }
      const c = s.next();
      if (c === CLOSE_BRACE) break;
      if (c !== COMMA) return null;
    }
  }
  if (!s.literal(P_DEVICE) || !s.skipString() || !s.literal(P_EVENT)) return null;
  const event = s.string();
  if (event === null || !s.literal(P_MONO) || s.scalar() === undefined || !s.literal(P_OBJECT)) return null;
  let objectKind: string | null = null;
  let objectId: string | null = null;
  if (!s.literal(NULL)) {
    if (!s.literal(P_DIGEST) || !s.skipNullOrString() || !s.literal(P_ID)) return null;
    objectId = s.string();
    if (objectId === null || !s.literal(P_KIND)) return null;
    objectKind = s.string();
    if (objectKind === null || !s.literal(P_NAME) || !s.skipNullOrString() || s.next() !== CLOSE_BRACE) return null;
  }
  if (!s.literal(P_OUTCOME)) return null;
  const outcome = s.string();
  if (outcome === null || !s.literal(SEQ_KEY) || s.scalar() !== tail.seq || !s.literal(SESSION_KEY)) return null;
  const session = s.nullOrString();
  if (session === undefined || !s.literal(TS_KEY)) return null;
  return { columns: { ts: tail.ts, event, user, role, session, objectKind, objectId, outcome, page, dwellMs }, open };
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

/** A cursor over leaf bytes; every read returns null/undefined (never throws) on what it does not expect. */
class LeafScanner {
  at = 0;
  readonly #b: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.#b = bytes;
  }

  peek(): number | undefined {
    return this.#b[this.at];
  }

  next(): number | undefined {
    return this.#b[this.at++];
  }

  literal(expected: Uint8Array): boolean {
    if (!bytesAt(this.#b, this.at, expected)) return false;
    this.at += expected.length;
    return true;
  }

  /** The end of the string starting at `at` (just past its closing quote), or -1; `escaped` when it has any. */
  #stringEnd(): { end: number; escaped: boolean } {
    const b = this.#b;
    if (b[this.at] !== QUOTE) return { end: -1, escaped: false };
    let escaped = false;
    for (let i = this.at + 1; i < b.length; i++) {
      const c = b[i]!;
      if (c === QUOTE) return { end: i + 1, escaped };
      if (c === BACKSLASH) {
        escaped = true;
        i++;
      } else if (c < 0x20) return { end: -1, escaped };
    }
    return { end: -1, escaped };
  }

  skipString(): boolean {
    const { end } = this.#stringEnd();
    if (end < 0) return false;
    this.at = end;
    return true;
  }

  /**
   * A string without escapes (null otherwise: the caller parses the leaf in full). The same few users,
   * roles, events, sessions and artifact ids recur in every leaf, so their text comes from a small cache
   * keyed by a hash of the bytes (checked byte for byte) instead of a new string per leaf.
   */
  string(): string | null {
    const b = this.#b;
    if (b[this.at] !== QUOTE) return null;
    const start = this.at + 1;
    let hash = 0x811c9dc5;
    let end = -1;
    for (let i = start; i < b.length; i++) {
      const c = b[i]!;
      if (c === QUOTE) {
        end = i;
        break;
      }
      if (c === BACKSLASH || c < 0x20) return null;
      hash = Math.imul(hash ^ c, 0x01000193);
    }
    if (end < 0) return null;
    const cached = internCache.get(hash);
    let text: string;
    if (cached && cached.bytes.length === end - start && bytesAt(b, start, cached.bytes)) text = cached.text;
    else {
      try {
        text = decoder.decode(b.subarray(start, end));
      } catch {
        return null;
      }
      if (internCache.size >= INTERN_LIMIT) internCache.clear();
      internCache.set(hash, { bytes: b.slice(start, end), text });
    }
    this.at = end + 1;
    return text;
  }

  skipNullOrString(): boolean {
    return this.literal(NULL) || this.skipString();
  }

  /** null, or a string without escapes; undefined otherwise. */
  nullOrString(): string | null | undefined {
    if (this.literal(NULL)) return null;
    return this.string() ?? undefined;
  }

  /**
   * A number, true, false or null: the safe integer it spells (as leafColumns keeps), null for anything
   * else, undefined when it is not a canonical scalar.
   */
  scalar(): number | null | undefined {
    const b = this.#b;
    const start = this.at;
    let i = start;
    while (i < b.length && b[i] !== COMMA && b[i] !== CLOSE_BRACE) i++;
    if (i === start) return undefined;
    this.at = i;
    if (b[start] === 0x74 || b[start] === 0x66 || b[start] === 0x6e) {
      const length = i - start;
      return (length === 4 && (bytesAt(b, start, TRUE) || bytesAt(b, start, NULL))) || (length === 5 && bytesAt(b, start, FALSE)) ? null : undefined;
    }
    const negative = b[start] === 0x2d;
    const digitsFrom = negative ? start + 1 : start;
    const end = uintStart(b, i) === digitsFrom ? i : -1;
    if (end < 0) return undefined; // a fraction or exponent: not what canonical leaves hold
    const value = uintValue(b, digitsFrom, i);
    if (value > Number.MAX_SAFE_INTEGER) return null;
    return negative ? (value === 0 ? undefined : -value) : value;
  }
}
