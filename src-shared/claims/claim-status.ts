/**
 * Status of each claim against what the evidence shows when recomputed from its samples, not what its
 * header says: a card that copies a header the samples do not bear out is contradicted, and the
 * message says so. Written against a small view of a checked log (task, model, per scorer and metric
 * the reported and recomputed values) so any reader that recomputes can feed it.
 */
import { claimInterval, normalizeTaskName, withinStatedPrecision, type ExtractedClaim } from './claim-extract';

export const CLAIM_STATUSES = ['supported', 'contradicted', 'unverifiable', 'unlinked'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export interface CheckedScoreView {
  scorer: string;
  metric: string;
  /** The epoch reducer the score was computed with, when the log says (mean, pass_at_2, …). */
  reducer?: string | null;
  reported: number | null;
  /** Null when the checker could not recompute this metric. */
  recomputed: number | null;
}

export interface CheckedLogView {
  /** What the ledger shows as the evidence: the log file as given, or the artifact path. */
  evidence: string;
  /** Stable reference a manual link stores (artifact id in a vault, file path on the command line). */
  ref: string;
  task: string;
  model: string | null;
  /** False when the log could not be read at all (malformed). */
  readable: boolean;
  scores: readonly CheckedScoreView[];
}

/** A reviewer's hand: link to one log, or unlink; and an override of the status with a reason. */
export interface ClaimDecision {
  link?: { kind: 'log'; ref: string } | { kind: 'none' };
  override?: { status: ClaimStatus; reason: string; by: string };
}

export interface ClaimResult {
  claim: ExtractedClaim;
  status: ClaimStatus;
  /** The status the evidence gives before any override. */
  computedStatus: ClaimStatus;
  message: string;
  evidence: string | null;
  evidenceRef: string | null;
  linkedBy: 'task' | 'reviewer' | null;
  scorer: string | null;
  metric: string;
  reported: number | null;
  recomputed: number | null;
  override: ClaimDecision['override'] | null;
}

function modelMatches(logModel: string | null, submissionModel: string | null | undefined): boolean {
  if (!logModel || !submissionModel) return false;
  const a = logModel.toLowerCase();
  const b = submissionModel.toLowerCase();
  // Inspect writes "provider/model"; a submission names the model alone.
  return a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`);
}

/** Logs of the claim's task, the submission's model first (stable otherwise). */
export function logsForTask(task: string, logs: readonly CheckedLogView[], submissionModel?: string | null): CheckedLogView[] {
  const want = normalizeTaskName(task);
  const same = logs.filter((l) => normalizeTaskName(l.task) === want);
  return [...same.filter((l) => modelMatches(l.model, submissionModel)), ...same.filter((l) => !modelMatches(l.model, submissionModel))];
}

function fmt(claim: ExtractedClaim, v: number): string {
  if (claim.value.scale === 100) return `${Number((v * 100).toFixed(Math.max(2, claim.value.decimals + 1)))}%`;
  if (claim.kind === 'ratio') return `${Number((v * claim.value.scale).toFixed(2))} of ${claim.value.scale}`;
  return String(Number(v.toFixed(Math.max(3, claim.value.decimals + 1))));
}

function pickScore(claim: ExtractedClaim, log: CheckedLogView): CheckedScoreView | null {
  let candidates = log.scores.filter((s) => s.metric.toLowerCase() === claim.metric.toLowerCase());
  if (claim.scorer) {
    const named = candidates.filter((s) => s.scorer === claim.scorer);
    if (named.length) candidates = named;
  }
  if (claim.reducer) {
    const reduced = candidates.filter((s) => s.reducer === claim.reducer);
    // A pass@k claim needs a score reduced that way: accuracy under another reducer measures another thing.
    return reduced[0] ?? null;
  }
  return candidates[0] ?? null;
}

function judge(claim: ExtractedClaim, log: CheckedLogView): Omit<ClaimResult, 'claim' | 'status' | 'override' | 'linkedBy' | 'evidenceRef'> {
  const base = { evidence: log.evidence, metric: claim.metric, scorer: null, reported: null, recomputed: null };
  if (!log.readable) return { ...base, computedStatus: 'unverifiable', message: `${log.evidence} could not be read, so nothing in it can support the claim.` };
  const score = pickScore(claim, log);
  if (!score) {
    const what = claim.reducer ? `${claim.metric} reduced as ${claim.reducer}` : `the metric ${claim.metric}`;
    return { ...base, computedStatus: 'unverifiable', message: `${log.evidence} (task ${log.task}) does not measure ${what}.` };
  }
  const found = { ...base, scorer: score.scorer, reported: score.reported, recomputed: score.recomputed };
  if (score.recomputed === null) {
    return { ...found, computedStatus: 'unverifiable', message: `The samples of ${log.evidence} do not allow ${score.scorer}/${score.metric} to be recomputed.` };
  }
  const { lo, hi } = claimInterval(claim.value);
  const range = `[${fmt(claim, lo)}, ${fmt(claim, hi)})`;
  if (withinStatedPrecision(claim.value, score.recomputed)) {
    return { ...found, computedStatus: 'supported', message: `The samples give ${fmt(claim, score.recomputed)}, within ${range} that "${claim.text}" states.` };
  }
  if (score.reported !== null && withinStatedPrecision(claim.value, score.reported)) {
    return {
      ...found,
      computedStatus: 'contradicted',
      message: `The card matches the log's header (${fmt(claim, score.reported)}) but not its samples: recomputed from the samples, ${score.scorer}/${score.metric} is ${fmt(claim, score.recomputed)}, outside ${range}.`,
    };
  }
  const reported = score.reported === null ? 'the log reports no value' : `the log reports ${fmt(claim, score.reported)}`;
  return { ...found, computedStatus: 'contradicted', message: `"${claim.text}" states ${range}; ${reported} and its samples give ${fmt(claim, score.recomputed)}.` };
}

export interface StatusContext {
  logs: readonly CheckedLogView[];
  submissionModel?: string | null;
}

export function claimStatus(claim: ExtractedClaim, context: StatusContext, decision: ClaimDecision = {}): ClaimResult {
  const empty = { evidence: null, evidenceRef: null, scorer: null, reported: null, recomputed: null, metric: claim.metric };
  let partial: Omit<ClaimResult, 'claim' | 'status' | 'override'>;
  if (decision.link?.kind === 'none') {
    partial = { ...empty, linkedBy: 'reviewer', computedStatus: 'unlinked', message: 'The reviewer unlinked this claim from the evidence.' };
  } else if (decision.link?.kind === 'log') {
    const ref = decision.link.ref;
    const log = context.logs.find((l) => l.ref === ref);
    partial = log
      ? { ...judge(claim, log), linkedBy: 'reviewer', evidenceRef: log.ref }
      : { ...empty, linkedBy: 'reviewer', computedStatus: 'unverifiable', message: 'The log the reviewer linked is no longer in the evidence.' };
  } else if (claim.task === null) {
    partial = { ...empty, linkedBy: null, computedStatus: 'unlinked', message: 'No task could be determined for this number: link it to a log by hand.' };
  } else {
    const [log] = logsForTask(claim.task, context.logs, context.submissionModel);
    partial = log
      ? { ...judge(claim, log), linkedBy: 'task', evidenceRef: log.ref }
      : { ...empty, linkedBy: null, computedStatus: 'unverifiable', message: `No log in the evidence measures the task ${claim.task}.` };
  }
  const override = decision.override ?? null;
  return { claim, ...partial, status: override ? override.status : partial.computedStatus, override };
}

export function countByStatus(results: readonly { status: ClaimStatus }[]): Record<ClaimStatus, number> {
  const counts = Object.fromEntries(CLAIM_STATUSES.map((s) => [s, 0])) as Record<ClaimStatus, number>;
  for (const r of results) counts[r.status] += 1;
  return counts;
}
