/** Display helpers for the auditor console: UTC times (the log's clock) and durations. */
export function utc(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 90) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = s / 60;
  if (m < 90) return `${m.toFixed(0)} min`;
  return `${(m / 60).toFixed(1)} h`;
}

/** `datetime-local` input value (interpreted as UTC here) to UTC ms, or undefined when empty/invalid. */
export function parseUtcInput(value: string): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(`${value}:00Z`.replace(/:00:00Z$/, ':00Z'));
  return Number.isFinite(ms) ? ms : undefined;
}

export function toUtcInput(ms: number | undefined): string {
  if (ms === undefined) return '';
  return new Date(ms).toISOString().slice(0, 16);
}
