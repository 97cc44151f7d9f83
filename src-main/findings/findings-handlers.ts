/**
 * IPC handlers for the findings document leaving the workstation (src-shared/ipc/channels-findings.ts):
 * the gated export as CSAF or OpenVEX (the same service as `rwctl findings export`), and the signed
 * findings attestation queued in the outbox. The export's leaf carries format, digest, size and count,
 * never finding text; a refused export is logged against the case with its error code.
 */
import type { Database } from '@signalapp/sqlcipher';
import type { findingsChannels } from '../../src-shared/ipc/channels-findings';
import type { Policy } from '../../src-shared/policy';
import type { SessionLogTarget } from '../audit/app-access-log';
import { accessLogPort } from '../attest/access-log-adapter';
import { signFindingsAttestation } from '../attest/findings-attestation';
import { writeIntoExportFolder } from '../controls/export-gate';
import type { WatermarkSession } from '../controls/watermark-session';
import type { Handler } from '../ipc/router';
import type { SessionManager } from '../session/session-manager';
import type { UnlockedVault } from '../vault/vault';
import { exportFindingsDocument } from './findings-export';

type FindingsChannels = typeof findingsChannels;
export type FindingsHandlers = { [K in keyof FindingsChannels]: Handler<FindingsChannels[K]> };

export interface FindingsHandlerDeps {
  dataDir: string;
  sessions: SessionManager<UnlockedVault>;
  contentDb(): Database;
  policy(): Policy;
  session(): WatermarkSession | null;
  stepUp(passphrase: string): Promise<void>;
  exportDir: string;
  clock(): number;
  sessionLog(): SessionLogTarget;
}

export function findingsHandlers(deps: FindingsHandlerDeps): FindingsHandlers {
  return {
    'findings.export': async ({ caseId, format, justification, passphrase }, ctx) => {
      // Named before the gate runs, so a refused export is logged against its case too.
      ctx.describe({ kind: 'case', id: caseId }, { kind: `findings-${format}`, justification, decision: 'denied' });
      const outcome = await exportFindingsDocument(
        deps.contentDb(),
        { caseId, format, justification, passphrase },
        {
          policy: deps.policy,
          session: deps.session,
          stepUp: deps.stepUp,
          clock: deps.clock,
          write: (bytes, name) => {
            writeIntoExportFolder(deps.exportDir, name, bytes);
            return name;
          },
        },
      );
      ctx.describe({ kind: 'case', id: caseId, digest: `sha256:${outcome.sha256}` }, outcome.detail);
      return { fileName: outcome.fileName, sha256: outcome.sha256, bytes: outcome.bytes, findings: outcome.findings, checks: outcome.checks };
    },
    'findings.attest': async ({ caseId, passphrase }, ctx) => {
      ctx.describe({ kind: 'case', id: caseId });
      const vault = deps.sessions.require();
      const { log, session } = deps.sessionLog();
      const port = accessLogPort(log, { user: vault.user, role: vault.role }, session);
      const signed = await signFindingsAttestation(
        { vaultDir: deps.dataDir, vault, unlockDeps: { clock: deps.clock, policy: deps.policy().lockout }, logEvent: port.logEvent, clock: deps.clock },
        caseId,
        passphrase,
      );
      const predicate = signed.statement.predicate as { sequence: number; accessLogIndex: number; findings: unknown[] };
      ctx.describe({ kind: 'case', id: caseId }, { envelopeSha256: signed.item.envelopeSha256, findings: predicate.findings.length });
      return { envelopeSha256: signed.item.envelopeSha256, sequence: predicate.sequence, accessLogIndex: predicate.accessLogIndex, findings: predicate.findings.length };
    },
  };
}
