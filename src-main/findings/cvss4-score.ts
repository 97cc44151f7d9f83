/**
 * CVSS v4.0 scores. The vector is first checked by our strict parser (cvss4-vector.ts: the calculator
 * library accepts partial and misordered vectors and scores them as 0), then scored by
 * ae-cvss-calculator, a maintained implementation of the FIRST MacroVector algorithm whose results
 * the tests compare with the FIRST calculator on the specification's examples.
 */
// A webpack CommonJS bundle: Node's ESM loader sees only its default export.
import aeCvss from 'ae-cvss-calculator';
import { checkCvss4Vector } from '../workspace/cvss4-vector';

export type Cvss4Severity = 'none' | 'low' | 'medium' | 'high' | 'critical';

export interface Cvss4Score {
  vector: string;
  /** CVSS-B, -BT, -BE or -BTE score (the spec's nomenclature: which metric groups went in). */
  score: number;
  severity: Cvss4Severity;
}

/** CVSS v4.0 specification §6 "Qualitative Severity Rating Scale". */
export function cvss4Severity(score: number): Cvss4Severity {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

/** Throws INVALID_INPUT with the reason when the vector is malformed. */
export function scoreCvss4(vector: string): Cvss4Score {
  checkCvss4Vector(vector);
  const score = new aeCvss.Cvss4P0(vector).calculateScores().overall;
  if (typeof score !== 'number' || !Number.isFinite(score)) throw new Error('CVSS calculator returned no score');
  return { vector, score, severity: cvss4Severity(score) };
}

/** FIRST's CVSS v4.0 JSON representation (cvss-v4.0.json) of a checked vector. */
export function cvss4Json(vector: string): Record<string, unknown> {
  checkCvss4Vector(vector);
  const json = new aeCvss.Cvss4P0(vector).createJsonSchema() as Record<string, unknown>;
  return { ...json, version: '4.0', vectorString: vector };
}
