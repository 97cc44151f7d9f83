import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimDecisionHistory, listClaimDecisions, setClaimDecision } from '../../../../src-main/claims/claim-decisions';
import { caseLedger, type LedgerDeps } from '../../../../src-main/claims/claims-ledger';
import { checkedLogView } from '../../../../src-main/claims/evidence-view';
import { openContentFixture, testActor, type ContentFixture } from '../workspace/content-fixture';

let fx: ContentFixture;
beforeEach(() => {
  fx = openContentFixture();
  fx.db.prepare('INSERT INTO artifacts(id, case_id, path, size, sha256, media_type, chunk_count) VALUES (?, ?, ?, ?, ?, ?, ?)').run(['art-log1', 'case-a', 'logs/easy.eval', 10, 'dd', 'application/zip', 1]);
  fx.db.prepare('INSERT INTO artifacts(id, case_id, path, size, sha256, media_type, chunk_count) VALUES (?, ?, ?, ?, ?, ?, ?)').run(['art-log2', 'case-a', 'logs/hard.eval', 10, 'ee', 'application/zip', 1]);
});
afterEach(() => fx.close());

const CARD = ['# Model A', '', 'Model A solves 45% of `cyber_ctf_easy`.', 'It solves 12% of cyber ctf hard.', 'It wins 80% of `chess_puzzles`.', 'We improved 20% overall.'].join('\n');

function deps(): LedgerDeps {
  const report = (file: string, task: string, reported: number, recomputed: number) => ({
    file,
    status: 'clean' as const,
    task,
    model: 'vendor/Model A',
    scores: [{ name: 'match', scorer: 'match', reducer: 'mean', metric: 'accuracy', reported, recomputed, verdict: 'match' }],
  });
  return {
    now: () => 0,
    readText: (id) => (id === 'art-a1' ? CARD : ''),
    checkLogs: async () => [checkedLogView(report('logs/easy.eval', 'cyber_ctf_easy', 0.45, 0.45), 'art-log1'), checkedLogView(report('logs/hard.eval', 'cyber_ctf_hard', 0.12, 0.07), 'art-log2')],
  };
}

describe('caseLedger', () => {
  it('lists every claim of the documentation with its status and counts them', async () => {
    const ledger = await caseLedger(fx.db, 'case-a', deps());
    expect(ledger.entries.map((e) => [e.claim.text, e.status, e.evidence])).toEqual([
      ['45%', 'supported', 'logs/easy.eval'],
      ['12%', 'contradicted', 'logs/hard.eval'],
      ['80%', 'unverifiable', null],
      ['20%', 'unlinked', null],
    ]);
    expect(ledger.counts).toEqual({ supported: 1, contradicted: 1, unverifiable: 1, unlinked: 1 });
    expect(ledger.entries[0]?.key).toMatch(/^art-a1@\d+$/);
    expect(ledger.entries[0]?.claim.where).toBe('model-card.md:3');
  });

  it('applies a stored manual link, unlink and override, and keeps their history', async () => {
    const ledger = await caseLedger(fx.db, 'case-a', deps());
    const unlinkedKey = ledger.entries[3]!.key;
    const alice = testActor('alice');
    setClaimDecision(fx.db, alice, { caseId: 'case-a', claimKey: unlinkedKey, link: { kind: 'log', artifactId: 'art-log1' } });
    setClaimDecision(fx.db, alice, { caseId: 'case-a', claimKey: ledger.entries[0]!.key, link: { kind: 'none' } });
    setClaimDecision(fx.db, alice, { caseId: 'case-a', claimKey: ledger.entries[1]!.key, override: { status: 'supported', reason: 'Annex B re-run shows 12%.' } });
    const after = await caseLedger(fx.db, 'case-a', deps());
    expect(after.entries.map((e) => [e.status, e.linkedBy])).toEqual([
      ['unlinked', 'reviewer'],
      ['supported', 'task'],
      ['unverifiable', null],
      ['contradicted', 'reviewer'],
    ]);
    expect(after.entries[1]).toMatchObject({ computedStatus: 'contradicted', override: { reason: 'Annex B re-run shows 12%.', by: 'alice' } });
    setClaimDecision(fx.db, alice, { caseId: 'case-a', claimKey: ledger.entries[1]!.key, override: null, revision: 1 });
    expect(claimDecisionHistory(fx.db, 'case-a', ledger.entries[1]!.key).map((h) => [h.revision, h.override?.status ?? null])).toEqual([
      [1, 'supported'],
      [2, null],
    ]);
  });

  it.each([
    ['a malformed key', { claimKey: 'x' }],
    ['a key in another case', { claimKey: 'art-b1@3' }],
    ['a link to an artifact of another case', { link: { kind: 'log' as const, artifactId: 'art-b1' } }],
    ['an override without a real reason', { override: { status: 'supported' as const, reason: 'ok' } }],
    ['an unknown status', { override: { status: 'great' as never, reason: 'long enough reason' } }],
    ['a stale revision', { revision: 3 }],
  ])('refuses %s and stores nothing', (_name, change) => {
    expect(() => setClaimDecision(fx.db, testActor('alice'), { caseId: 'case-a', claimKey: 'art-a1@10', ...change })).toThrow();
    expect(listClaimDecisions(fx.db, 'case-a')).toEqual([]);
    expect(fx.db.prepare('SELECT count(*) AS n FROM claim_decision_history').get()?.n).toBe(0);
  });
});
