/**
 * The attestation preview in words: the Statement's predicate read back into what a reviewer checks
 * before signing (verdict, findings by severity, checklist, claims when the predicate carries them).
 * Read from the very JSON that would leave, so the summary cannot say something the statement does not;
 * anything unexpected gives no summary and the raw statement alone is shown.
 */
export interface AttestationSummary {
  verdict: string;
  findings: { severity: string; count: number }[];
  findingTotal: number;
  checklist: { completed: number; total: number; rubricVersion: string };
  /** Claim counts by status, when the predicate has them. */
  claims: { status: string; count: number }[] | null;
  subjects: number;
  reviewWindow: { start: string; end: string } | null;
  releaseSummary: string;
}

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'];

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function counts(value: unknown): { key: string; count: number }[] | null {
  const r = record(value);
  if (!r) return null;
  const out: { key: string; count: number }[] = [];
  for (const [key, v] of Object.entries(r)) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return null;
    out.push({ key, count: v });
  }
  return out;
}

export function summariseStatement(json: string): AttestationSummary | null {
  let statement: unknown;
  try {
    statement = JSON.parse(json);
  } catch {
    return null;
  }
  const p = record(record(statement)?.['predicate']);
  const subjects = record(statement)?.['subject'];
  const findings = counts(p?.['findingCounts']);
  const checklist = record(p?.['checklist']);
  if (!p || typeof p['verdict'] !== 'string' || !findings || !checklist) return null;
  const { completed, total, rubricVersion } = checklist;
  if (typeof completed !== 'number' || typeof total !== 'number' || typeof rubricVersion !== 'string') return null;
  const ordered = [...findings].sort((a, b) => SEVERITY_ORDER.indexOf(a.key) - SEVERITY_ORDER.indexOf(b.key));
  const claims = p['claims'] === undefined ? null : counts(record(p['claims'])?.['byStatus'] ?? p['claims']);
  const window = record(p['reviewWindow']);
  return {
    verdict: p['verdict'],
    findings: ordered.map((f) => ({ severity: f.key, count: f.count })),
    findingTotal: ordered.reduce((n, f) => n + f.count, 0),
    checklist: { completed, total, rubricVersion },
    claims: claims ? claims.map((c) => ({ status: c.key, count: c.count })) : null,
    subjects: Array.isArray(subjects) ? subjects.length : 0,
    reviewWindow: window && typeof window['start'] === 'string' && typeof window['end'] === 'string' ? { start: window['start'], end: window['end'] } : null,
    releaseSummary: typeof p['releaseSummary'] === 'string' ? p['releaseSummary'] : '',
  };
}
