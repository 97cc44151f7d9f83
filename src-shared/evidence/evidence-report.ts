/**
 * What checking one Inspect evaluation log answers: the log's own facts (task, model, dataset, config,
 * provenance), every headline metric reported beside its recomputation, the sample counts, a closed set
 * of flags, and one row per sample record. Plain values only: it crosses IPC and is printed by rwctl.
 */

export const FLAG_CODES = ['metric-mismatch', 'samples-missing', 'incomplete', 'malformed', 'sample-errors', 'limits-hit', 'unscored'] as const;
export type FlagCode = (typeof FLAG_CODES)[number];

export interface EvidenceFlag {
  code: FlagCode;
  message: string;
  scorer?: string;
  metric?: string;
  /** `id` or `id/epoch` of the sample the flag is about. */
  sample?: string;
}

export type ScoreVerdict = 'match' | 'mismatch' | 'not-verified' | 'not-reported';

export interface ScoreCheck {
  /** The score's name in results.scores (the scorer, or one key of a dictionary-valued score). */
  name: string;
  scorer: string;
  reducer: string;
  metric: string;
  reported: number | null;
  recomputed: number | null;
  verdict: ScoreVerdict;
  /** Samples that entered the recomputation (after epochs were reduced). */
  scoredSamples: number;
  /** Why a metric was not verified, in plain words. */
  note?: string;
}

/** Where a sample lies in its log, so it can be read again alone. */
export type SampleRef = { kind: 'entry'; name: string } | { kind: 'range'; offset: number; length: number };

export interface SampleRow {
  id: string | number;
  epoch: number;
  /** Per score name: the value as a float (null when the sample has no such score). */
  scores: Record<string, number | null>;
  /** The first score's value as the log writes it ("C", 0.5, …), for display. */
  displayScore: string;
  target: string;
  answer: string;
  error: string | null;
  limit: string | null;
  tokens: number | null;
  time: number | null;
  ref: SampleRef;
}

export type LogCheckStatus = 'clean' | 'flagged' | 'malformed';

export interface EvidenceReport {
  file: string;
  format: 'eval' | 'json' | 'unknown';
  status: LogCheckStatus;
  /** The log's own status (success, started, error, cancelled); null when unreadable. */
  logStatus: string | null;
  /** Where the header came from: the finished header, the journal of an unfinished run, or the document. */
  headerSource: 'header.json' | 'journal' | 'document' | null;
  logVersion: number | null;
  task: string | null;
  model: string | null;
  created: string | null;
  runId: string | null;
  evalId: string | null;
  dataset: { name: string | null; location: string | null; samples: number | null; sampleIds: number | null };
  /** Epochs, limits, sample filter and the rest of eval.config, as the log writes them. */
  config: Record<string, unknown>;
  generation: Record<string, unknown>;
  revision: Record<string, unknown> | null;
  packages: Record<string, string>;
  samples: { expected: number | null; present: number; errored: number; unscored: number; limitsHit: number };
  scores: ScoreCheck[];
  flags: EvidenceFlag[];
}

/** The report plus the per-sample rows (kept apart: the rows can be 50 000 long). */
export interface EvidenceCheck {
  report: EvidenceReport;
  rows: SampleRow[];
}
