/**
 * What changed between two snapshots of a record (a finding's or a note's revisions), in words a
 * history list and `rwctl findings history` both print. Pure: the stores keep whole snapshots, and the
 * difference is worked out when it is shown.
 */
export interface FieldChange {
  field: string;
  from: string;
  to: string;
}

type Value = string | number | null | readonly string[];

function shown(value: Value): string {
  if (value === null) return '(none)';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(', ');
  return String(value);
}

/**
 * The fields whose value differs, in the order given, labelled. A field that is null on either side
 * because it was not recorded then (`unrecorded`) is left out rather than reported as a change.
 */
export function changesBetween<T extends Record<string, unknown>>(
  before: T,
  after: T,
  labels: Readonly<Partial<Record<keyof T & string, string>>>,
  unrecorded: readonly (keyof T & string)[] = [],
): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [key, label] of Object.entries(labels) as [keyof T & string, string][]) {
    const a = before[key] as Value;
    const b = after[key] as Value;
    if (unrecorded.includes(key) && (a === null || b === null)) continue;
    const same = Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((v, i) => v === b[i]) : a === b;
    if (!same) changes.push({ field: label, from: shown(a), to: shown(b) });
  }
  return changes;
}

/** Each snapshot with what changed since the one before it (nothing for the first). */
export function withChanges<T extends Record<string, unknown>>(
  snapshots: readonly T[],
  labels: Readonly<Partial<Record<keyof T & string, string>>>,
  unrecorded: readonly (keyof T & string)[] = [],
): (T & { changes: FieldChange[] })[] {
  return snapshots.map((s, i) => ({ ...s, changes: i === 0 ? [] : changesBetween(snapshots[i - 1]!, s, labels, unrecorded) }));
}

/** Finding history fields in the order a person reads them. */
export const FINDING_FIELD_LABELS = {
  title: 'title',
  status: 'status',
  severity: 'severity',
  category: 'category',
  cvssVector: 'CVSS vector',
  description: 'description',
  artifactIds: 'cited artifacts',
  evidence: 'evidence',
} as const;

/** Note history fields. */
export const NOTE_FIELD_LABELS = { body: 'text', excerpt: 'excerpt', anchor: 'place' } as const;
