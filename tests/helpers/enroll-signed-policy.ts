/** Enrols an open vault as the app and `rwctl enroll import` do, with a signed policy in force (tests only). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '@signalapp/sqlcipher';
import { installApproval, signPolicy } from '../../src-main/attest/enrollment';
import { devicePublicKey } from '../../src-main/attest/own-keys';
import { generateEd25519, type Ed25519KeyPair } from '../../src-shared/node/crypto';
import { toBase64 } from '../../src-shared/encoding';
import type { Policy } from '../../src-shared/policy';

let trustFile: string | null = null;
const trusted: string[] = [];

/**
 * Makes `publicKey` a policy key of the trust root this process reads (RW_TRUST_ROOT), as an
 * administrator's machine-wide trust file would. Keys accumulate (the schema's limit keeps the newest).
 */
export function trustPolicyKey(publicKey: Uint8Array): string {
  trustFile ??= join(mkdtempSync(join(tmpdir(), 'rw-trust-')), 'trust.json');
  const key = toBase64(publicKey);
  if (!trusted.includes(key)) trusted.push(key);
  writeFileSync(trustFile, JSON.stringify({ version: 1, policyKeys: trusted.slice(-16) }), { mode: 0o644 });
  process.env['RW_TRUST_ROOT'] = trustFile;
  return trustFile;
}

/**
 * `policy`, signed with `policyKey` (whose public key the approval pins and the trust root lists),
 * approved at `at`, installed by `clock`.
 */
export function enrollWithSignedPolicy(audit: Database, workstationId: string, policy: Policy, policyKey: Ed25519KeyPair, at: number, clock: () => number = () => at): void {
  trustPolicyKey(policyKey.publicKey);
  installApproval(
    audit,
    {
      approval: {
        workstationId,
        devicePublicKey: toBase64(devicePublicKey(audit)),
        serverPublicKey: toBase64(generateEd25519().publicKey),
        serverName: 'central.example',
        policyEnvelope: signPolicy(policy, policyKey.privateKey) as never,
        policyPublicKey: toBase64(policyKey.publicKey),
        trustedSubmitterKeys: [],
        approvedAt: at,
      },
      policy,
      submitterKeys: [],
    },
    clock,
  );
}
