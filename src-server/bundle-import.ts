/**
 * `rwctl server import-bundle`: media bundles carried from air-gapped workstations. Each line of
 * attestations.intoto.jsonl and the witness request go through exactly the functions HTTP uses
 * (acceptAttestation, addCheckpoint), so the sneakernet path is no weaker than the network path. The
 * answer is a receipts folder (receipts.jsonl, witness-response.txt or witness-conflict.txt) the
 * workstation imports with `rwctl sync import-receipts`.
 *
 * The bundle's manifest is the workstation's claim about its files; the server does not need it (every
 * attestation and the checkpoint carry their own signatures), so it is not required here.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

function readBundleFile(dir: string, name: string, maxBytes: number): Uint8Array | null {
  const path = join(dir, name);
  if (!existsSync(path)) return null;
  const stat = lstatSync(path);
  // A link could point the import at any file on the admin's machine.
  if (!stat.isFile()) throw new RwError('PACKAGE_REFUSED', `${name} in the bundle is not a regular file.`);
  if (stat.size > maxBytes) throw new RwError('TOO_LARGE', `${name} in the bundle is too large.`);
  return new Uint8Array(readFileSync(path));
}

export async function importBundle(dir: string, outDir: string, intake: IntakeContext, witness: WitnessContext): Promise<ImportOutcome> {
  if (!existsSync(dir) || !lstatSync(dir).isDirectory()) throw new RwError('NOT_FOUND', 'The bundle folder does not exist.');
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
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, RECEIPTS_BUNDLE_FILES.receipts), receipts.map((r) => `${canonicalize(r)}\n`).join(''));
  if (witnessRequest) {
    try {
      const result = await addCheckpoint(witness, witnessRequest);
      writeFileSync(join(outDir, RECEIPTS_BUNDLE_FILES.witnessResponse), result.cosignature);
      outcome.witness = { status: 'cosigned', size: result.checkpoint.size };
    } catch (error) {
      const view = viewOf(error);
      if (view.reason === 'witness-conflict' && typeof view.detail.size === 'number') {
        writeFileSync(join(outDir, RECEIPTS_BUNDLE_FILES.witnessConflict), formatConflictBody(view.detail.size));
        outcome.witness = { status: 'conflict', size: view.detail.size, message: view.message };
      } else {
        outcome.witness = { status: 'refused', message: `${view.status} ${view.reason}: ${view.message}` };
      }
    }
  }
  return outcome;
}
