/**
 * `rwctl server import-bundle`: media bundles carried from air-gapped workstations. Each line of
 * attestations.intoto.jsonl and the witness request go through exactly the functions HTTP uses
 * (acceptAttestation, addCheckpoint), so the sneakernet path is no weaker than the network path. The
 * answer is a receipts folder (receipts.jsonl, witness-response.txt or witness-conflict.txt) the
 * workstation imports with `rwctl sync import-receipts`.
 *
 * The bundle's manifest is the workstation's claim about its files; the server does not need it (every
 * attestation and the checkpoint carry their own signatures), so it is not required here.
 *
 * The bundle folder came from another machine: a link planted in it could point the import at any file
 * of the administrator's (to read) or any folder (to write receipts into). So no link is followed: the
 * whole bundle is walked with lstat first and refused if any entry is a link or anything but a file or a
 * folder, files are opened with O_NOFOLLOW and checked on the open descriptor, and the receipts go to a
 * folder that must not exist yet, created only after the bundle was accepted; a refused bundle writes
 * nothing, neither to the store nor to the disk.
 */
import { closeSync, constants, existsSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MEDIA_BUNDLE_FILES, RECEIPTS_BUNDLE_FILES, type Receipt } from '../src-shared/attestation-types';
import { formatConflictBody } from '../src-shared/node/tlog-witness';
import { RwError } from '../src-shared/errors';
import { canonicalize } from '../src-shared/canonical-json';
import { acceptAttestation, type IntakeContext } from './attestation-intake';
import { addCheckpoint, type WitnessContext } from './witness';
import { viewOf } from './refusal';

export const BUNDLE_MAX_LINES = 100_000;

export interface ImportOutcome {
  accepted: number;
  replayed: number;
  refused: { line: number; status: number; code: string; message: string }[];
  witness: { status: 'cosigned' | 'conflict' | 'refused' | 'absent'; size?: number; message?: string };
  receiptsDir: string;
}

/** Bounds on the walk: a bundle is a handful of files, not a tree to get lost in. */
const MAX_BUNDLE_ENTRIES = 1000;
const MAX_BUNDLE_DEPTH = 4;

/** Refuses the bundle if any entry, at any depth, is a link or anything but a regular file or folder. */
function refuseLinks(dir: string): void {
  let entries = 0;
  const walk = (folder: string, depth: number, shown: string) => {
    if (depth > MAX_BUNDLE_DEPTH) throw new RwError('PACKAGE_REFUSED', 'The bundle folder is nested too deeply.');
    for (const name of readdirSync(folder)) {
      if (++entries > MAX_BUNDLE_ENTRIES) throw new RwError('PACKAGE_REFUSED', 'The bundle folder holds too many entries.');
      const stat = lstatSync(join(folder, name));
      const where = `${shown}${name}`;
      if (stat.isSymbolicLink()) throw new RwError('PACKAGE_REFUSED', `The bundle holds a link (${where.slice(0, 200)}); links are never followed, so the bundle is refused.`);
      if (stat.isDirectory()) walk(join(folder, name), depth + 1, `${where}/`);
      else if (!stat.isFile()) throw new RwError('PACKAGE_REFUSED', `${where.slice(0, 200)} in the bundle is not a regular file or folder.`);
    }
  };
  walk(dir, 0, '');
}

/** Reads a bundle file through O_NOFOLLOW (a link swapped in after the walk is not followed either). */
function readBundleFile(dir: string, name: string, maxBytes: number): Uint8Array | null {
  const path = join(dir, name);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP' || code === 'EMLINK') throw new RwError('PACKAGE_REFUSED', `${name} in the bundle is a link; links are never followed.`);
    throw new RwError('PACKAGE_REFUSED', `${name} in the bundle cannot be read.`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new RwError('PACKAGE_REFUSED', `${name} in the bundle is not a regular file.`);
    if (stat.size > maxBytes) throw new RwError('TOO_LARGE', `${name} in the bundle is too large.`);
    const bytes = new Uint8Array(stat.size);
    let offset = 0;
    while (offset < bytes.byteLength) {
      const n = readSync(fd, bytes, offset, bytes.byteLength - offset, offset);
      if (n === 0) break;
      offset += n;
    }
    return bytes.subarray(0, offset);
  } finally {
    closeSync(fd);
  }
}

/** The receipts folder must be new, in a real (not linked) existing folder. */
function checkFreshOutDir(outDir: string): void {
  let exists = true;
  try {
    lstatSync(outDir);
  } catch {
    exists = false;
  }
  if (exists) throw new RwError('CONFLICT', 'The receipts folder already exists; name a new one (--out) so nothing is written through an existing folder or link.');
  const parent = dirname(outDir);
  if (!existsSync(parent) || !lstatSync(parent).isDirectory()) throw new RwError('NOT_FOUND', "The receipts folder's parent folder does not exist (or is a link).");
}

export async function importBundle(dir: string, outDir: string, intake: IntakeContext, witness: WitnessContext): Promise<ImportOutcome> {
  if (!existsSync(dir) || !lstatSync(dir).isDirectory()) throw new RwError('NOT_FOUND', 'The bundle folder does not exist (or is a link).');
  // Everything that can refuse the bundle runs before anything is stored or written.
  refuseLinks(dir);
  checkFreshOutDir(outDir);
  const attestations = readBundleFile(dir, MEDIA_BUNDLE_FILES.attestations, BUNDLE_MAX_LINES * intake.maxBytes);
  const witnessRequest = readBundleFile(dir, MEDIA_BUNDLE_FILES.witnessRequest, witness.maxBytes);
  if (!attestations && !witnessRequest) throw new RwError('PACKAGE_REFUSED', `The bundle holds neither ${MEDIA_BUNDLE_FILES.attestations} nor ${MEDIA_BUNDLE_FILES.witnessRequest}.`);

  const receipts: Receipt[] = [];
  const outcome: ImportOutcome = { accepted: 0, replayed: 0, refused: [], witness: { status: 'absent' }, receiptsDir: outDir };
  if (attestations) {
    const lines: Uint8Array[] = [];
    let start = 0;
    for (let i = 0; i <= attestations.byteLength; i++) {
      if (i === attestations.byteLength || attestations[i] === 0x0a) {
        if (i > start) lines.push(attestations.subarray(start, i));
        start = i + 1;
      }
    }
    if (lines.length > BUNDLE_MAX_LINES) throw new RwError('TOO_LARGE', `The bundle holds more than ${BUNDLE_MAX_LINES} attestations.`);
    // In order: each key's sequence must be its previous + 1, and the workstation wrote them in order.
    for (const [n, line] of lines.entries()) {
      try {
        const result = await acceptAttestation(intake, line, 'bundle');
        receipts.push(result.receipt);
        if (result.status === 201) outcome.accepted++;
        else outcome.replayed++;
      } catch (error) {
        const view = viewOf(error);
        outcome.refused.push({ line: n + 1, status: view.status, code: view.reason, message: view.message });
      }
    }
  }
  // Not recursive: fails if the folder appeared meanwhile; files with 'wx', never through an existing name.
  mkdirSync(outDir, { mode: 0o755 });
  writeFileSync(join(outDir, RECEIPTS_BUNDLE_FILES.receipts), receipts.map((r) => `${canonicalize(r)}\n`).join(''), { flag: 'wx' });
  if (witnessRequest) {
    try {
      const result = await addCheckpoint(witness, witnessRequest);
      writeFileSync(join(outDir, RECEIPTS_BUNDLE_FILES.witnessResponse), result.cosignature, { flag: 'wx' });
      outcome.witness = { status: 'cosigned', size: result.checkpoint.size };
    } catch (error) {
      const view = viewOf(error);
      if (view.reason === 'witness-conflict' && typeof view.detail.size === 'number') {
        writeFileSync(join(outDir, RECEIPTS_BUNDLE_FILES.witnessConflict), formatConflictBody(view.detail.size), { flag: 'wx' });
        outcome.witness = { status: 'conflict', size: view.detail.size, message: view.message };
      } else {
        outcome.witness = { status: 'refused', message: `${view.status} ${view.reason}: ${view.message}` };
      }
    }
  }
  return outcome;
}
