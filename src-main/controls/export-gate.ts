/**
 * Export of an excerpt (see ARCHITECTURE: insider-risk controls): the only way content leaves the app as a file. The gate, in order:
 * policy printExportMode must be 'justify'; an active watermark session; a justification (schema: at
 * least 20 characters); the passphrase again (step-up through the vault's throttle, so a walk-up
 * attacker at an unlocked screen cannot export); then main — never the renderer — burns the visible and
 * forensic watermark in (PNG) or fingerprints the text (CSV), hashes the result and writes it, with a
 * name main chooses, into the export folder main chooses. The SHA-256 goes into the access log.
 *
 * The renderer's PNG is untrusted input: decoded with size limits (watermark-files.ts), re-encoded from
 * pixels, never written as received.
 */
import { constants, mkdirSync, openSync, writeSync, closeSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../../src-shared/node/crypto';
import { toHex, utf8 } from '../../src-shared/encoding';
import { RwError } from '../../src-shared/errors';
import type { ExportRequest, ExportResult } from '../../src-shared/ipc/channels-controls';
import { formatUtcMinute } from '../../src-shared/overlay-payload';
import type { Policy } from '../../src-shared/policy';
import { embedTextFingerprint } from '../../src-shared/watermark/text-fingerprint';
import { neutraliseCsv } from '../../src-shared/csv-formula';
import { decodeImageBytes, encodePng } from './watermark-files';
import { burnWatermark } from './watermark-burn';
import type { WatermarkSession } from './watermark-session';

/** Largest excerpt image (pixels): a page at print resolution, not a whole document. */
export const MAX_EXPORT_PIXELS = 12_000_000;

export interface ExportGateDeps {
  policy(): Policy;
  session(): WatermarkSession | null;
  /** Step-up: resolves when the passphrase is the signed-in user's, throws AUTH_FAILED/LOCKED_OUT otherwise. */
  stepUp(passphrase: string): Promise<void>;
  /** The main-chosen export folder (created 0700 when missing). */
  exportDir: string;
  clock(): number;
}

export interface ExportOutcome {
  result: ExportResult;
  detail: Record<string, string | number | boolean>;
}

/** The visible line burned into exports: every field, whatever the overlay shows (the file travels). */
export function exportLine(session: WatermarkSession, policy: Policy, now: number): string {
  return [session.user, session.workstationId, `session ${session.codeHex}`, formatUtcMinute(now), policy.classification].join(' · ');
}

function safeLabel(label: string): string {
  return label.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'excerpt';
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** Writes a new file exclusively (never over an existing one), owner-only. */
function writeNew(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    let offset = 0;
    while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
  } finally {
    closeSync(fd);
  }
}

export async function exportExcerpt(request: ExportRequest, deps: ExportGateDeps): Promise<ExportOutcome> {
  const policy = deps.policy();
  if (policy.printExportMode !== 'justify') {
    throw new RwError('DENIED', 'The policy in force does not allow exporting excerpts.', { mode: policy.printExportMode });
  }
  const session = deps.session();
  if (!session) throw new RwError('VAULT_LOCKED', 'The workstation is locked.');
  await deps.stepUp(request.passphrase);

  const now = deps.clock();
  const line = exportLine(session, policy, now);
  let bytes: Uint8Array;
  let ext: string;
  if (request.kind === 'png') {
    const image = decodeImageBytes(request.png);
    if (image.width * image.height > MAX_EXPORT_PIXELS) throw new RwError('TOO_LARGE', 'The excerpt image is too large; export one page at a time.');
    bytes = encodePng(burnWatermark(image, session.code, line));
    ext = 'png';
  } else {
    // CSV has no comment syntax: the visible mark is a first row of its own; the rows keep their
    // values, each with the session's text fingerprint (decodable by `rwctl watermark decode-text`).
    // Cells a spreadsheet would run as formulas are neutralised first (the excerpt is artifact content).
    const banner = `"${line.replace(/"/g, '""')}"\r\n`;
    bytes = utf8(banner + embedTextFingerprint(neutraliseCsv(request.csv), session.code));
    ext = 'csv';
  }
  const digest = toHex(sha256(bytes));
  mkdirSync(deps.exportDir, { recursive: true, mode: 0o700 });
  chmodSync(deps.exportDir, 0o700);
  const fileName = `rw-export-${stamp(now)}-${safeLabel(request.label)}-${digest.slice(0, 12)}.${ext}`;
  writeNew(join(deps.exportDir, fileName), bytes);
  return {
    result: { fileName, sha256: digest, bytes: bytes.byteLength },
    detail: { decision: 'allowed', kind: request.kind, label: request.label, justification: request.justification, sha256: digest, bytes: bytes.byteLength, fileName },
  };
}
