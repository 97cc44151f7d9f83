/**
 * CVSS v4.0 vector strings (FIRST CVSS v4.0 Specification, §7 "Vector String"): the prefix
 * `CVSS:4.0`, then `/Metric:Value` pairs. The eleven base metrics are mandatory and come first in the
 * order below; threat, environmental and supplemental metrics are optional, each at most once, in the
 * specification's order. Unknown metrics or values, duplicates and out-of-order metrics are refused,
 * so a stored vector means the same thing to every CVSS tool.
 */
import { RwError } from '../../src-shared/errors';

interface MetricDef {
  name: string;
  values: readonly string[];
  mandatory: boolean;
}

const base = (name: string, values: string[]): MetricDef => ({ name, values, mandatory: true });
const opt = (name: string, values: string[]): MetricDef => ({ name, values, mandatory: false });

/** Spec order: Base, Threat, Environmental (security requirements, then modified base), Supplemental. */
export const CVSS4_METRICS: readonly MetricDef[] = [
  base('AV', ['N', 'A', 'L', 'P']),
  base('AC', ['L', 'H']),
  base('AT', ['N', 'P']),
  base('PR', ['N', 'L', 'H']),
  base('UI', ['N', 'P', 'A']),
  base('VC', ['H', 'L', 'N']),
  base('VI', ['H', 'L', 'N']),
  base('VA', ['H', 'L', 'N']),
  base('SC', ['H', 'L', 'N']),
  base('SI', ['H', 'L', 'N']),
  base('SA', ['H', 'L', 'N']),
  opt('E', ['X', 'A', 'P', 'U']),
  opt('CR', ['X', 'H', 'M', 'L']),
  opt('IR', ['X', 'H', 'M', 'L']),
  opt('AR', ['X', 'H', 'M', 'L']),
  opt('MAV', ['X', 'N', 'A', 'L', 'P']),
  opt('MAC', ['X', 'L', 'H']),
  opt('MAT', ['X', 'N', 'P']),
  opt('MPR', ['X', 'N', 'L', 'H']),
  opt('MUI', ['X', 'N', 'P', 'A']),
  opt('MVC', ['X', 'H', 'L', 'N']),
  opt('MVI', ['X', 'H', 'L', 'N']),
  opt('MVA', ['X', 'H', 'L', 'N']),
  opt('MSC', ['X', 'H', 'L', 'N']),
  // Subsequent-system integrity and availability may be modified to Safety (S).
  opt('MSI', ['X', 'S', 'H', 'L', 'N']),
  opt('MSA', ['X', 'S', 'H', 'L', 'N']),
  opt('S', ['X', 'N', 'P']),
  opt('AU', ['X', 'N', 'Y']),
  opt('R', ['X', 'A', 'U', 'I']),
  opt('V', ['X', 'D', 'C']),
  opt('RE', ['X', 'L', 'M', 'H']),
  opt('U', ['X', 'Clear', 'Green', 'Amber', 'Red']),
];

const PREFIX = 'CVSS:4.0';
const MAX_LENGTH = 400;

export type Cvss4Result = { ok: true; metrics: Record<string, string> } | { ok: false; reason: string };

export function parseCvss4Vector(vector: string): Cvss4Result {
  if (vector.length > MAX_LENGTH) return { ok: false, reason: 'the vector is too long' };
  const parts = vector.split('/');
  if (parts[0] !== PREFIX) return { ok: false, reason: `it must start with "${PREFIX}/"` };
  const metrics: Record<string, string> = {};
  let next = 0; // index into CVSS4_METRICS the next metric may have at the earliest
  for (const part of parts.slice(1)) {
    const colon = part.indexOf(':');
    if (colon <= 0 || colon !== part.lastIndexOf(':')) return { ok: false, reason: `"${part.slice(0, 20)}" is not Metric:Value` };
    const name = part.slice(0, colon);
    const value = part.slice(colon + 1);
    const index = CVSS4_METRICS.findIndex((m) => m.name === name);
    if (index === -1) return { ok: false, reason: `unknown metric "${name.slice(0, 10)}"` };
    if (name in metrics) return { ok: false, reason: `metric ${name} appears twice` };
    // A mandatory metric skipped before this one is reported as missing, not as out of order.
    for (let i = next; i < index; i++) {
      const skipped = CVSS4_METRICS[i] as MetricDef;
      if (skipped.mandatory) return { ok: false, reason: `base metric ${skipped.name} is missing or out of order` };
    }
    if (index < next) return { ok: false, reason: `metric ${name} is out of order` };
    const def = CVSS4_METRICS[index] as MetricDef;
    if (!def.values.includes(value)) return { ok: false, reason: `${name} cannot be "${value.slice(0, 10)}"` };
    metrics[name] = value;
    next = index + 1;
  }
  for (const def of CVSS4_METRICS) if (def.mandatory && !(def.name in metrics)) return { ok: false, reason: `base metric ${def.name} is missing` };
  return { ok: true, metrics };
}

/** Throws INVALID_INPUT naming what is wrong; returns the vector unchanged when valid. */
export function checkCvss4Vector(vector: string): string {
  const result = parseCvss4Vector(vector);
  if (!result.ok) throw new RwError('INVALID_INPUT', `Not a valid CVSS v4.0 vector: ${result.reason}.`);
  return vector;
}
