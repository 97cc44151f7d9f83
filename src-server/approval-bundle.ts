/**
 * The approval bundle a workstation receives at enrollment, built from the server's own configuration.
 * One function for both ways an administrator approves (the HTTP admin endpoint and `rwctl server
 * enroll` offline), so the keys, policy and trusted submitters a workstation is given never differ by route.
 */
import { fromBase64 } from '../src-shared/encoding';
import { buildApprovalBundle } from './enrollment';
import type { LoadedServer } from './server-config';

export function approvalFromServer(
  loaded: LoadedServer,
  request: Parameters<typeof buildApprovalBundle>[1],
  at: number,
  extraTrustedSubmitterKeys: readonly string[] = [],
): ReturnType<typeof buildApprovalBundle> {
  return buildApprovalBundle(
    {
      serverName: loaded.config.name,
      serverSeed: loaded.serverSeed,
      serverPublicKey: loaded.serverPublicKey,
      ...(loaded.config.publicUrl ? { serverUrl: loaded.config.publicUrl } : {}),
      policy: loaded.policy,
      policySeed: loaded.policySeed,
      policyPublicKey: fromBase64(loaded.config.policyPublicKey),
      trustedSubmitterKeys: [...loaded.config.trustedSubmitterKeys, ...extraTrustedSubmitterKeys],
    },
    request,
    at,
  );
}
