/**
 * The zip container of an Inspect `.eval` log, read over a random-access LogSource (APPNOTE.TXT 6.3.10).
 *
 * Why our own reader and not yauzl: Inspect writes Zstandard entries (method 93, its default since
 * 2026) which yauzl refuses, yauzl never checks CRC-32, and it only reads files or its own reader
 * interface, while logs inside the vault come from encrypted chunks. Reading is on demand: the central
 * directory first, then one entry at a time, decompressed in memory up to its declared size.
 *
 * Hostile archives: every entry is judged from the central directory before any data is touched
 * (count, declared size, compression ratio, encryption, method, overlapping entries); while reading,
 * the local header must name the same file with the same method, the output may not exceed the
 * declared size, and its CRC-32 must match.
 */
import * as zlib from 'node:zlib';
import { RwError } from '../../src-shared/errors';
import type { LogSource } from './log-source';
import { decompressZstd } from './zstd';

export interface EvalArchiveLimits {
  maxEntries: number;
  /** Largest single entry, uncompressed: each entry is held in memory while it is parsed. */
  maxEntryBytes: number;
  /** Largest uncompressed:compressed ratio of an entry above the floor below. */
  maxCompressionRatio: number;
}

export const DEFAULT_EVAL_LIMITS: Readonly<EvalArchiveLimits> = {
  maxEntries: 2_000_000,
  maxEntryBytes: 512 * 1024 * 1024,
  // JSON of near-identical samples compresses far better than the documents in a package; memory
  // is bounded by maxEntryBytes, this only stops the extreme bombs.
  maxCompressionRatio: 2000,
};
const RATIO_FLOOR_BYTES = 1024 * 1024;

export const METHOD_STORED = 0;
export const METHOD_DEFLATE = 8;
export const METHOD_ZSTD = 93;

export interface ArchiveEntry {
  name: string;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const LOCAL_HEADER_MIN = 30;
const LOCAL_EXTRA_SLACK = 64;

export function archiveError(message: string, entry?: string): RwError {
  return new RwError('INVALID_INPUT', entry ? `${entry}: ${message}` : message, entry ? { entry } : {});
}

const names = new TextDecoder('utf-8', { fatal: false });
const utf8 = new TextEncoder();

function u16(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}
function u32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}
function u64(b: Uint8Array, o: number): number {
  const value = u32(b, o) + u32(b, o + 4) * 0x1_0000_0000;
  if (!Number.isSafeInteger(value)) throw archiveError('a 64-bit size is out of range');
  return value;
}

export function isZip(head: Uint8Array): boolean {
  return head.length >= 4 && u32(head, 0) === SIG_LOCAL;
}

export class EvalArchive {
  private readonly nameLengths = new Map<string, number>();

  private constructor(
    private readonly source: LogSource,
    readonly entries: ReadonlyMap<string, ArchiveEntry>,
    private readonly limits: EvalArchiveLimits,
  ) {
    for (const name of entries.keys()) this.nameLengths.set(name, utf8.encode(name).length);
  }

  static async open(source: LogSource, limits: EvalArchiveLimits = DEFAULT_EVAL_LIMITS): Promise<EvalArchive> {
    const tailLength = Math.min(source.size, 22 + 0xffff);
    const tailStart = source.size - tailLength;
    const tail = Uint8Array.from(await source.read(tailStart, tailLength));
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (u32(tail, i) === SIG_EOCD && i + 22 + u16(tail, i + 20) === tail.length) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw archiveError('the archive is truncated or not a zip (no end of central directory)');
    let count = u16(tail, eocd + 10);
    let cdSize = u32(tail, eocd + 12);
    let cdOffset = u32(tail, eocd + 16);
    if (u16(tail, eocd + 4) !== 0 || u16(tail, eocd + 6) !== 0) throw archiveError('multi-disk archives are not supported');
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const locatorAt = tailStart + eocd - 20;
      const locator = locatorAt >= 0 ? await source.read(locatorAt, 20) : new Uint8Array(0);
      if (locator.length < 20 || u32(locator, 0) !== SIG_ZIP64_LOCATOR) throw archiveError('the ZIP64 end record is missing');
      const z64At = u64(locator, 8);
      const z64 = await source.read(z64At, 56);
      if (z64.length < 56 || u32(z64, 0) !== SIG_ZIP64_EOCD) throw archiveError('the ZIP64 end record is damaged');
      count = u64(z64, 32);
      cdSize = u64(z64, 40);
      cdOffset = u64(z64, 48);
    }
    if (count > limits.maxEntries) throw archiveError(`the archive has ${count} entries (limit ${limits.maxEntries})`);
    if (cdOffset + cdSize > source.size || cdSize > count * (46 + 3 * 0xffff)) throw archiveError('the central directory lies outside the archive (truncated?)');
    const cd = Uint8Array.from(await source.read(cdOffset, cdSize));
    const entries = new Map<string, ArchiveEntry>();
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || u32(cd, p) !== SIG_CENTRAL) throw archiveError('the central directory is damaged');
      const flags = u16(cd, p + 8);
      const method = u16(cd, p + 10);
      const crc32 = u32(cd, p + 16);
      let compressedSize = u32(cd, p + 20);
      let size = u32(cd, p + 24);
      const nameLength = u16(cd, p + 28);
      const extraLength = u16(cd, p + 30);
      const commentLength = u16(cd, p + 32);
      let localHeaderOffset = u32(cd, p + 42);
      if (p + 46 + nameLength + extraLength + commentLength > cd.length) throw archiveError('the central directory is damaged');
      const name = names.decode(cd.subarray(p + 46, p + 46 + nameLength));
      // ZIP64 extended information (APPNOTE 4.5.3): present fields follow in this order.
      let e = p + 46 + nameLength;
      const extraEnd = e + extraLength;
      while (e + 4 <= extraEnd) {
        const id = u16(cd, e);
        const len = u16(cd, e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          if (size === 0xffffffff) {
            size = u64(cd, q);
            q += 8;
          }
          if (compressedSize === 0xffffffff) {
            compressedSize = u64(cd, q);
            q += 8;
          }
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = u64(cd, q);
        }
        e += 4 + len;
      }
      p += 46 + nameLength + extraLength + commentLength;
      if (name.endsWith('/')) continue;
      if ((flags & 0x41) !== 0) throw archiveError('the entry is encrypted', name);
      if (method !== METHOD_STORED && method !== METHOD_DEFLATE && method !== METHOD_ZSTD) throw archiveError(`unsupported compression method ${method}`, name);
      if (size > limits.maxEntryBytes) throw archiveError(`the entry declares ${size} bytes (limit ${limits.maxEntryBytes})`, name);
      if (size > RATIO_FLOOR_BYTES && size > compressedSize * limits.maxCompressionRatio) throw archiveError(`compression ratio too high (${size} bytes from ${compressedSize})`, name);
      if (method === METHOD_STORED && size !== compressedSize) throw archiveError('a stored entry whose sizes differ', name);
      if (localHeaderOffset + LOCAL_HEADER_MIN + compressedSize > source.size) throw archiveError('the entry lies past the end of the archive (truncated?)', name);
      if (entries.has(name)) throw archiveError('the name appears twice', name);
      entries.set(name, { name, method, crc32, compressedSize, size, localHeaderOffset });
    }
    // Several central records pointing into the same bytes are how non-recursive zip bombs multiply.
    const spans = [...entries.values()].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
    for (let i = 1; i < spans.length; i++) {
      const prev = spans[i - 1]!;
      if (spans[i]!.localHeaderOffset < prev.localHeaderOffset + LOCAL_HEADER_MIN + prev.compressedSize) throw archiveError('entries overlap', spans[i]!.name);
    }
    return new EvalArchive(source, entries, limits);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The whole entry, decompressed, its size and CRC-32 checked. */
  async read(name: string): Promise<Uint8Array> {
    const entry = this.entries.get(name);
    if (!entry) throw archiveError('no such entry', name);
    // One read for the local header, its name and the data (plus room for a usual extra field): on a
    // file each read is a round trip through the thread pool, and logs have tens of thousands of entries.
    const nameBytes = this.nameLengths.get(name) ?? 0;
    const guess = LOCAL_HEADER_MIN + nameBytes + LOCAL_EXTRA_SLACK + entry.compressedSize;
    let block = await this.source.read(entry.localHeaderOffset, guess);
    if (block.length < LOCAL_HEADER_MIN || u32(block, 0) !== SIG_LOCAL) throw archiveError('the local header is damaged', name);
    const nameLength = u16(block, 26);
    const extraLength = u16(block, 28);
    if (u16(block, 8) !== entry.method || (u16(block, 6) & 0x41) !== 0) throw archiveError('the local header disagrees with the central directory', name);
    const dataAt = LOCAL_HEADER_MIN + nameLength + extraLength;
    if (dataAt + entry.compressedSize > block.length) block = await this.source.read(entry.localHeaderOffset, dataAt + entry.compressedSize);
    if (names.decode(block.subarray(LOCAL_HEADER_MIN, LOCAL_HEADER_MIN + nameLength)) !== name) throw archiveError('the local header names another file', name);
    const compressed = block.subarray(dataAt, dataAt + entry.compressedSize);
    if (compressed.length !== entry.compressedSize) throw archiveError('the entry is cut short (truncated archive)', name);
    const data = decompressEntry(entry, compressed);
    if (zlib.crc32(data) !== entry.crc32) throw archiveError('CRC-32 mismatch: the entry is damaged', name);
    return data;
  }

  get maxEntryBytes(): number {
    return this.limits.maxEntryBytes;
  }
}

function decompressEntry(entry: ArchiveEntry, compressed: Uint8Array): Uint8Array {
  if (entry.method === METHOD_STORED) return compressed;
  if (entry.method === METHOD_DEFLATE) {
    let out: Buffer;
    try {
      // maxOutputLength stops a bomb at the declared size (+1 so that "longer" is detectable).
      out = zlib.inflateRawSync(compressed, { maxOutputLength: Math.max(1, entry.size + 1) });
    } catch {
      throw archiveError('the compressed data is damaged or longer than declared', entry.name);
    }
    if (out.length !== entry.size) throw archiveError(`the entry inflates to ${out.length} bytes, not the declared ${entry.size}`, entry.name);
    return out;
  }
  let result: Uint8Array;
  try {
    result = decompressZstd(compressed, entry.size);
  } catch {
    throw archiveError('the Zstandard data is damaged', entry.name);
  }
  if (result.length !== entry.size) throw archiveError(`the entry decompresses to ${result.length} bytes, not the declared ${entry.size}`, entry.name);
  return result;
}
