/**
 * One pass over a `.json` Inspect log (a single EvalLog object, samples inline) that finds where each
 * top-level member and each element of `samples` lies, without parsing them. The reader then parses
 * the small members whole and the samples one at a time from their byte ranges, so memory is bounded
 * by the largest sample, not by the log.
 *
 * The scan works on UTF-8 bytes: every structural character is ASCII and never occurs inside a
 * multi-byte sequence. It checks the top-level grammar (object, string keys, `:`, `,`, the samples
 * array of objects); the content of each range is checked by the JSON parser when it is read.
 */
import { archiveError } from './eval-archive';
import type { LogSource } from './log-source';

export interface ByteRange {
  offset: number;
  length: number;
}

export interface JsonLogIndex {
  /** Top-level members other than `samples`, by key. */
  members: Map<string, ByteRange>;
  samples: ByteRange[];
}

const SCAN_CHUNK = 1024 * 1024;
const MAX_KEY_BYTES = 256;

const enum Top {
  Start,
  ExpectKeyOrEnd,
  InKey,
  ExpectColon,
  ExpectValue,
  InValue,
  ExpectCommaOrEnd,
  ExpectKey,
  Done,
}

const enum Arr {
  None,
  ExpectElementOrEnd,
  ExpectElement,
  InElement,
  ExpectCommaOrEnd,
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export async function indexJsonLog(source: LogSource, onProgress?: (done: number, total: number) => void): Promise<JsonLogIndex> {
  const members = new Map<string, ByteRange>();
  const samples: ByteRange[] = [];
  let top: Top = Top.Start;
  let arr: Arr = Arr.None;
  let depth = 0;
  let inString = false;
  let escape = false;
  let key: number[] = [];
  let currentKey = '';
  let valueStart = 0;
  let valueEnd = 0;
  let elementStart = 0;
  const seen = new Set<string>();
  const bad = (pos: number, what: string): never => {
    throw archiveError(`not a JSON log: ${what} at byte ${pos}`);
  };
  const endMember = (): void => {
    members.set(currentKey, { offset: valueStart, length: valueEnd - valueStart });
  };

  for (let base = 0; base < source.size; base += SCAN_CHUNK) {
    const chunk = await source.read(base, Math.min(SCAN_CHUNK, source.size - base));
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk[i]!;
      const pos = base + i;
      if (inString) {
        if (top === Top.InKey) {
          if (escape) escape = false;
          else if (c === 0x5c) escape = true;
          else if (c === 0x22) {
            inString = false;
            currentKey = Buffer.from(key).toString('utf8');
            // Two members of one name mean different things to different readers: refuse.
            if (seen.has(currentKey)) bad(pos, `the key "${currentKey.slice(0, 40)}" twice`);
            seen.add(currentKey);
            top = Top.ExpectColon;
            continue;
          }
          if (key.length >= MAX_KEY_BYTES) bad(pos, 'a key too long');
          key.push(c);
          continue;
        }
        if (escape) escape = false;
        else if (c === 0x5c) escape = true;
        else if (c === 0x22) {
          inString = false;
          if (depth === 1 && top === Top.InValue) valueEnd = pos + 1;
        }
        continue;
      }
      switch (top) {
        case Top.Start:
          if (isWs(c)) continue;
          if (c !== 0x7b) bad(pos, 'the log is not a JSON object');
          depth = 1;
          top = Top.ExpectKeyOrEnd;
          continue;
        case Top.ExpectKeyOrEnd:
        case Top.ExpectKey:
          if (isWs(c)) continue;
          if (c === 0x7d && top === Top.ExpectKeyOrEnd) {
            depth = 0;
            top = Top.Done;
            continue;
          }
          if (c !== 0x22) bad(pos, 'expected a key');
          inString = true;
          key = [];
          top = Top.InKey;
          continue;
        case Top.ExpectColon:
          if (isWs(c)) continue;
          if (c !== 0x3a) bad(pos, 'expected ":"');
          top = Top.ExpectValue;
          continue;
        case Top.ExpectValue:
          if (isWs(c)) continue;
          valueStart = pos;
          valueEnd = pos + 1;
          top = Top.InValue;
          if (currentKey === 'samples' && c === 0x5b) {
            arr = Arr.ExpectElementOrEnd;
            depth = 2;
            continue;
          }
          arr = Arr.None;
          break; // the first byte of the value is handled below
        case Top.Done:
          if (!isWs(c)) bad(pos, 'content after the log object');
          continue;
        default:
          break;
      }
      if (top === Top.ExpectCommaOrEnd) {
        if (isWs(c)) continue;
        if (c === 0x2c) top = Top.ExpectKey;
        else if (c === 0x7d) {
          depth = 0;
          top = Top.Done;
        } else bad(pos, 'expected "," or "}"');
        continue;
      }
      // top === InValue
      if (arr !== Arr.None && depth === 2) {
        // Between elements of the samples array.
        if (isWs(c)) continue;
        if (arr === Arr.ExpectCommaOrEnd || arr === Arr.ExpectElementOrEnd) {
          if (c === 0x5d) {
            depth = 1;
            arr = Arr.None;
            top = Top.ExpectCommaOrEnd;
            continue;
          }
          if (arr === Arr.ExpectCommaOrEnd) {
            if (c !== 0x2c) bad(pos, 'expected "," or "]" between samples');
            arr = Arr.ExpectElement;
            continue;
          }
        }
        if (c !== 0x7b) bad(pos, 'a sample that is not an object');
        elementStart = pos;
        depth = 3;
        arr = Arr.InElement;
        continue;
      }
      if (c === 0x22) {
        inString = true;
        continue;
      }
      if (c === 0x7b || c === 0x5b) {
        depth++;
        continue;
      }
      if (c === 0x7d || c === 0x5d) {
        if (depth === 1) {
          // The end of the top-level object closes a scalar value.
          if (c !== 0x7d) bad(pos, 'unbalanced "]"');
          endMember();
          depth = 0;
          top = Top.Done;
          continue;
        }
        depth--;
        if (arr === Arr.InElement && depth === 2) {
          samples.push({ offset: elementStart, length: pos + 1 - elementStart });
          arr = Arr.ExpectCommaOrEnd;
          continue;
        }
        if (depth === 1) {
          valueEnd = pos + 1;
          endMember();
          top = Top.ExpectCommaOrEnd;
        }
        continue;
      }
      if (depth === 1) {
        if (c === 0x2c) {
          endMember();
          top = Top.ExpectKey;
          continue;
        }
        if (!isWs(c)) valueEnd = pos + 1;
      }
    }
    onProgress?.(Math.min(source.size, base + SCAN_CHUNK), source.size);
  }
  if (top !== Top.Done) throw archiveError('the JSON log is truncated (the top-level object never closes)');
  return { members, samples };
}
