/**
 * The claims ledger's view of a checked Inspect log. Typed structurally on the evidence report's
 * fields it reads, so the status logic depends on what a check answers, not on the reader behind it.
 */
import type { CheckedLogView } from '../../src-shared/claims/claim-status';

export interface EvidenceReportLike {
  file: string;
  status: 'clean' | 'flagged' | 'malformed';
  task: string | null;
  model: string | null;
  scores: ReadonlyArray<{ name: string; scorer: string; reducer: string; metric: string; reported: number | null; recomputed: number | null; verdict: string }>;
}

export function checkedLogView(report: EvidenceReportLike, ref: string, evidence = report.file): CheckedLogView {
  return {
    evidence,
    ref,
    task: report.task ?? '',
    model: report.model,
    readable: report.status !== 'malformed',
    scores: report.scores.map((s) => ({
      scorer: s.name,
      metric: s.metric,
      reducer: s.reducer,
      reported: s.reported,
      // A metric the checker could not recompute is not evidence either way.
      recomputed: s.verdict === 'not-verified' ? null : s.recomputed,
    })),
  };
}
