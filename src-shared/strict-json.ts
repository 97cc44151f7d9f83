/**
 * A strict RFC 8259 JSON parser for data that crosses a trust boundary (envelopes, bundles, HTTP bodies).
 *
 * JSON.parse keeps the last of duplicate keys, so `{"verdict":"pass","verdict":"fail"}` means different
 * things to different parsers (a classic signature-confusion trick). This parser refuses:
 * duplicate keys at any depth, invalid UTF-8 and a byte-order mark, lone surrogates raw or escaped
 * (I-JSON, RFC 7493 §2.1), numbers that overflow to Infinity, raw control characters in strings,
 * trailing content, nesting beyond a limit (stack exhaustion), and input beyond a size limit.
 */
import { RwError } from './errors';
import { fromUtf8 } from './encoding';
import { isWellFormedUtf16, type JsonValue } from './canonical-json';

export type { JsonValue };

export interface StrictJsonOptions {
  /** Deepest allowed nesting of arrays/objects (the top-level container is depth 1). Default 64. */
  maxDepth?: number;
  /** Largest accepted input in bytes (UTF-8 bytes, or UTF-16 code units for text). Default: no limit. */
  maxBytes?: number;
}

const DEFAULT_MAX_DEPTH = 64;

class Parser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  fail(message: string): never {
    throw new RwError('INVALID_INPUT', `Invalid JSON: ${message} at offset ${this.pos}.`, { offset: this.pos });
  }

  parseDocument(): JsonValue {
    this.skipWhitespace();
    const value = this.parseValue(0);
    this.skipWhitespace();
    if (this.pos !== this.text.length) this.fail('unexpected content after the value');
    return value;
  }

  private skipWhitespace(): void {
    // RFC 8259 §2: only space, tab, LF and CR are whitespace.
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else break;
    }
  }

  private parseValue(depth: number): JsonValue {
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 0x7b: // {
        return this.parseObject(depth + 1);
      case 0x5b: // [
        return this.parseArray(depth + 1);
      case 0x22: // "
        return this.parseString();
      case 0x74: // t
        return this.parseLiteral('true', true);
      case 0x66: // f
        return this.parseLiteral('false', false);
      case 0x6e: // n
        return this.parseLiteral('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.parseNumber();
        if (Number.isNaN(c)) this.fail('unexpected end of input');
        return this.fail('unexpected character');
    }
  }

  private parseLiteral<T extends JsonValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail('unknown literal');
    this.pos += word.length;
    return value;
  }

  private parseObject(depth: number): JsonValue {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`);
    this.pos++; // {
    const result: Record<string, JsonValue> = {};
    const keys = new Set<string>();
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail('expected a string key');
      const keyStart = this.pos;
      const key = this.parseString();
      if (keys.has(key)) {
        this.pos = keyStart;
        this.fail(`duplicate key ${JSON.stringify(key)}`);
      }
      keys.add(key);
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail("expected ':'");
      this.pos++;
      this.skipWhitespace();
      const value = this.parseValue(depth);
      // defineProperty, not assignment: a "__proto__" key must become data, never the prototype.
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x2c) {
        this.pos++;
        continue;
      }
      if (c === 0x7d) {
        this.pos++;
        return result;
      }
      this.fail("expected ',' or '}'");
    }
  }

  private parseArray(depth: number): JsonValue {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`);
    this.pos++; // [
    const result: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      result.push(this.parseValue(depth));
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x2c) {
        this.pos++;
        continue;
      }
      if (c === 0x5d) {
        this.pos++;
        return result;
      }
      this.fail("expected ',' or ']'");
    }
  }

  private parseString(): string {
    const t = this.text;
    const start = this.pos;
    this.pos++; // opening quote
    let out = '';
    let runStart = this.pos;
    for (;;) {
      if (this.pos >= t.length) {
        this.pos = start;
        this.fail('unterminated string');
      }
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        out += t.slice(runStart, this.pos);
        this.pos++;
        break;
      }
      if (c < 0x20) this.fail('raw control character in a string');
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += t.slice(runStart, this.pos);
      const e = t.charCodeAt(this.pos + 1);
      switch (e) {
        case 0x22: out += '"'; break;
        case 0x5c: out += '\\'; break;
        case 0x2f: out += '/'; break;
        case 0x62: out += '\b'; break;
        case 0x66: out += '\f'; break;
        case 0x6e: out += '\n'; break;
        case 0x72: out += '\r'; break;
        case 0x74: out += '\t'; break;
        case 0x75: {
          const hex = t.slice(this.pos + 2, this.pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 4;
          break;
        }
        default:
          this.fail('invalid escape');
      }
      this.pos += 2;
      runStart = this.pos;
    }
    // Checked on the decoded string so raw and escaped halves are judged alike (RFC 7493 §2.1).
    if (!isWellFormedUtf16(out)) {
      this.pos = start;
      this.fail('lone surrogate in a string');
    }
    return out;
  }

  private parseNumber(): number {
    // RFC 8259 §6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    const t = this.text;
    const start = this.pos;
    const digits = (): number => {
      const from = this.pos;
      while (this.pos < t.length && t.charCodeAt(this.pos) >= 0x30 && t.charCodeAt(this.pos) <= 0x39) this.pos++;
      return this.pos - from;
    };
    if (t.charCodeAt(this.pos) === 0x2d) this.pos++;
    if (t.charCodeAt(this.pos) === 0x30) {
      this.pos++;
      const next = t.charCodeAt(this.pos);
      if (next >= 0x30 && next <= 0x39) this.fail('leading zero in a number');
    } else if (digits() === 0) this.fail('invalid number');
    if (t.charCodeAt(this.pos) === 0x2e) {
      this.pos++;
      if (digits() === 0) this.fail('invalid fraction');
    }
    const e = t.charCodeAt(this.pos);
    if (e === 0x65 || e === 0x45) {
      this.pos++;
      const sign = t.charCodeAt(this.pos);
      if (sign === 0x2b || sign === 0x2d) this.pos++;
      if (digits() === 0) this.fail('invalid exponent');
    }
    const value = Number(t.slice(start, this.pos));
    if (!Number.isFinite(value)) {
      this.pos = start;
      this.fail('number out of range');
    }
    return value;
  }
}

/**
 * Parse JSON from UTF-8 bytes or from text, refusing everything listed at the top of this file with
 * RwError('INVALID_INPUT') (or 'TOO_LARGE' beyond maxBytes).
 */
export function parseStrictJson(input: Uint8Array | string, options: StrictJsonOptions = {}): JsonValue {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (options.maxBytes !== undefined && size > options.maxBytes) {
    throw new RwError('TOO_LARGE', `The JSON document is larger than ${options.maxBytes} bytes.`, { limit: options.maxBytes });
  }
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    // RFC 8259 §8.1: no BOM. TextDecoder would strip it silently, so look before decoding.
    if (input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf) {
      throw new RwError('INVALID_INPUT', 'Invalid JSON: a byte-order mark is not allowed.');
    }
    text = fromUtf8(input);
  }
  return parsedIfRoundTrip(text, maxDepth) ?? new Parser(text, maxDepth).parseDocument();
}

/** Nesting depth of a parsed value (a scalar 0, the top-level container 1), counted no deeper than `limit + 1`. */
function depthOf(value: JsonValue, limit: number): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (limit < 0) return 1;
  let deepest = 0;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    const d = depthOf(child, limit - 1);
    if (d > deepest) deepest = d;
  }
  return deepest + 1;
}

/**
 * The fast path: text that JSON.stringify writes back character for character from what JSON.parse made
 * of it (canonical JSON, RFC 8785, always is) is JSON this parser accepts, with the same value, so the
 * native parser may read it. A duplicate key would be missing from the rewrite, an overflowing number
 * would come back as null, -0 as 0, whitespace not at all; text with a \u escape is left to the parser
 * below, as an escaped lone surrogate survives the round trip. Nesting is counted on the value. Anything
 * else (valid or not) returns undefined and goes through the strict parser, which words the refusal.
 */
function parsedIfRoundTrip(text: string, maxDepth: number): JsonValue | undefined {
  if (text.includes('\\u')) return undefined;
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
  // Depth first: it also keeps JSON.stringify from recursing through a deeply nested value.
  return depthOf(value, maxDepth) <= maxDepth && JSON.stringify(value) === text ? value : undefined;
}
