/**
 * The removable-media path (DESIGN §5 "Media bundle"; ARCHITECTURE: attestations and sync), for laptops that never see a network:
 *
 *   export:  attestations.intoto.jsonl  every pending outbox item, one DSSE envelope per line
 *            witness-request.txt         C2SP tlog-witness add-checkpoint body: old size, consistency
 *                                        proof from the last witnessed size, the device-signed checkpoint
 *            manifest.dsse.json          DSSE (device key) of the list of files with sha256 and size
 *   import:  receipts.jsonl / witness-response.txt / witness-conflict.txt from the server's answer
 *
 * The export writes only what the outbox hands out (signed Statements): there is no parameter through
 * which anything else could be added to a bundle. The latest access-log checkpoint is first wrapped in
 * an audit-checkpoint Statement and admitted to the outbox, so it leaves by the same gate.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '@signalapp/sqlcipher';
import {
  AUDIT_CHECKPOINT_PREDICATE_TYPE,
  BUNDLE_MANIFEST_PAYLOAD_TYPE,
  bundleManifestSchema,
  MEDIA_BUNDLE_FILES,
  RECEIPTS_BUNDLE_FILES,
  type BundleManifest,
} from '../../src-shared/attestation-types';
import { canonicalBytes } from '../../src-shared/canonical-json';
import { parseCheckpoint } from '../../src-shared/node/checkpoint';
import { ed25519PublicKey, ed25519Sign, sha256 } from '../../src-shared/node/crypto';
import { signEnvelope, verifyEnvelope } from '../../src-shared/node/dsse';
import { fromUtf8, toHex, utf8, zeroize } from '../../src-shared/encoding';
import { isRwError, RwError } from '../../src-shared/errors';
import { parseNote } from '../../src-shared/node/signed-note';
import { parseStrictJson } from '../../src-shared/strict-json';
import { formatAddCheckpointRequest, parseAddCheckpointResponse, parseConflictBody } from '../../src-shared/node/tlog-witness';
import { readDeviceSigningKey } from '../vault/vault';
import type { AccessLogPort } from './access-log-port';
import { signCheckpointStatement } from './checkpoint-statement';
import { readEnrollment, type Enrollment } from './enrollment';
import { admitToOutbox, getOutboxItem, listOutbox, markDelivered, type OutboxItem, type OwnKeys } from './outbox';
import { lastWitnessedSize, parseReceiptBytes, storeWitnessedCheckpoint, verifyReceipt, verifyWitnessResponse } from './receipts';

const MAX_RECEIPTS_BYTES = 64 * 1024 * 1024;
const MAX_WITNESS_FILE_BYTES = 64 * 1024;
const WITNESS_HINT_KEY = 'attest.witness_size_hint';

export interface WitnessPlan {
  /** The device-signed checkpoint note to be witnessed. */
  note: string;
  size: number;
  oldSize: number;
  proof: Uint8Array[];
}

function readHint(audit: Database): number {
  const row = audit.prepare('SELECT value FROM vault_meta WHERE key = ?').get([WITNESS_HINT_KEY]);
  const n = Number(row?.value);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/** The witness said it holds `size` (a 409): the next request starts from there. */
export function recordWitnessSize(audit: Database, size: number): void {
  audit.prepare('INSERT INTO vault_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run([WITNESS_HINT_KEY, String(size)]);
}

/**
 * Checkpoint the log now, queue it as an audit-checkpoint Statement, and plan the witness request.
 * Refuses (LOG_DAMAGED) when the log is smaller than what the witness already holds: that is the
 * truncation the witness exists to expose, and it must not be papered over by a fresh request.
 */
export async function queueCheckpoint(audit: Database, log: AccessLogPort, keys: OwnKeys, clock: () => number): Promise<WitnessPlan | null> {
  const note = await log.signedCheckpoint();
  const checkpoint = parseCheckpoint(parseNote(note).text);
  const witnessed = lastWitnessedSize(audit);
  const oldSize = Math.max(witnessed, readHint(audit));
  if (checkpoint.size < oldSize) {
    throw new RwError('LOG_DAMAGED', 'The access log is shorter than the size the witness already cosigned.', { size: checkpoint.size, witnessed: oldSize });
  }
  if (checkpoint.size === witnessed) return null;
  // One checkpoint in flight at a time: while one awaits its answer (media not yet back, server
  // unreachable), it is asked again instead of queueing a new Statement on every pass.
  const inFlight = listOutbox(audit, keys, 'pending')
    .flatMap((i) => (i.opened.predicateType === AUDIT_CHECKPOINT_PREDICATE_TYPE ? [i.opened.predicate] : []))
    .filter((p) => p.size > witnessed && p.size <= checkpoint.size)
    .at(-1);
  let plan = { note, size: checkpoint.size };
  if (inFlight) plan = { note: inFlight.checkpoint, size: inFlight.size };
  // Sequence taken and Statement queued together (the server wants each key's previous + 1, no gaps).
  else audit.transaction(() => admitToOutbox(audit, signCheckpointStatement(audit, log.origin(), note).envelope, keys, clock))();
  const proof = oldSize > 0 && oldSize < plan.size ? await log.consistencyProof(oldSize, plan.size) : [];
  return { ...plan, oldSize: Math.min(oldSize, plan.size), proof };
}

export function witnessRequestBody(plan: WitnessPlan): Uint8Array {
  return formatAddCheckpointRequest({ oldSize: plan.oldSize, proof: plan.proof, checkpoint: utf8(plan.note) });
}

export interface ExportDeps {
  audit: Database;
  keys: OwnKeys;
  workstationId: string;
  /** Absent: no checkpoint is queued and no witness request written (e.g. before the log exists). */
  log?: AccessLogPort;
  clock(): number;
}

export interface ExportResult {
  items: number;
  files: BundleManifest['files'];
  witness: { oldSize: number; size: number } | null;
}

function prepareOutDir(outDir: string): void {
  mkdirSync(outDir, { recursive: true, mode: 0o700 });
  if (readdirSync(outDir).length > 0) throw new RwError('CONFLICT', 'The export folder is not empty; choose an empty folder so nothing else travels with the bundle.');
}

export async function exportMediaBundle(deps: ExportDeps, outDir: string): Promise<ExportResult> {
  prepareOutDir(outDir);
  const plan = deps.log ? await queueCheckpoint(deps.audit, deps.log, deps.keys, deps.clock) : null;
  const pending: OutboxItem[] = listOutbox(deps.audit, deps.keys, 'pending');
  const contents: [string, Uint8Array][] = [[MEDIA_BUNDLE_FILES.attestations, utf8(pending.map((item) => `${JSON.stringify(item.envelope)}\n`).join(''))]];
  if (plan) contents.push([MEDIA_BUNDLE_FILES.witnessRequest, witnessRequestBody(plan)]);
  const manifest: BundleManifest = bundleManifestSchema.parse({
    workstationId: deps.workstationId,
    createdAt: deps.clock(),
    files: contents.map(([name, bytes]) => ({ name, sha256: toHex(sha256(bytes)), size: bytes.byteLength })),
  });
  const device = readDeviceSigningKey(deps.audit);
  let manifestEnvelope;
  try {
    manifestEnvelope = signEnvelope(BUNDLE_MANIFEST_PAYLOAD_TYPE, canonicalBytes(manifest), [{ sign: (m) => ed25519Sign(device.privateKey, m) }]);
  } finally {
    zeroize(device.privateKey);
  }
  for (const [name, bytes] of contents) writeFileSync(join(outDir, name), bytes, { flag: 'wx' });
  writeFileSync(join(outDir, MEDIA_BUNDLE_FILES.manifest), `${JSON.stringify(manifestEnvelope)}\n`, { flag: 'wx' });
  if (deps.log) await deps.log.logEvent({ event: 'sync.export', object: { kind: 'bundle', id: toHex(sha256(canonicalBytes(manifest))) }, outcome: 'success', detail: { channel: 'media', items: pending.length } });
  return { items: pending.length, files: manifest.files, witness: plan ? { oldSize: plan.oldSize, size: plan.size } : null };
}

/** Read a bundle file without following links (a link could point anywhere on the reader's disk). */
export function readBundleFile(dir: string, name: string, maxBytes: number): Uint8Array | null {
  const path = join(dir, name);
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return null;
  }
  if (!stat.isFile()) throw new RwError('INVALID_INPUT', `${name} in the bundle is not a regular file.`);
  if (stat.size > maxBytes) throw new RwError('TOO_LARGE', `${name} in the bundle is larger than ${maxBytes} bytes.`, { limit: maxBytes });
  return new Uint8Array(readFileSync(path));
}

/**
 * For the server (import-bundle) and tests: verify a bundle's manifest under the device key, then every
 * listed file's digest and size; refuses unlisted files. Returns the manifest and the files' bytes.
 */
export function openMediaBundle(dir: string, devicePublicKey: Uint8Array, maxFileBytes = MAX_RECEIPTS_BYTES): { manifest: BundleManifest; files: Map<string, Uint8Array> } {
  const manifestBytes = readBundleFile(dir, MEDIA_BUNDLE_FILES.manifest, 1024 * 1024);
  if (!manifestBytes) throw new RwError('INVALID_INPUT', 'The bundle has no manifest.');
  const verified = verifyEnvelope(parseStrictJson(manifestBytes, { maxDepth: 8 }), [ed25519PublicKey(devicePublicKey)], { expectedPayloadType: BUNDLE_MANIFEST_PAYLOAD_TYPE });
  const parsed = bundleManifestSchema.safeParse(parseStrictJson(verified.payload, { maxDepth: 8 }));
  if (!parsed.success) throw new RwError('INVALID_INPUT', 'The bundle manifest is malformed.');
  const listed = new Set(parsed.data.files.map((f) => f.name));
  for (const name of readdirSync(dir)) {
    if (name !== MEDIA_BUNDLE_FILES.manifest && !listed.has(name)) throw new RwError('INVALID_INPUT', `The bundle holds a file its manifest does not list: ${name.slice(0, 100)}.`);
  }
  const files = new Map<string, Uint8Array>();
  for (const entry of parsed.data.files) {
    const bytes = readBundleFile(dir, entry.name, maxFileBytes);
    if (!bytes) throw new RwError('INVALID_INPUT', `The bundle is missing ${entry.name}.`);
    if (bytes.byteLength !== entry.size || toHex(sha256(bytes)) !== entry.sha256) throw new RwError('SIGNATURE_INVALID', `${entry.name} does not match the signed manifest.`);
    files.set(entry.name, bytes);
  }
  return { manifest: parsed.data, files };
}

export interface ReceiptProblem {
  line: number;
  code: string;
  message: string;
}

export interface ImportReceiptsResult {
  delivered: number;
  alreadyDelivered: number;
  problems: ReceiptProblem[];
  witnessed: number | null;
  witnessConflictSize: number | null;
}

export interface ImportReceiptsDeps {
  audit: Database;
  keys: OwnKeys;
  log?: AccessLogPort;
  clock(): number;
}

function requireEnrollment(audit: Database): Enrollment {
  const enrollment = readEnrollment(audit);
  if (!enrollment) throw new RwError('POLICY_REFUSED', 'This workstation is not enrolled: there is no pinned server key to check receipts with.');
  return enrollment;
}

/** Apply the server's answer: each receipt verified before its item is marked delivered. */
export async function importReceipts(deps: ImportReceiptsDeps, dir: string): Promise<ImportReceiptsResult> {
  const enrollment = requireEnrollment(deps.audit);
  const result: ImportReceiptsResult = { delivered: 0, alreadyDelivered: 0, problems: [], witnessed: null, witnessConflictSize: null };
  const receipts = readBundleFile(dir, RECEIPTS_BUNDLE_FILES.receipts, MAX_RECEIPTS_BYTES);
  if (receipts) {
    const lines = fromUtf8(receipts).split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    lines.forEach((line, index) => {
      try {
        const receipt = parseReceiptBytes(line);
        const item = getOutboxItem(deps.audit, receipt.envelopeSha256, deps.keys);
        if (!item) throw new RwError('NOT_FOUND', 'The receipt is for an envelope this workstation did not send.');
        verifyReceipt(receipt, item, enrollment);
        if (item.state === 'delivered') {
          result.alreadyDelivered++;
          return;
        }
        markDelivered(deps.audit, item, receipt, deps.clock);
        result.delivered++;
      } catch (error) {
        result.problems.push({ line: index + 1, code: isRwError(error) ? error.code : 'INTERNAL', message: isRwError(error) ? error.message : 'The receipt could not be checked.' });
      }
    });
  }
  const response = readBundleFile(dir, RECEIPTS_BUNDLE_FILES.witnessResponse, MAX_WITNESS_FILE_BYTES);
  if (response) {
    const witnessed = applyWitnessResponse(deps.audit, deps.keys, enrollment, parseAddCheckpointResponse(response), deps.clock);
    if (witnessed === null) result.problems.push({ line: 0, code: 'SIGNATURE_INVALID', message: 'The witness response does not cosign any checkpoint this workstation sent.' });
    result.witnessed = witnessed;
  }
  const conflict = readBundleFile(dir, RECEIPTS_BUNDLE_FILES.witnessConflict, 64);
  if (conflict) {
    result.witnessConflictSize = parseConflictBody(conflict);
    recordWitnessSize(deps.audit, result.witnessConflictSize);
  }
  if (deps.log) {
    await deps.log.logEvent({ event: 'sync.receipts', object: { kind: 'bundle', id: 'receipts' }, outcome: result.problems.length === 0 ? 'success' : 'failure', detail: { channel: 'media', delivered: result.delivered, problems: result.problems.length } });
  }
  return result;
}

/**
 * Match cosignature lines to the checkpoints we queued (newest first) and store the one they cosign.
 * Returns its size, or null when they cosign none of ours.
 */
export function applyWitnessResponse(audit: Database, keys: OwnKeys, enrollment: Pick<Enrollment, 'serverName' | 'serverPublicKey'>, signatures: ReturnType<typeof parseAddCheckpointResponse>, clock: () => number): number | null {
  const candidates = listOutbox(audit, keys).filter((i) => i.opened.predicateType === AUDIT_CHECKPOINT_PREDICATE_TYPE).reverse();
  for (const item of candidates) {
    if (item.opened.predicateType !== AUDIT_CHECKPOINT_PREDICATE_TYPE) continue;
    try {
      const witnessed = verifyWitnessResponse(item.opened.predicate.checkpoint, signatures, enrollment);
      storeWitnessedCheckpoint(audit, witnessed, clock);
      return witnessed.size;
    } catch {
      // not this one
    }
  }
  return null;
}
