/** Plain words for what the checker found: flag codes, verdicts and numbers as a reviewer reads them. */
import type { FlagCode } from '../../src-shared/evidence/evidence-report';

export const FLAG_EXPLANATIONS: Record<FlagCode, string> = {
  'metric-mismatch': 'A headline number in the log is not what its own samples give when recomputed.',
  'samples-missing': 'The log holds fewer sample records than it says it ran.',
  incomplete: 'The run did not finish successfully, so its results may be partial.',
  malformed: 'Part of the file cannot be read (damaged, truncated or not a valid log).',
  'sample-errors': 'Some samples ended in an error; they are left out of every metric.',
  'limits-hit': 'Some samples stopped at a token, time or message limit.',
  unscored: 'Some samples carry no score for a scorer.',
};

export const FLAG_TITLES: Record<FlagCode, string> = {
  'metric-mismatch': 'Metric mismatch',
  'samples-missing': 'Samples missing',
  incomplete: 'Incomplete run',
  malformed: 'Malformed',
  'sample-errors': 'Sample errors',
  'limits-hit': 'Limits hit',
  unscored: 'Unscored samples',
};

export const VERDICT_WORDS: Record<string, string> = {
  match: 'Matches',
  mismatch: 'Does not match',
  'not-verified': 'Not verified',
  'not-reported': 'Not reported',
};

export const STATUS_WORDS: Record<string, string> = { clean: 'Clean', flagged: 'Flagged', malformed: 'Malformed' };

export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  return Number.isInteger(value) ? String(value) : value.toFixed(4).replace(/0+$/, '');
}

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
