/**
 * Words for a finding's severity and status. Type-only imports of the contract: bundling its zod
 * schemas would make zod probe for eval, which the CSP reports. The Records keep the lists complete: a
 * new severity or status fails to compile here.
 */
import type { FindingStatus, Severity } from '../../src-shared/ipc/channels-workspace';

export const SEVERITY_LABEL: Record<Severity, string> = { info: 'info', low: 'low', medium: 'medium', high: 'high', critical: 'critical' };

export const STATUS_LABEL: Record<FindingStatus, string> = { open: 'open', confirmed: 'confirmed', mitigated: 'mitigated', withdrawn: 'withdrawn' };

export const CATEGORIES = ['dangerous capability', 'safety evaluation gap', 'documentation gap', 'misleading claim', 'security', 'other'];

/** Evidence references typed one per line; blank lines dropped. */
export function evidenceLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}
