/** Enrols an open vault as the app and `rwctl enroll import` do, with a signed policy in force (tests only). */
import type { Database } from '@signalapp/sqlcipher';
import { installApproval, signPolicy } from '../../src-main/attest/enrollment';
import { devicePublicKey } from '../../src-main/attest/own-keys';
import { generateEd25519, type Ed25519KeyPair } from '../../src-shared/node/crypto';
import { toBase64 } from '../../src-shared/encoding';
import type { Policy } from '../../src-shared/policy';

/** `policy`, signed with `policyKey` (whose public key the approval pins), approved at `at`, installed by `clock`. */
export function enrollWithSignedPolicy(audit: Database, workstationId: string, policy: Policy, policyKey: Ed25519KeyPair, at: number, clock: () => number = () => at): void {
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
