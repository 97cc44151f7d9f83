/**
 * The audit bundle (see ARCHITECTURE: access log): everything an auditor needs to check a workstation's log on another
 * machine: the leaf bytes, the signed checkpoints, the device public key, and a DSSE manifest signed by
 * the device key that binds them (tree size and root over the leaves, a digest of the checkpoints).
 *
 * Verification trusts nothing in the file but what the pinned device key signed: the envelope is checked
 * over PAE before its payload is parsed (DSSE), the leaves are rebuilt into a tree whose root must equal
 * the manifest's, and the same log checks as on the workstation run over the bundle.
 */
import { Database } from '@signalapp/sqlcipher';
import { z } from 'zod';
import { canonicalBytes } from '../../src-shared/canonical-json';
import { ed25519PublicKey, ed25519RawFromPublicKey, ed25519Sign, parsePublicKeyPem, publicKeyToPem, sha256, type PublicKey } from '../../src-shared/node/crypto';
import { signEnvelope, verifyEnvelope, dsseEnvelopeSchema } from '../../src-shared/node/dsse';
import { fromUtf8, toBase64, toHex, utf8 } from '../../src-shared/encoding';
import { RwError } from '../../src-shared/errors';
import { parseStrictJson } from '../../src-shared/strict-json';
import { readDeviceSigningKey } from '../vault/vault';
import { runMigrations } from '../vault/migrations';
import { logOrigin, type AccessLog } from './access-log';
import { AUDIT_MIGRATIONS } from '../vault/audit-db-schema';
import { AuditQuery } from './audit-query';
import { leafColumns, parseLeaf } from './log-leaf';
import { verifyLog, type ExternalCheckpoint, type LogSource, type VerifyReport } from './verify-log';

export const AUDIT_BUNDLE_FORMAT = 'rw-audit-bundle/v1';
export const AUDIT_MANIFEST_TYPE = 'application/vnd.rw.audit-manifest+json';
/** A million leaves of a few hundred bytes each, with room to spare. */
export const AUDIT_BUNDLE_MAX_BYTES = 1024 * 1024 * 1024;

const checkpointSchema = z.object({ id: z.number().int(), size: z.number().int().min(0), ts: z.number().int(), reason: z.string().max(64), note: z.string().max(65536) }).strict();

const bundleSchema = z
  .object({
    format: z.literal(AUDIT_BUNDLE_FORMAT),
    workstationId: z.string().min(1).max(256),
    devicePublicKey: z.string().max(4096),
    leaves: z.array(z.string()),
    checkpoints: z.array(checkpointSchema),
    manifest: dsseEnvelopeSchema,
  })
  .strict();

const manifestSchema = z
  .object({
    format: z.literal(AUDIT_BUNDLE_FORMAT),
    workstationId: z.string(),
    origin: z.string(),
    size: z.number().int().min(0),
    root: z.string(),
    checkpointsSha256: z.string(),
    devicePublicKeySha256: z.string(),
    createdAt: z.number().int(),
  })
  .strict();

export type AuditBundleManifest = z.infer<typeof manifestSchema>;
type Bundle = z.infer<typeof bundleSchema>;

function checkpointsDigest(checkpoints: Bundle['checkpoints']): string {
  return toHex(sha256(canonicalBytes(checkpoints)));
}

/** Build the bundle from an open audit.db; a fresh checkpoint is signed first so it covers every leaf. */
export function createAuditBundle(db: Database, log: AccessLog, now: number): Uint8Array {
  log.checkpoint('audit.export');
  const leaves = db.prepare('SELECT leaf FROM log_leaves ORDER BY seq').all().map((r) => fromUtf8(r['leaf'] as Uint8Array));
  const checkpoints = log.checkpoints().map((c) => ({ id: c.id, size: c.size, ts: c.ts, reason: c.reason, note: c.note }));
  const key = readDeviceSigningKey(db);
  const publicKey = ed25519PublicKey(key.publicKey);
  const manifest: AuditBundleManifest = {
    format: AUDIT_BUNDLE_FORMAT,
    workstationId: log.workstationId,
    origin: log.origin,
    size: log.size(),
    root: toBase64(log.root()),
    checkpointsSha256: checkpointsDigest(checkpoints),
    devicePublicKeySha256: toHex(sha256(publicKey.spki)),
    createdAt: now,
  };
  const envelope = signEnvelope(AUDIT_MANIFEST_TYPE, canonicalBytes(manifest), [{ sign: (pae) => ed25519Sign(key.privateKey, pae) }]);
  key.privateKey.fill(0);
  const bundle: Bundle = { format: AUDIT_BUNDLE_FORMAT, workstationId: log.workstationId, devicePublicKey: publicKeyToPem(publicKey), leaves, checkpoints, manifest: envelope };
  return utf8(JSON.stringify(bundle));
}

export interface BundleVerification {
  report: VerifyReport;
  manifest: AuditBundleManifest | null;
}

function failed(message: string, kind: 'external-signature' | 'database-damaged' = 'database-damaged'): BundleVerification {
  return {
    manifest: null,
    report: { ok: false, size: 0, root: '', verifiedSize: 0, checkpoints: 0, lastCheckpoint: null, external: [], problems: [{ seq: 0, kind, message }] },
  };
}

function readBundle(bytes: Uint8Array): Bundle | null {
  if (bytes.byteLength > AUDIT_BUNDLE_MAX_BYTES) throw new RwError('TOO_LARGE', 'The audit bundle is too large.');
  try {
    const parsed = bundleSchema.safeParse(parseStrictJson(bytes, { maxBytes: AUDIT_BUNDLE_MAX_BYTES, maxDepth: 12 }));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function bundleSource(bundle: Bundle, publicKey: Uint8Array): LogSource {
  return {
    workstationId: bundle.workstationId,
    devicePublicKey: publicKey,
    stateSize: null,
    nodes: null,
    *leafBatches({ from = 0 }) {
      yield bundle.leaves.slice(from).map((text, i) => ({ seq: from + i, leaf: utf8(text), leafHash: null, columns: null }));
    },
    checkpoints: () => bundle.checkpoints.map((c) => ({ id: c.id, size: c.size, ts: c.ts, note: c.note })),
  };
}

/**
 * Verify a bundle with the device key the auditor holds (PEM, from `rwctl audit device-key`). Never throws
 * on damage; external checkpoints (exported or witnessed earlier) are checked as for a live log.
 */
export function verifyAuditBundle(bytes: Uint8Array, devicePublicKeyPem: string, external: readonly ExternalCheckpoint[] = []): BundleVerification {
  let pinned: PublicKey;
  try {
    pinned = parsePublicKeyPem(devicePublicKeyPem);
    if (pinned.algorithm !== 'ed25519') throw new Error('not ed25519');
  } catch {
    throw new RwError('INVALID_INPUT', 'The device key is not an Ed25519 public key in PEM.');
  }
  const bundle = readBundle(bytes);
  if (!bundle) return failed('the audit bundle is damaged or not an audit bundle');
  let manifest: AuditBundleManifest;
  try {
    const verified = verifyEnvelope(bundle.manifest, [pinned], { expectedPayloadType: AUDIT_MANIFEST_TYPE });
    manifest = manifestSchema.parse(parseStrictJson(verified.payload, { maxDepth: 4 }));
  } catch {
    return failed('the bundle manifest is not signed by this device key', 'external-signature');
  }
  const raw = ed25519RawFromPublicKey(pinned);
  const report = verifyLog(bundleSource(bundle, raw), { devicePublicKey: raw, externalCheckpoints: external });
  const add = (seq: number, kind: VerifyReport['problems'][number]['kind'], message: string) => report.problems.push({ seq, kind, message });
  if (manifest.workstationId !== bundle.workstationId || manifest.origin !== logOrigin(bundle.workstationId)) add(0, 'foreign-leaf', 'the manifest names another workstation');
  if (manifest.devicePublicKeySha256 !== toHex(sha256(pinned.spki))) add(0, 'external-signature', 'the manifest names another device key');
  if (manifest.checkpointsSha256 !== checkpointsDigest(bundle.checkpoints)) add(0, 'checkpoint-mismatch', 'the checkpoints differ from those the manifest signed');
  if (manifest.size > report.size) add(report.size, 'truncated', `the manifest signed ${manifest.size} leaves but the bundle holds ${report.size}`);
  else if (manifest.size < report.size) add(manifest.size, 'fork', `the bundle holds leaves beyond the ${manifest.size} the manifest signed`);
  else if (manifest.root !== report.root) add(0, 'checkpoint-mismatch', 'the leaves do not hash to the root the manifest signed');
  report.problems.sort((a, b) => a.seq - b.seq);
  report.ok = report.problems.length === 0;
  report.verifiedSize = report.ok ? report.size : Math.min(report.size, report.problems[0]!.seq);
  return { report, manifest };
}

export interface OpenedBundle {
  report: VerifyReport;
  manifest: AuditBundleManifest | null;
  /** The same query interface as on the workstation, over an in-memory copy of the bundle's leaves. */
  query: AuditQuery;
  close(): void;
}

/** Open a bundle read-only for the console: verified first, then loaded into an in-memory database. */
export function openAuditBundle(bytes: Uint8Array, devicePublicKeyPem: string): OpenedBundle {
  const verification = verifyAuditBundle(bytes, devicePublicKeyPem);
  const bundle = readBundle(bytes);
  const db = new Database();
  try {
    runMigrations(db, AUDIT_MIGRATIONS, () => 0);
    const insert = db.prepare(
      'INSERT INTO log_leaves(seq, leaf, leaf_hash, ts, event, user, role, session, object_kind, object_id, outcome, page, dwell_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    db.transaction(() => {
      (bundle?.leaves ?? []).forEach((text, seq) => {
        const bytesOfLeaf = utf8(text) as Uint8Array<ArrayBuffer>;
        const parsed = parseLeaf(bytesOfLeaf);
        // Damaged leaves are kept (shown as damaged), never dropped: the auditor sees every position.
        const c = parsed.ok ? leafColumns(parsed.leaf) : null;
        insert.run([seq, bytesOfLeaf, new Uint8Array(32), c?.ts ?? 0, c?.event ?? 'damaged', c?.user ?? null, c?.role ?? 'system', c?.session ?? null, c?.objectKind ?? null, c?.objectId ?? null, c?.outcome ?? 'failure', c?.page ?? null, c?.dwellMs ?? null]);
      });
    })();
  } catch (error) {
    db.close();
    throw error;
  }
  return { ...verification, query: new AuditQuery(db), close: () => db.close() };
}
