/**
 * JSON as Python's json module writes it for Inspect logs: RFC 8259 plus the bare tokens `NaN`,
 * `Infinity` and `-Infinity` in value position (json.dumps(allow_nan=True), the default). Nothing else
 * non-standard is accepted: no comments, no single quotes, no trailing commas, no `NaN` as a key.
 *
 * The fast path is JSON.parse. Only when it fails is the text scanned once: every bare token in value
 * position is replaced by a string marker that cannot occur in the document (a nonce the text does not
 * contain), JSON.parse validates everything else, and a reviver turns the markers back into numbers.
 */

export class PythonJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PythonJsonError';
  }
}

const TOKENS: ReadonlyArray<readonly [string, number]> = [
  ['-Infinity', -Infinity],
  ['Infinity', Infinity],
  ['NaN', NaN],
];

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function makeNonce(text: string): string {
  for (let i = 0; ; i++) {
    const nonce = `~rw-nan-${Math.random().toString(36).slice(2)}-${i}`;
    if (!text.includes(nonce)) return nonce;
  }
}

/** Rewrites bare NaN/Infinity in value position; returns null when there are none. */
function rewriteSpecials(text: string, nonce: string): string | null {
  // Container stack: true for an object. `expectKey` is true right after `{` or a `,` inside an object.
  const stack: boolean[] = [];
  let expectKey = false;
  let out: string[] | null = null;
  let last = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip a string (escapes included) without looking inside.
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
      i++;
      expectKey = false;
      continue;
    }
    if (c === 0x7b) {
      stack.push(true);
      expectKey = true;
    } else if (c === 0x5b) {
      stack.push(false);
      expectKey = false;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      expectKey = stack[stack.length - 1] === true;
    } else if (c === 0x3a) {
      expectKey = false;
    } else if (c === 0x4e || c === 0x49 || c === 0x2d) {
      const token = TOKENS.find(([word]) => text.startsWith(word, i));
      if (token) {
        if (expectKey) throw new PythonJsonError(`${token[0]} cannot be an object key (offset ${i})`);
        out ??= [];
        out.push(text.slice(last, i), `"${nonce}${token[0]}"`);
        i += token[0].length;
        last = i;
        continue;
      }
    } else if (!isWs(c)) {
      expectKey = false;
    }
    i++;
  }
  if (!out) return null;
  out.push(text.slice(last));
  return out.join('');
}

/** Parses one JSON document as Python writes it. Throws PythonJsonError on anything else. */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (first) {
    const nonce = makeNonce(text);
    let rewritten: string | null;
    try {
      rewritten = rewriteSpecials(text, nonce);
    } catch (error) {
      throw new PythonJsonError(error instanceof Error ? error.message : 'invalid JSON');
    }
    if (rewritten === null) throw new PythonJsonError(first instanceof Error ? first.message : 'invalid JSON');
    try {
      return JSON.parse(rewritten, (_key, value: unknown) => {
        if (typeof value === 'string' && value.startsWith(nonce)) {
          const word = value.slice(nonce.length);
          const token = TOKENS.find(([w]) => w === word);
          if (token) return token[1];
        }
        return value;
      }) as unknown;
    } catch (error) {
      throw new PythonJsonError(error instanceof Error ? error.message : 'invalid JSON');
    }
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes strict UTF-8 (a BOM is kept, so JSON.parse refuses it) and parses. */
export function parsePythonJsonBytes(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new PythonJsonError('the text is not valid UTF-8');
  }
  return parsePythonJson(text);
}
