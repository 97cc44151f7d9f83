/**
 * rwctl enroll request | import (see ARCHITECTURE: attestations and sync). `request` writes the DSSE-signed enrollment request (the
 * device key signs; device and reviewer public keys, the log origin) for the administrator to carry to
 * the central office; `import` verifies the approval bundle that comes back and installs it: nothing
 * unsigned, nothing for another workstation, no older policy.
 */
import { resolve } from 'node:path';
import { logOrigin } from '../src-main/audit/access-log';
import { policyDigest } from '../src-main/attest/review-attestation';
import { createEnrollmentRequest, importApproval, readEnrollment } from '../src-main/attest/enrollment';
import { refreshPreSignInPolicy } from '../src-main/controls/signed-policy';
import { reviewerPublicKeys } from '../src-main/attest/own-keys';
import { toBase64 } from '../src-shared/encoding';
import { recordWitnessSize } from '../src-main/attest/media-bundle';
import { parseCheckpoint } from '../src-shared/node/checkpoint';
import { parseNote } from '../src-shared/node/signed-note';
import { EXIT, type Command } from './command';
import { newOutPath, openCliSession, readInputFile, vaultOptions, writeNewFile } from './attest-commands';
import { cliTrustRoot } from './cli-vault';

const MAX_APPROVAL_FILE_BYTES = 512 * 1024;

export function createEnrollCommands(): Command[] {
  return [
    {
      path: ['enroll', 'request'],
      summary: 'Write a signed enrollment request (device and reviewer public keys) for the central office',
      positionals: [],
      options: { ...vaultOptions, out: { kind: 'string', description: 'Where to write the request (JSON)', required: true } },
      async run(args, io) {
        const out = newOutPath(args, io);
        const session = await openCliSession(args, io);
        try {
          const reviewers = reviewerPublicKeys(session.vault.content);
          const checkpoint = await session.port.signedCheckpoint();
          const envelope = createEnrollmentRequest(session.vault.audit, {
            workstationId: session.vault.workstationId,
            logOrigin: logOrigin(session.vault.workstationId),
            reviewers,
            checkpoint,
            clock: io.clock,
          });
          // The witness will hold this size once the request is approved: the first sync starts there.
          recordWitnessSize(session.vault.audit, parseCheckpoint(parseNote(checkpoint).text).size);
          writeNewFile(out, `${JSON.stringify(envelope, null, 2)}\n`);
          await session.port.logEvent({ event: 'enroll.request', object: { kind: 'workstation', id: session.vault.workstationId }, outcome: 'success', detail: { reviewers: reviewers.length } });
          io.stdout(`Enrollment request for workstation ${session.vault.workstationId} (${reviewers.length} reviewer key(s)) written to ${args.strings['out']}.\n`);
          return EXIT.ok;
        } finally {
          session.close();
        }
      },
    },
    {
      path: ['enroll', 'import'],
      summary: 'Verify and install an approval bundle: pinned server key, signed policy, trusted submitter keys',
      positionals: [{ name: 'FILE', description: 'Approval bundle from `rwctl server enroll`', required: true }],
      options: { ...vaultOptions },
      async run(args, io) {
        const bytes = readInputFile(resolve(io.cwd, args.positionals[0] as string), 'approval bundle', MAX_APPROVAL_FILE_BYTES);
        const session = await openCliSession(args, io);
        try {
          const before = readEnrollment(session.vault.audit);
          let installed;
          try {
            installed = importApproval(session.vault.audit, session.vault.workstationId, bytes, io.clock);
          } catch (error) {
            await session.port.logEvent({ event: 'policy.change', object: { kind: 'enrollment', id: session.vault.workstationId }, outcome: 'denied', detail: { reason: error instanceof Error ? error.message.slice(0, 200) : 'refused' } });
            throw error;
          }
          await session.port.logEvent({
            event: 'policy.change',
            object: { kind: 'policy', id: String(installed.policy.version), digest: `sha256:${policyDigest(installed.policy)}` },
            outcome: 'success',
            detail: { from: before?.policy.version ?? 0, to: installed.policy.version, server: installed.serverName },
          });
          // The lock screen (and rwctl's own lockout count) read the signed copy before sign-in.
          const inForce = refreshPreSignInPolicy(session.dir, session.vault.audit, cliTrustRoot(io));
          if (!inForce) io.stderr('Warning: the installed policy does not verify under this machine\'s trust root (RW_TRUST_ROOT or the machine-wide trust.json); the strictest defaults stay in force.\n');
          io.stdout(`Enrolled with ${installed.serverName} (server key ${toBase64(installed.serverPublicKey)}).\n`);
          io.stdout(`Policy version ${installed.policy.version} installed; ${installed.trustedSubmitterKeys.length} trusted submitter key(s); ${installed.serverUrl ? `network sync to ${installed.serverUrl}` : 'media transfer only'}.\n`);
          return EXIT.ok;
        } finally {
          session.close();
        }
      },
    },
  ];
}

export const ENROLL_COMMANDS: Command[] = createEnrollCommands();
