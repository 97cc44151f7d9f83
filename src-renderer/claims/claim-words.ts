/** What each claim status is called and marked with: a word and an icon beside the colour (never colour alone). */
import type { ClaimStatusValue } from '../../src-shared/ipc/channels-claims';

export const CLAIM_STATUS_WORDS: Record<ClaimStatusValue, string> = {
  supported: 'Supported',
  contradicted: 'Contradicted',
  unverifiable: 'Unverifiable',
  unlinked: 'Unlinked',
};

export const CLAIM_STATUS_ICON: Record<ClaimStatusValue, string> = {
  supported: '✓',
  contradicted: '✕',
  unverifiable: '?',
  unlinked: '∅',
};

// Type-only contract import (no zod in the renderer bundle); the Record above keeps the list complete.
export const CLAIM_STATUSES = Object.keys(CLAIM_STATUS_WORDS) as ClaimStatusValue[];

/** A metric value as the ledger shows it: a fraction with its percentage. */
export function formatClaimValue(v: number | null): string {
  if (v === null) return '—';
  return `${Number(v.toFixed(4))} (${Number((v * 100).toFixed(2))}%)`;
}
