/**
 * The review-outcome Statement, checked by hand: what nearly every attestation a server receives is. The
 * zod schemas (statementSchema, then reviewOutcomePredicateSchema) cost the intake more per attestation
 * than the strict JSON parse of the payload did, so this check runs first, on the value the strict parser
 * made of the already verified payload bytes (verification before parsing is unchanged).
 *
 * It is never looser than the schemas: it accepts a value only if every member the schemas name has
 * exactly the type, range and pattern they require (often stricter: integers must be safe integers), and
 * no other member. Whatever it does not accept (another predicate type, an unusual but valid value, any
 * invalid one) returns null and takes the zod path, which accepts it or words the refusal; so a refusal's
 * message never comes from here. On acceptance the value itself is returned: it is what zod would return
 * (strict objects, nothing to strip), already typed.
 * tests/unit/src-server/review-statement.test.ts holds the two to the same answers.
 */
import {
  IN_TOTO_STATEMENT_TYPE,
  REVIEW_OUTCOME_PREDICATE_TYPE,
  RELEASE_SUMMARY_MAX_CHARS,
  reviewOutcomePredicateSchema,
  VERDICTS,
  type ReviewOutcomePredicate,
  type Statement,
} from '../src-shared/attestation-types';
import type { JsonValue } from '../src-shared/strict-json';

type JsonObject = Record<string, JsonValue>;

const HEX64 = /^[0-9a-f]{64}$/;
const DIGEST_NAME = /^[a-z0-9-]{1,32}$/;
const DIGEST_VALUE = /^[0-9a-f]{1,256}$/;
const CRITERION = /^[a-z0-9.-]{1,100}$/;
// The schema's own ISO 8601 check (zod's datetime pattern), so a time is accepted here only as it is there.
const WINDOW_TIME = reviewOutcomePredicateSchema.shape.reviewWindow.shape.start;
const COUNT_MAX = 1_000_000;

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own members exactly `required` plus any of `optional` (JSON.parse makes only own, enumerable members). */
function hasMembers(value: JsonObject, required: readonly string[], optional: readonly string[] = []): boolean {
  let expected = required.length;
  for (const name of required) if (!Object.hasOwn(value, name)) return false;
  for (const name of optional) if (Object.hasOwn(value, name)) expected++;
  return Object.keys(value).length === expected;
}

function isText(value: JsonValue | undefined, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

function isInteger(value: JsonValue | undefined, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

function isCounts(value: JsonValue | undefined, names: readonly string[]): boolean {
  if (!isObject(value) || !hasMembers(value, names)) return false;
  for (const name of names) if (!isInteger(value[name], 0, COUNT_MAX)) return false;
  return true;
}

function isSubject(value: JsonValue): boolean {
  if (!isObject(value) || !hasMembers(value, ['name', 'digest']) || !isText(value.name, 1, 1024)) return false;
  const digest = value.digest;
  if (!isObject(digest)) return false;
  for (const name of Object.keys(digest)) {
    const hex = digest[name];
    if (!DIGEST_NAME.test(name) || typeof hex !== 'string' || !DIGEST_VALUE.test(hex)) return false;
  }
  return typeof digest.sha256 === 'string' && HEX64.test(digest.sha256);
}

const PREDICATE_REQUIRED = ['caseId', 'verdict', 'findingCounts', 'checklist', 'policyDigest', 'reviewWindow', 'reviewer', 'accessLogIndex', 'releaseSummary', 'sequence'] as const;
const PREDICATE_OPTIONAL = ['claims', 'unansweredCriteria'] as const;

function isReviewOutcome(p: JsonObject): boolean {
  if (!hasMembers(p, PREDICATE_REQUIRED, PREDICATE_OPTIONAL)) return false;
  if (!isText(p.caseId, 1, 200) || !(VERDICTS as readonly JsonValue[]).includes(p.verdict!)) return false;
  if (!isCounts(p.findingCounts, ['info', 'low', 'medium', 'high', 'critical'])) return false;
  const checklist = p.checklist;
  if (!isObject(checklist) || !hasMembers(checklist, ['completed', 'total', 'rubricVersion'])) return false;
  if (!isInteger(checklist.completed, 0, COUNT_MAX) || !isInteger(checklist.total, checklist.completed as number, COUNT_MAX) || !isText(checklist.rubricVersion, 1, 200)) return false;
  if (typeof p.policyDigest !== 'string' || !HEX64.test(p.policyDigest)) return false;
  const window = p.reviewWindow;
  if (!isObject(window) || !hasMembers(window, ['start', 'end']) || typeof window.start !== 'string' || typeof window.end !== 'string') return false;
  if (!WINDOW_TIME.safeParse(window.start).success || !WINDOW_TIME.safeParse(window.end).success) return false;
  const reviewer = p.reviewer;
  if (!isObject(reviewer) || !hasMembers(reviewer, ['id', 'publicKeyId']) || !isText(reviewer.id, 1, 200)) return false;
  if (typeof reviewer.publicKeyId !== 'string' || !HEX64.test(reviewer.publicKeyId)) return false;
  if (!isInteger(p.accessLogIndex, 0, Number.MAX_SAFE_INTEGER) || !isText(p.releaseSummary, 0, RELEASE_SUMMARY_MAX_CHARS) || !isInteger(p.sequence, 1, Number.MAX_SAFE_INTEGER)) return false;
  if (Object.hasOwn(p, 'claims') && !isCounts(p.claims, ['supported', 'contradicted', 'unverifiable', 'unlinked'])) return false;
  if (Object.hasOwn(p, 'unansweredCriteria')) {
    const criteria = p.unansweredCriteria;
    if (!Array.isArray(criteria) || criteria.length > 200) return false;
    for (const c of criteria) if (typeof c !== 'string' || !CRITERION.test(c)) return false;
  }
  return true;
}

/** The Statement and its review-outcome predicate when `value` is one the schemas accept as it is; null: ask the schemas. */
export function reviewOutcomeStatement(value: JsonValue): { statement: Statement; predicate: ReviewOutcomePredicate } | null {
  if (!isObject(value) || !hasMembers(value, ['_type', 'subject', 'predicateType', 'predicate'])) return null;
  if (value._type !== IN_TOTO_STATEMENT_TYPE || value.predicateType !== REVIEW_OUTCOME_PREDICATE_TYPE) return null;
  const subject = value.subject;
  if (!Array.isArray(subject) || subject.length < 1 || subject.length > 10_000 || !subject.every(isSubject)) return null;
  const predicate = value.predicate;
  if (!isObject(predicate) || !isReviewOutcome(predicate)) return null;
  return { statement: value as unknown as Statement, predicate: predicate as unknown as ReviewOutcomePredicate };
}
