/**
 * Entry names from a package (zip central directory or directory walk) are attacker-controlled. They
 * never become file-system paths here (nothing is extracted), but they are shown to reviewers, stored,
 * signed over in attestations and may be exported later, so names that could mean different files to
 * different tools are refused outright: traversal ("zip slip"), absolute names, backslashes (a separator
 * on Windows), control characters (terminal and log injection, NUL truncation), over-long names, and
 * names that collide after Unicode normalisation or case folding (the same file on macOS/Windows).
 */
import { fromUtf8 } from '../../src-shared/encoding';
import { packageRefused } from './package-refusal';

export const MAX_COMPONENT_BYTES = 255;
export const MAX_PATH_BYTES = 1024;

const encoder = new TextEncoder();

/** Zip names are raw bytes; only strict UTF-8 is accepted (CP437 guessing would let tools disagree). */
export function decodeEntryName(raw: Uint8Array): string {
  try {
    return fromUtf8(raw);
  } catch {
    throw packageRefused(Buffer.from(raw).toString('latin1'), 'name-encoding');
  }
}

// C0 controls, DEL, C1 controls, and the Unicode line/paragraph separators and bidi overrides that
// disguise a name's extension ("evil\u202Efdp.exe").
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** Refuses (throws PACKAGE_REFUSED) a name that is not a plain relative POSIX path. */
export function checkEntryName(name: string): void {
  if (name === '') throw packageRefused(name, 'empty-name');
  if (CONTROL_RE.test(name)) throw packageRefused(name, 'control-character');
  if (name.includes('\\')) throw packageRefused(name, 'backslash');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw packageRefused(name, 'absolute-path');
  const components = name.split('/');
  for (const component of components) {
    if (component === '.' || component === '..') throw packageRefused(name, 'traversal');
  }
  for (const component of components) {
    if (component === '') throw packageRefused(name, 'empty-name');
    if (encoder.encode(component).byteLength > MAX_COMPONENT_BYTES) throw packageRefused(name, 'component-too-long');
  }
  if (encoder.encode(name).byteLength > MAX_PATH_BYTES) throw packageRefused(name, 'path-too-long');
}

/** Full case folding approximated with upper-then-lower (folds ß/SS, ſ/s, K/k Kelvin sign). */
function caseFold(text: string): string {
  return text.toUpperCase().toLowerCase();
}

export type EntryKind = 'file' | 'directory';

/**
 * Tracks the names seen in one package and refuses the first that collides with an earlier one:
 * exactly (duplicate), after NFC or NFKC normalisation, or after case folding; and a name used both
 * as a file and as a folder.
 */
export class NameRegistry {
  private readonly exact = new Map<string, EntryKind>();
  private readonly nfc = new Set<string>();
  private readonly nfkc = new Set<string>();
  private readonly folded = new Map<string, EntryKind>();
  /** Folded folder prefixes implied by file names ("a/b/c" implies "a" and "a/b"). */
  private readonly impliedFolders = new Set<string>();

  add(name: string, kind: EntryKind): void {
    if (this.exact.has(name)) {
      // A folder entry repeated is harmless only if it is a folder both times.
      if (kind === 'directory' && this.exact.get(name) === 'directory') return;
      throw packageRefused(name, 'duplicate');
    }
    const nfc = name.normalize('NFC');
    const nfkc = name.normalize('NFKC');
    const folded = caseFold(nfkc).normalize('NFKC');
    if (this.nfc.has(nfc) || this.nfkc.has(nfkc)) throw packageRefused(name, 'unicode-collision');
    if (this.folded.has(folded)) throw packageRefused(name, 'case-collision');

    const parts = folded.split('/');
    if (kind === 'file' && this.impliedFolders.has(folded)) throw packageRefused(name, 'file-directory-conflict');
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      if (this.folded.get(prefix) === 'file') throw packageRefused(name, 'file-directory-conflict');
    }
    if (kind === 'directory' && this.folded.get(folded) === 'file') throw packageRefused(name, 'file-directory-conflict');

    this.exact.set(name, kind);
    this.nfc.add(nfc);
    this.nfkc.add(nfkc);
    this.folded.set(folded, kind);
    for (let i = 1; i < parts.length; i++) this.impliedFolders.add(parts.slice(0, i).join('/'));
    if (kind === 'directory') this.impliedFolders.add(folded);
  }
}
