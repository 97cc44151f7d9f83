/**
 * The claims ledger of a case in the vault, wired to the evidence checker: every artifact that is an
 * Inspect log is checked in place from the encrypted store (never a temporary file) and seen by the
 * status logic as task, model and per-metric reported and recomputed values.
 */
import type { Database } from '@signalapp/sqlcipher';
import type { CheckedLogView } from '../../src-shared/claims/claim-status';
import { listArtifacts } from '../artifacts/case-queries';
import { checkEvidenceLog } from '../evidence/check-log';
import { looksLikeInspectLog } from '../evidence/evidence-service';
import { vaultLogSource } from '../evidence/vault-log-source';
import { caseLedger, readArtifactText, type CaseLedger } from './claims-ledger';
import { checkedLogView } from './evidence-view';

export async function checkCaseLogs(db: Database, caseId: string): Promise<CheckedLogView[]> {
  const views: CheckedLogView[] = [];
  for (const artifact of listArtifacts(db, caseId)) {
    if (!(await looksLikeInspectLog(artifact.path, vaultLogSource(db, artifact.id)))) continue;
    const { report } = await checkEvidenceLog(vaultLogSource(db, artifact.id));
    views.push(checkedLogView(report, artifact.id, artifact.path));
  }
  return views;
}

export function vaultCaseLedger(db: Database, caseId: string, now: () => number): Promise<CaseLedger> {
  return caseLedger(db, caseId, { checkLogs: (id) => checkCaseLogs(db, id), readText: (id) => readArtifactText(db, id), now });
}
