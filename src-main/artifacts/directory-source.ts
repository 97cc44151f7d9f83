/**
 * A package given as a folder. The walk never follows links: every path is lstat'ed, and only
 * regular files with a single link and folders are accepted (a symlink or hard link could make the
 * import read a file the submitter never signed, e.g. the reviewer's own key file). Each file is then
 * opened with O_NOFOLLOW and re-checked on the open descriptor (same inode, still regular, same size),
 * so a file swapped between the walk and the read is refused rather than read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeEntryName, checkEntryName, NameRegistry } from './entry-name';
import { isIgnoredPath, SIGNATURE_FILE } from './oms-signature';
import { packageRefused } from './package-refusal';
import type { PackageLimits } from './package-limits';
import type { PackageEntry, PackageSource } from './package-source';

const READ_CHUNK = 1024 * 1024;

interface WalkedFile extends PackageEntry {
  dev: number;
  ino: number;
}

function refusalForStat(name: string, stat: fs.Stats): never {
  if (stat.isSymbolicLink()) throw packageRefused(name, 'symlink');
  throw packageRefused(name, 'special-file');
}

export function openDirectorySource(root: string, limits: PackageLimits): PackageSource {
  const walked = new Map<string, WalkedFile>();

  return {
    label: path.basename(root),

    async readSignature(maxBytes) {
      const full = path.join(root, SIGNATURE_FILE);
      let stat: fs.Stats;
      try {
        stat = fs.lstatSync(full);
      } catch {
        return null;
      }
      if (!stat.isFile()) refusalForStat(SIGNATURE_FILE, stat);
      if (stat.nlink > 1) throw packageRefused(SIGNATURE_FILE, 'hard-link');
      if (stat.size > maxBytes) throw packageRefused(SIGNATURE_FILE, 'signature-malformed', 'the signature file is too large');
      const chunks: Uint8Array[] = [];
      // stream() reuses its buffer between chunks: copy what we keep.
      for await (const chunk of this.stream({ name: SIGNATURE_FILE, size: stat.size })) chunks.push(Uint8Array.from(chunk));
      return new Uint8Array(Buffer.concat(chunks));
    },

    async listEntries(ignorePaths) {
      const registry = new NameRegistry();
      const files: PackageEntry[] = [];
      let total = 0;
      // Iterative walk: depth is bounded by the 1024-byte path limit, but no recursion either way.
      const pending: string[] = [''];
      while (pending.length > 0) {
        const relDir = pending.pop() as string;
        const rawNames = fs.readdirSync(path.join(root, relDir), { encoding: 'buffer' });
        rawNames.sort(Buffer.compare);
        for (const raw of rawNames) {
          const component = decodeEntryName(raw);
          const name = relDir === '' ? component : `${relDir}/${component}`;
          checkEntryName(name);
          if (name === SIGNATURE_FILE || isIgnoredPath(name, ignorePaths)) continue;
          const stat = fs.lstatSync(path.join(root, name));
          if (stat.isDirectory()) {
            registry.add(name, 'directory');
            pending.push(name);
            continue;
          }
          if (!stat.isFile()) refusalForStat(name, stat);
          if (stat.nlink > 1) throw packageRefused(name, 'hard-link');
          registry.add(name, 'file');
          if (files.length + 1 > limits.maxFiles) throw packageRefused(name, 'too-many-files');
          if (stat.size > limits.maxFileBytes) throw packageRefused(name, 'file-too-large');
          total += stat.size;
          if (total > limits.maxPackageBytes) throw packageRefused(name, 'package-too-large');
          const entry: WalkedFile = { name, size: stat.size, dev: stat.dev, ino: stat.ino };
          walked.set(name, entry);
          files.push({ name, size: stat.size });
        }
      }
      return files;
    },

    async *stream(entry) {
      const full = path.join(root, entry.name);
      // Opening, checking and closing are synchronous (microseconds, no data moved): a package of
      // thousands of small files would otherwise wait for a thread-pool round trip at each step, which
      // on a busy machine costs a scheduling delay every time. Data reads stay asynchronous.
      let fd: number;
      try {
        fd = fs.openSync(full, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ELOOP') throw packageRefused(entry.name, 'symlink');
        throw packageRefused(entry.name, 'missing');
      }
      let ahead: Promise<number> | null = null;
      try {
        const stat = fs.fstatSync(fd);
        const known = walked.get(entry.name);
        if (!stat.isFile()) refusalForStat(entry.name, stat);
        if (stat.nlink > 1) throw packageRefused(entry.name, 'hard-link');
        if ((known && (known.dev !== stat.dev || known.ino !== stat.ino)) || stat.size !== entry.size) {
          throw packageRefused(entry.name, 'size-mismatch', 'the file changed during the import');
        }
        // Two buffers: while the caller hashes and stores one chunk, the next is already being read
        // (asynchronously, off the main thread), so the import does not wait for the disk between chunks.
        // Sized to the file when it is small (one byte more, so that growth is seen), not 1 MiB each.
        const size = Math.min(READ_CHUNK, entry.size + 1);
        let filling = Buffer.allocUnsafe(size);
        let spare = Buffer.allocUnsafe(size);
        let done = 0;
        const readInto = (buffer: Buffer) => {
          const read = new Promise<number>((resolve, reject) => fs.read(fd, buffer, 0, size, null, (error, n) => (error ? reject(error) : resolve(n))));
          // Marked handled at once: it is awaited at the next chunk, or in `finally` if the caller stops.
          read.catch(() => undefined);
          return read;
        };
        ahead = readInto(filling);
        for (;;) {
          const n = await ahead;
          ahead = null;
          if (n === 0) break;
          done += n;
          if (done > entry.size) throw packageRefused(entry.name, 'size-mismatch');
          const ready = filling;
          filling = spare;
          spare = ready;
          ahead = readInto(filling);
          // The caller consumes (hashes, stores) each chunk before asking for the next, and the read
          // ahead fills the other buffer: using the two in turn is safe.
          yield ready.subarray(0, n);
        }
        if (done !== entry.size) throw packageRefused(entry.name, 'size-mismatch');
      } finally {
        // A caller that stops early (a digest refusal, a failed insert) leaves a read in flight: let it
        // land before the descriptor is closed.
        await ahead?.catch(() => undefined);
        fs.closeSync(fd);
      }
    },

    async close() {},
  };
}
