/**
 * The hand check of review-outcome Statements (review-statement.ts) against the zod schemas it stands in
 * for: whatever it accepts, the schemas accept with an equal value; and it accepts the common shapes, so
 * the intake really takes it. Every mutation is a value the strict JSON parser could hand over.
 */
import { describe, expect, it } from 'vitest';
import { reviewOutcomeStatement } from '../../../src-server/review-statement';
import { PREDICATE_SCHEMAS, REVIEW_OUTCOME_PREDICATE_TYPE, statementSchema, AUDIT_CHECKPOINT_PREDICATE_TYPE, FINDINGS_PREDICATE_TYPE } from '../../../src-shared/attestation-types';
import type { JsonValue } from '../../../src-shared/strict-json';
import { reviewPredicate, testKey } from '../../integration/server-fixtures';

const base = (): Record<string, unknown> =>
  JSON.parse(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'model-card.md', digest: { sha256: 'a'.repeat(64) } }],
      predicateType: REVIEW_OUTCOME_PREDICATE_TYPE,
      predicate: reviewPredicate(testKey(), 7),
    }),
  ) as Record<string, unknown>;

/** What the schemas make of a value: the Statement and its predicate, or null when they refuse it. */
function bySchemas(value: unknown): unknown {
  const statement = statementSchema.safeParse(value);
  if (!statement.success || statement.data.predicateType !== REVIEW_OUTCOME_PREDICATE_TYPE) return null;
  const predicate = PREDICATE_SCHEMAS[REVIEW_OUTCOME_PREDICATE_TYPE].safeParse(statement.data.predicate);
  return predicate.success ? { statement: statement.data, predicate: predicate.data } : null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mutation writes any JSON value anywhere in the Statement
type Loose = Record<string, any>;
type Mutation = [name: string, change: (s: Loose) => void];
const p = (f: (predicate: Loose) => void) => (s: Loose) => f(s.predicate as Loose);

const accepted: Mutation[] = [
  ['the base Statement', () => undefined],
  ['claims and unanswered criteria', p((x) => Object.assign(x, { claims: { supported: 1, contradicted: 0, unverifiable: 2, unlinked: 0 }, unansweredCriteria: ['a.b-1', 'c'] }))],
  ['several subjects and digests', (s) => s.subject.push({ name: 'x', digest: { sha256: 'b'.repeat(64), sha512: 'c'.repeat(128) } })],
  ['fractional seconds', p((x) => (x.reviewWindow.start = '2026-11-01T00:00:00.123Z'))],
  ['an empty release summary and zero counts', p((x) => Object.assign(x, { releaseSummary: '', accessLogIndex: 0, checklist: { completed: 0, total: 0, rubricVersion: 'r' } }))],
  ['the largest values', p((x) => Object.assign(x, { sequence: Number.MAX_SAFE_INTEGER, releaseSummary: 'x'.repeat(4000), caseId: 'c'.repeat(200) }))],
];

const refused: Mutation[] = [
  ['another member', (s) => (s.extra = 1)],
  ['no subject', (s) => delete s.subject],
  ['another _type', (s) => (s._type = 'https://in-toto.io/Statement/v0.1')],
  ['an audit checkpoint type', (s) => (s.predicateType = AUDIT_CHECKPOINT_PREDICATE_TYPE)],
  ['a findings type', (s) => (s.predicateType = FINDINGS_PREDICATE_TYPE)],
  ['no subjects', (s) => (s.subject = [])],
  ['a subject object', (s) => (s.subject = s.subject[0])],
  ['a subject member more', (s) => (s.subject[0].uri = 'x')],
  ['an empty name', (s) => (s.subject[0].name = '')],
  ['a long name', (s) => (s.subject[0].name = 'n'.repeat(1025))],
  ['no sha256', (s) => (s.subject[0].digest = { sha512: 'c'.repeat(128) })],
  ['a short sha256', (s) => (s.subject[0].digest.sha256 = 'a'.repeat(63))],
  ['an upper-case digest', (s) => (s.subject[0].digest.sha256 = 'A'.repeat(64))],
  ['an upper-case digest name', (s) => (s.subject[0].digest.SHA1 = 'a')],
  ['a digest array', (s) => (s.subject[0].digest = ['a'.repeat(64)])],
  ['a predicate array', (s) => (s.predicate = [])],
  ['a null predicate', (s) => (s.predicate = null)],
  ['a predicate member more', p((x) => (x.extra = true))],
  ['an empty case id', p((x) => (x.caseId = ''))],
  ['a long case id', p((x) => (x.caseId = 'c'.repeat(201)))],
  ['another verdict', p((x) => (x.verdict = 'pass'))],
  ['a negative count', p((x) => (x.findingCounts.low = -1))],
  ['a fractional count', p((x) => (x.findingCounts.low = 1.5))],
  ['a count too large', p((x) => (x.findingCounts.low = 1_000_001))],
  ['a count as text', p((x) => (x.findingCounts.low = '1'))],
  ['a count member more', p((x) => (x.findingCounts.severe = 0))],
  ['completed above total', p((x) => (x.checklist.completed = 13))],
  ['an empty rubric', p((x) => (x.checklist.rubricVersion = ''))],
  ['an upper-case policy digest', p((x) => (x.policyDigest = x.policyDigest.toUpperCase()))],
  ['a date without time', p((x) => (x.reviewWindow.start = '2026-11-01'))],
  ['no such day', p((x) => (x.reviewWindow.end = '2026-02-30T00:00:00Z'))],
  ['an offset', p((x) => (x.reviewWindow.end = '2026-11-30T00:00:00+01:00'))],
  ['no seconds', p((x) => (x.reviewWindow.end = '2026-11-30T00:00Z'))],
  ['a window member more', p((x) => (x.reviewWindow.zone = 'UTC'))],
  ['a reviewer member more', p((x) => (x.reviewer.name = 'r'))],
  ['a short key id', p((x) => (x.reviewer.publicKeyId = 'a'))],
  ['a negative log index', p((x) => (x.accessLogIndex = -1))],
  ['an unsafe log index', p((x) => (x.accessLogIndex = 2 ** 53))],
  ['a long release summary', p((x) => (x.releaseSummary = 'x'.repeat(4001)))],
  ['sequence 0', p((x) => (x.sequence = 0))],
  ['no sequence', p((x) => delete x.sequence)],
  ['claims missing a member', p((x) => (x.claims = { supported: 1, contradicted: 0, unverifiable: 2 }))],
  ['too many criteria', p((x) => (x.unansweredCriteria = Array.from({ length: 201 }, () => 'a')))],
  ['a bad criterion', p((x) => (x.unansweredCriteria = ['A']))],
  ['a null claims', p((x) => (x.claims = null))],
];

describe('the review-outcome Statement checked by hand', () => {
  it.each(accepted)('accepts %s, as the schemas do, with the same value', (_name, change) => {
    const value = base();
    change(value);
    const fast = reviewOutcomeStatement(value as JsonValue);
    expect(fast).not.toBeNull();
    expect(fast).toEqual(bySchemas(value));
  });

  it.each(refused)('leaves %s to the schemas', (_name, change) => {
    const value = base();
    change(value);
    expect(reviewOutcomeStatement(value as JsonValue)).toBeNull();
    // A value it leaves is one the schemas refuse too, or another predicate type they handle themselves.
    if ((value.predicateType as string) === REVIEW_OUTCOME_PREDICATE_TYPE) expect(bySchemas(value)).toBeNull();
  });

  it('leaves a __proto__ digest name to the schemas (which drop it), never taking it as the prototype', () => {
    const value = base();
    Object.defineProperty((value.subject as Loose[])[0]!.digest, '__proto__', { value: 'a', enumerable: true });
    expect(reviewOutcomeStatement(value as JsonValue)).toBeNull();
  });
});
