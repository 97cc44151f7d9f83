/**
 * A package given as a .zip, read with yauzl (lazyEntries, validateEntrySizes, raw names) straight from
 * the archive to the caller: no temporary files. The central directory is read first, without touching
 * any data, and every entry is judged before a single byte is decompressed:
 * - names: strict UTF-8, checked relative paths, no second name in an Info-ZIP Unicode Path field,
 *   and (when read) a local header that names the same file as the central directory;
 * - types: Unix mode bits from the external attributes must say regular file or folder (symlinks,
 *   devices and FIFOs are refused, not "extracted as a small file");
 * - encryption, unknown compression methods;
 * - sizes and bombs: per-file and per-package limits on declared sizes, a 100:1 ratio cap, and no two
 *   entries sharing compressed bytes (overlapping-entry bombs);
 * while streaming, yauzl's validateEntrySizes refuses an entry whose data is longer or shorter than it
 * declares, so the declared sizes the limits were checked against are the true ones.
 */
import * as path from 'node:path';
import * as yauzl from 'yauzl';
import type { Readable } from 'node:stream';
import { isRwError } from '../../src-shared/errors';
import { checkEntryName, decodeEntryName, NameRegistry } from './entry-name';
import { isIgnoredPath, SIGNATURE_FILE } from './oms-signature';
import { packageRefused } from './package-refusal';
import { RATIO_CHECK_FLOOR_BYTES, type PackageLimits } from './package-limits';
import type { PackageEntry, PackageSource } from './package-source';

const ARCHIVE = '(archive)';
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const UNICODE_PATH_EXTRA = 0x7075;
const LOCAL_HEADER_MIN = 30;

interface ZipItem extends PackageEntry {
  entry: yauzl.Entry;
}

function malformedFrom(error: unknown, entry: string): never {
  const message = error instanceof Error ? error.message : '';
  if (/size mismatch|bytes in the stream/.test(message)) throw packageRefused(entry, 'size-mismatch');
  if (/encrypt/.test(message)) throw packageRefused(entry, 'encrypted');
  if (/compression method/.test(message)) throw packageRefused(entry, 'unsupported-compression');
  throw packageRefused(entry, 'malformed-archive');
}

/**
 * A .zip the user handed over as bytes (the browser preview's file input): read from memory with the
 * same checks as a file, so a package chosen there is judged exactly like one named on disk.
 */
export interface ZipBytes {
  bytes: Uint8Array;
  /** The file's base name, for messages only. */
  label: string;
}

function openZip(file: string | ZipBytes): Promise<yauzl.ZipFile> {
  const options = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true, strictFileNames: false } as const;
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, zip?: yauzl.ZipFile) => {
      if (error || !zip) reject(error ?? new Error('no zip'));
      else resolve(zip);
    };
    if (typeof file === 'string') yauzl.open(file, options, done);
    else yauzl.fromBuffer(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength), options, done);
  });
}

function readCentralDirectory(zip: yauzl.ZipFile, maxEntries: number): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      if (entries.length > maxEntries) {
        reject(packageRefused(ARCHIVE, 'too-many-files', `more than ${maxEntries} entries`));
        return;
      }
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', (error: unknown) => {
      try {
        malformedFrom(error, `${ARCHIVE} entry ${entries.length + 1}`);
      } catch (refusal) {
        reject(refusal);
      }
    });
    zip.readEntry();
  });
}

export async function openZipSource(file: string | ZipBytes, limits: PackageLimits): Promise<PackageSource> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(file);
  } catch (error) {
    malformedFrom(error, ARCHIVE);
  }
  let items: ZipItem[];
  try {
    // Folders are entries too: allow as many of them as files before calling the archive hostile.
    const entries = await readCentralDirectory(zip, limits.maxFiles * 2 + 1);
    items = judgeEntries(entries, limits);
  } catch (error) {
    zip.close();
    throw error;
  }
  const byName = new Map(items.map((item) => [item.name, item]));

  const source: PackageSource = {
    label: typeof file === 'string' ? path.basename(file) : path.basename(file.label),

    async readSignature(maxBytes) {
      const item = byName.get(SIGNATURE_FILE);
      if (!item) return null;
      if (item.size > maxBytes) throw packageRefused(SIGNATURE_FILE, 'signature-malformed', 'the signature file is too large');
      const chunks: Uint8Array[] = [];
      for await (const chunk of source.stream(item)) chunks.push(Uint8Array.from(chunk));
      return new Uint8Array(Buffer.concat(chunks));
    },

    async listEntries(ignorePaths) {
      return items.filter((item) => item.name !== SIGNATURE_FILE && !isIgnoredPath(item.name, ignorePaths)).map(({ name, size }) => ({ name, size }));
    },

    async *stream(wanted) {
      const item = byName.get(wanted.name);
      if (!item) throw packageRefused(wanted.name, 'missing');
      let stream: Readable;
      try {
        // Some unzip tools read names from the local headers, others from the central directory: an
        // archive whose two names differ shows one file to the signer's tool and another to ours.
        const local = await zip.readLocalFileHeaderPromise(item.entry);
        if (!Buffer.from(local.fileName).equals(Buffer.from(item.entry.fileNameRaw)) || (local.generalPurposeBitFlag & 0x41) !== 0) {
          throw packageRefused(item.name, (local.generalPurposeBitFlag & 0x41) !== 0 ? 'encrypted' : 'name-ambiguous', 'the local header disagrees with the central directory');
        }
        stream = await new Promise<Readable>((resolve, reject) => {
          zip.openReadStream(item.entry, (error, s) => (error || !s ? reject(error ?? new Error('no stream')) : resolve(s)));
        });
      } catch (error) {
        if (isRwError(error)) throw error;
        malformedFrom(error, item.name);
      }
      let done = 0;
      try {
        for await (const chunk of stream) {
          const bytes = chunk as Buffer;
          done += bytes.byteLength;
          // validateEntrySizes already stops at the declared size; this is the belt to its braces.
          if (done > item.size) throw packageRefused(item.name, 'size-mismatch');
          yield bytes;
        }
      } catch (error) {
        if (isRwError(error)) throw error;
        malformedFrom(error, item.name);
      } finally {
        // Also runs when the consumer stops early (a refusal elsewhere): release the archive's reader.
        stream.destroy();
      }
      if (done !== item.size) throw packageRefused(item.name, 'size-mismatch');
    },

    async close() {
      zip.close();
    },
  };
  return source;
}

/** Every structural check that needs only the central directory. */
function judgeEntries(entries: yauzl.Entry[], limits: PackageLimits): ZipItem[] {
  const registry = new NameRegistry();
  const items: ZipItem[] = [];
  let total = 0;
  for (const entry of entries) {
    const raw = entry.fileNameRaw as Uint8Array;
    const decoded = decodeEntryName(raw);
    const isFolder = decoded.endsWith('/');
    const name = isFolder ? decoded.slice(0, -1) : decoded;
    checkEntryName(name);
    // A second name that some unzip tools prefer over the first: tools would disagree on what this is.
    if (entry.extraFields.some((f) => f.id === UNICODE_PATH_EXTRA)) throw packageRefused(name, 'name-ambiguous');
    if ((entry.generalPurposeBitFlag & 0x1) !== 0 || (entry.generalPurposeBitFlag & 0x40) !== 0) throw packageRefused(name, 'encrypted');

    const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
    if (mode === S_IFLNK) throw packageRefused(name, 'symlink');
    if (mode !== 0 && mode !== S_IFREG && mode !== S_IFDIR) throw packageRefused(name, 'special-file');
    if (isFolder || mode === S_IFDIR) {
      // A folder that claims content, or a folder mode on a name without "/", is not what it says.
      if (!isFolder || entry.uncompressedSize !== 0) throw packageRefused(name, 'special-file');
      registry.add(name, 'directory');
      continue;
    }
    registry.add(name, 'file');
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) throw packageRefused(name, 'unsupported-compression');
    if (items.length + 1 > limits.maxFiles) throw packageRefused(name, 'too-many-files');
    if (entry.uncompressedSize > limits.maxFileBytes) throw packageRefused(name, 'file-too-large');
    total += entry.uncompressedSize;
    if (total > limits.maxPackageBytes) throw packageRefused(name, 'package-too-large');
    if (entry.uncompressedSize > RATIO_CHECK_FLOOR_BYTES && entry.uncompressedSize > entry.compressedSize * limits.maxCompressionRatio) {
      throw packageRefused(name, 'compression-ratio', `${entry.uncompressedSize} bytes from ${entry.compressedSize}`);
    }
    items.push({ name, size: entry.uncompressedSize, entry });
  }
  // Overlapping entries (several central records pointing into the same compressed bytes) are how
  // "non-recursive" zip bombs multiply one compressed stream; a sound archive never has them.
  const spans = entries
    .map((e) => ({ start: e.relativeOffsetOfLocalHeader, end: e.relativeOffsetOfLocalHeader + LOCAL_HEADER_MIN + e.compressedSize, entry: e }))
    .sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    const previous = spans[i - 1] as (typeof spans)[number];
    const current = spans[i] as (typeof spans)[number];
    if (current.start < previous.end) throw packageRefused(Buffer.from(current.entry.fileNameRaw).toString('utf8'), 'overlapping-entries');
  }
  return items;
}
