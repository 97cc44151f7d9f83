/**
 * Where an evaluation log's bytes come from. A zip is read from its end (central directory) and then
 * entry by entry, so the reader needs random access, not a stream. Three sources: a file on disk, bytes
 * in memory (tests), and an artifact inside the vault, read from content.db one stored chunk at a time
 * so no plaintext copy of the log is ever written outside the encrypted store.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export interface LogSource {
  /** What the user gave: a path as typed, or the artifact's path in its case. */
  readonly label: string;
  readonly size: number;
  /** Exactly `length` bytes from `offset` (fewer only past the end). The result may be a view: copy to keep. */
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * Bytes read ahead on a miss. A reader walks an archive's entries in file order, tens of thousands of
 * small reads; each read of a file handle is a round trip through the thread pool, which cost more
 * than decompressing and parsing the entries together. One window read serves the entries after it.
 */
export const FILE_READ_AHEAD = 1 << 20;

export async function openFileSource(file: string, label = file): Promise<LogSource> {
  const handle = await fs.open(file, 'r');
  const size = (await handle.stat()).size;
  const readFully = async (offset: number, n: number): Promise<Uint8Array> => {
    const buffer = Buffer.allocUnsafe(n);
    let done = 0;
    while (done < n) {
      const { bytesRead } = await handle.read(buffer, done, n - done, offset + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return buffer.subarray(0, done);
  };
  // A fresh buffer per window (never refilled in place), so views handed out earlier stay valid.
  let window: { offset: number; bytes: Uint8Array } = { offset: 0, bytes: new Uint8Array(0) };
  return {
    label,
    size,
    async read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      if (n > FILE_READ_AHEAD) return readFully(offset, n);
      const at = offset - window.offset;
      if (at < 0 || at + n > window.bytes.length) {
        window = { offset, bytes: await readFully(offset, Math.min(FILE_READ_AHEAD, size - offset)) };
        return window.bytes.subarray(0, Math.min(n, window.bytes.length));
      }
      return window.bytes.subarray(at, at + n);
    },
    async close() {
      await handle.close();
    },
  };
}

export function memorySource(bytes: Uint8Array, label = '(memory)'): LogSource {
  return {
    label,
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
    close: async () => undefined,
  };
}

/** Reads fixed-size chunks by index; the vault's artifact store is one. */
export interface ChunkReader {
  readonly size: number;
  readonly chunkSize: number;
  readChunk(index: number): Uint8Array;
}

/**
 * A random-access source over numbered chunks, keeping only the last two chunks read (a zip entry
 * usually straddles at most one boundary), so memory stays at about two chunks whatever the log size.
 */
export function chunkedSource(reader: ChunkReader, label: string): LogSource {
  const cache: Array<{ index: number; data: Uint8Array }> = [];
  const chunk = (index: number): Uint8Array => {
    const hit = cache.find((c) => c.index === index);
    if (hit) return hit.data;
    const data = reader.readChunk(index);
    cache.unshift({ index, data });
    if (cache.length > 2) cache.pop();
    return data;
  };
  return {
    label,
    size: reader.size,
    async read(offset, length) {
      const end = Math.min(reader.size, offset + length);
      if (end <= offset) return new Uint8Array(0);
      const first = Math.floor(offset / reader.chunkSize);
      const last = Math.floor((end - 1) / reader.chunkSize);
      if (first === last) {
        const base = first * reader.chunkSize;
        return chunk(first).subarray(offset - base, end - base);
      }
      const out = new Uint8Array(end - offset);
      for (let i = first; i <= last; i++) {
        const base = i * reader.chunkSize;
        const data = chunk(i);
        const from = Math.max(offset, base) - base;
        const to = Math.min(end, base + data.length) - base;
        out.set(data.subarray(from, to), base + from - offset);
      }
      return out;
    },
    close: async () => undefined,
  };
}

export function fileLabel(file: string): string {
  return path.basename(file);
}
