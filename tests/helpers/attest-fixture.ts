/**
 * Fixtures for the attestation tests: a real vault (SQLCipher, Argon2id at the floor), a case with
 * artifacts written straight into content.db, the real access log behind the port, and a central office
 * (server, policy keys) that signs approval bundles with the server's own builder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ed25519PublicFromSeed, randomBytes, sha256 } from '../../src-shared/node/crypto';
import { toHex, utf8 } from '../../src-shared/encoding';
import { DEFAULT_POLICY, type Policy } from '../../src-shared/policy';
import { toBase64 } from '../../src-shared/encoding';
import { openAccessLog, type AccessLog } from '../../src-main/audit/access-log';
import { accessLogPort } from '../../src-main/attest/access-log-adapter';
import type { AccessLogPort } from '../../src-main/attest/access-log-port';
import { openEnrollmentRequest, createEnrollmentRequest } from '../../src-main/attest/enrollment';
import { logOrigin } from '../../src-main/audit/access-log';
import { readOwnKeys, reviewerPublicKeys } from '../../src-main/attest/own-keys';
import type { OwnKeys } from '../../src-main/attest/outbox';
import { MIN_KDF_PARAMS } from '../../src-main/vault/kdf';
import { initVault, unlockVault, type UnlockedVault, type VaultDeps } from '../../src-main/vault/vault';
import { buildApprovalBundle } from '../../src-server/enrollment';
import type { ApprovalBundle, EnrollmentRequest } from '../../src-shared/attestation-types';

export const PASS = 'alice passphrase 1';
export const NOW = Date.parse('2026-11-28T10:00:00Z');

export interface VaultFixture {
  root: string;
  dir: string;
  vault: UnlockedVault;
  deps: VaultDeps;
  log: AccessLog;
  port: AccessLogPort;
  keys: OwnKeys;
  clock: { now: number };
  close(): void;
}

export async function openVaultFixture(): Promise<VaultFixture> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-attest-'));
  const dir = path.join(root, 'vault');
  const clock = { now: NOW };
  const deps: VaultDeps = { clock: () => clock.now, random: randomBytes, kdf: MIN_KDF_PARAMS, policy: { delayAfter: 3, lockAfter: 10 } };
  await initVault(dir, 'alice', PASS, deps);
  const vault = await unlockVault(dir, 'alice', PASS, deps);
  const log = openAccessLog(vault.audit, { app: 'rw-test/0', clock: () => clock.now, monotonic: () => clock.now - NOW });
  const port = accessLogPort(log, { user: 'alice', role: 'reviewer' });
  return {
    root,
    dir,
    vault,
    deps,
    log,
    port,
    keys: readOwnKeys(vault.audit, vault.content),
    clock,
    close() {
      log.close();
      vault.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface TestCase {
  caseId: string;
  artifacts: { path: string; sha256: string }[];
  packageDigest: string;
}

/** A case row and artifact rows as the package importer writes them (content is not needed here). */
export function insertCase(f: VaultFixture, caseId = 'case-0001'): TestCase {
  const db = f.vault.content!;
  const artifacts = ['model-card.md', 'evals/results.csv'].map((p) => ({ path: p, sha256: toHex(sha256(utf8(`${caseId}/${p}`))) }));
  const packageDigest = `sha256:${toHex(sha256(utf8(caseId)))}`;
  db.prepare(
    `INSERT INTO cases (id, model, developer, version, submitted_at, release_date, review_deadline, package_digest, submitter_key, imported_at, metadata_json)
     VALUES (?, 'Test-1', 'Example Lab', '1.0.0', '2026-11-20T09:00:00Z', '2026-12-30', '2026-12-20', ?, 'sha256:00', ?, '{}')`,
  ).run([caseId, packageDigest, NOW]);
  artifacts.forEach((a, i) =>
    db.prepare("INSERT INTO artifacts (id, case_id, path, size, sha256, media_type, chunk_count) VALUES (?, ?, ?, 10, ?, 'text/plain', 1)").run([`${caseId}-a${i}`, caseId, a.path, a.sha256]),
  );
  return { caseId, artifacts, packageDigest };
}

export interface CentralOffice {
  serverName: string;
  serverSeed: Uint8Array;
  serverPublicKey: Uint8Array;
  policySeed: Uint8Array;
  policyPublicKey: Uint8Array;
}

export function centralOffice(serverName = 'central.test/attestations'): CentralOffice {
  const serverSeed = randomBytes(32);
  const policySeed = randomBytes(32);
  return { serverName, serverSeed, serverPublicKey: ed25519PublicFromSeed(serverSeed), policySeed, policyPublicKey: ed25519PublicFromSeed(policySeed) };
}

export function enrollmentRequestOf(f: VaultFixture): EnrollmentRequest {
  const envelope = createEnrollmentRequest(f.vault.audit, {
    workstationId: f.vault.workstationId,
    logOrigin: logOrigin(f.vault.workstationId),
    reviewers: reviewerPublicKeys(f.vault.content),
    checkpoint: f.log.checkpoint('sync').note,
    clock: () => f.clock.now,
  });
  return openEnrollmentRequest(envelope);
}

export function policyFor(office: CentralOffice, overrides: Partial<Policy> = {}, serverUrl: string | null = null): Policy {
  return { ...DEFAULT_POLICY, version: 2, server: serverUrl ? { url: serverUrl, publicKey: toBase64(office.serverPublicKey) } : null, ...overrides };
}

export function approvalFor(office: CentralOffice, request: EnrollmentRequest, policy: Policy, extra: { serverUrl?: string; submitterPems?: string[] } = {}): ApprovalBundle {
  return buildApprovalBundle(
    {
      serverName: office.serverName,
      serverSeed: office.serverSeed,
      serverPublicKey: office.serverPublicKey,
      ...(extra.serverUrl ? { serverUrl: extra.serverUrl } : {}),
      policy,
      policySeed: office.policySeed,
      policyPublicKey: office.policyPublicKey,
      trustedSubmitterKeys: extra.submitterPems ?? [],
    },
    request,
    NOW,
  );
}

export const codeOf = (fn: () => unknown): string => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? 'thrown';
  }
};

export const asyncCodeOf = async (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? 'thrown',
  );
