/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): one byte string per JSON value, so that a value can be
 * hashed and signed (access-log leaves, attestation predicates) and re-derived by any verifier.
 *
 * Refuses what JCS cannot represent or what would make two producers disagree: non-finite numbers,
 * undefined, functions, symbols, bigints, lone surrogates (RFC 8785 §3.1 requires I-JSON, RFC 7493 §2.1),
 * sparse arrays, cycles, and anything that is not a plain object or array (Date, Map, class instances;
 * a toJSON method is a function member and so refused) — JSON.stringify would silently coerce or drop those.
 */
import { RwError } from './errors';
import { utf8 } from './encoding';

/** A JSON value as the canonicaliser accepts it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Deep enough for any document we sign; a guard against stack exhaustion on hostile input. */
const MAX_DEPTH = 512;

function refuse(message: string, path: string): never {
  throw new RwError('INVALID_INPUT', `Cannot canonicalise JSON: ${message}.`, { path });
}

/** True when the string has no unpaired UTF-16 surrogate (I-JSON, RFC 7493 §2.1). */
export function isWellFormedUtf16(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c >= 0xdc00) return false;
    const next = text.charCodeAt(i + 1);
    if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
    i++;
  }
  return true;
}

function serializeString(text: string, path: string): string {
  if (!isWellFormedUtf16(text)) refuse('a string holds a lone surrogate', path);
  // RFC 8785 §3.2.2.2: the ECMAScript JSON string serialisation (short escapes, \u00XX for other
  // controls, everything else literal). JSON.stringify of a well-formed string is exactly that.
  return JSON.stringify(text);
}

function serializeNumber(value: number, path: string): string {
  if (!Number.isFinite(value)) refuse('numbers must be finite', path);
  // RFC 8785 §3.2.2.3: ECMAScript Number.prototype.toString; -0 becomes "0" as JSON.stringify does.
  return JSON.stringify(value);
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function serialize(value: unknown, path: string, depth: number, seen: Set<object>, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      out.push(serializeNumber(value, path));
      return;
    case 'string':
      out.push(serializeString(value, path));
      return;
    case 'object':
      break;
    default:
      refuse(`${typeof value} is not a JSON value`, path);
  }
  const object = value as object;
  if (depth >= MAX_DEPTH) refuse('nesting is too deep', path);
  if (seen.has(object)) refuse('the value contains a cycle', path);
  seen.add(object);
  if (Array.isArray(object)) {
    out.push('[');
    for (let i = 0; i < object.length; i++) {
      if (i > 0) out.push(',');
      if (!Object.prototype.hasOwnProperty.call(object, i)) refuse('sparse arrays are not JSON', `${path}[${i}]`);
      serialize(object[i] as unknown, `${path}[${i}]`, depth + 1, seen, out);
    }
    out.push(']');
  } else {
    if (!isPlainObject(object)) refuse('only plain objects and arrays are JSON', path);
    if (Object.getOwnPropertySymbols(object).length > 0) refuse('symbol keys are not JSON', path);
    // RFC 8785 §3.2.3: sort by UTF-16 code units, which is what the default string comparison does.
    const keys = Object.keys(object).sort();
    out.push('{');
    let first = true;
    for (const key of keys) {
      const child = (object as Record<string, unknown>)[key];
      // An undefined member would be dropped by JSON.stringify: two signers would disagree.
      if (child === undefined) refuse('undefined is not a JSON value', `${path}.${key}`);
      if (!first) out.push(',');
      first = false;
      out.push(serializeString(key, path), ':');
      serialize(child, `${path}.${key}`, depth + 1, seen, out);
    }
    out.push('}');
  }
  seen.delete(object);
}

/** The RFC 8785 canonical text of `value`. Throws RwError('INVALID_INPUT') for anything JCS cannot represent. */
export function canonicalize(value: unknown): string {
  const out: string[] = [];
  serialize(value, '$', 0, new Set(), out);
  return out.join('');
}

/** The RFC 8785 canonical form as UTF-8 bytes: what gets hashed or signed. */
export function canonicalBytes(value: unknown): Uint8Array {
  return utf8(canonicalize(value));
}
