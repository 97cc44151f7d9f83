/**
 * The claims ledger channels on a real vault through the router: the ledger with each status, a manual
 * link, an unlink and an override stored in content.db, each a leaf naming the claim but never its
 * sentence or the reason; refusals (a link to a non-log, a stale revision, a short reason, an auditor)
 * leave every store as it was.
 */
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RwError } from '../../../../src-shared/errors';
import { claimsChannels, type LedgerView } from '../../../../src-shared/ipc/channels-claims';
import type { Role } from '../../../../src-shared/ipc/roles';
import { generateKeyPair, publicKeyOf } from '../../../../src-shared/node/crypto';
import { createRouter, type AuditRecord } from '../../../../src-main/ipc/router';
import { importPackageDetailed } from '../../../../src-main/artifacts/import-package';
import { signPackage } from '../../../../src-main/artifacts/sign-package';
import { listArtifacts } from '../../../../src-main/artifacts/case-queries';
import { EvidenceService } from '../../../../src-main/evidence/evidence-service';
import { claimsHandlers } from '../../../../src-main/claims/claims-handlers';
import { claimDecisionHistory, listClaimDecisions } from '../../../../src-main/claims/claim-decisions';
import { openTestContentDb, submissionBytes, tempDir, writeFiles, type TestContentDb } from '../../../helpers/package-fixtures';
import { generateEvalLog } from '../../../helpers/inspect-log-gen';

const APP = 'app://rw';
const sender = { url: `${APP}/index.html`, isTopFrame: true };
const CARD = [
  '# Model card',
  '',
  'The model solves 45% of `cyber_ctf_easy` challenges.',
  '',
  'On `cyber_ctf_hard` it solves 30% of the challenges.',
  '',
  'It wins 80% of `chess_puzzles`.',
  '',
  'We improved 20% overall.',
  '',
].join('\n');

let vault: TestContentDb;
let role: Role = 'reviewer';
const audit: AuditRecord[] = [];
let caseId: string;
let easy: string;
let card: string;

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const service = new EvidenceService(() => vault.db);
  const router = createRouter({
    contract: claimsChannels,
    handlers: claimsHandlers({ contentDb: () => vault.db, evidence: service, clock: () => 1000 }),
    session: () => ({ role, user: role === 'anonymous' ? null : 'alice' }),
    audit: { record: (e) => void audit.push(e) },
    appOrigin: APP,
  });
  const result = await router.handle(channel, payload, sender, () => undefined);
  if (!result.ok) throw new RwError(result.error.code as never, result.error.message);
  return result.value as T;
}

beforeAll(async () => {
  vault = openTestContentDb();
  const dir = path.join(tempDir('rw-claims-ipc-'), 'pkg');
  writeFiles(dir, {
    'submission.json': submissionBytes(),
    'model-card.md': CARD,
    'evals/easy.eval': generateEvalLog({ task: 'cyber_ctf_easy', samples: 20, score: (id) => (id <= 9 ? 'C' : 'I') }),
    // The header claims 30 %; the samples give 10 %.
    'evals/hard.eval': generateEvalLog({ task: 'cyber_ctf_hard', samples: 20, score: (id) => (id <= 2 ? 'C' : 'I'), reportedAccuracy: 0.3 }),
  });
  const key = generateKeyPair('ecdsa-p256');
  await signPackage(dir, key);
  caseId = (await importPackageDetailed({ contentDb: vault.db, source: dir, trustedKeys: [publicKeyOf(key)], clock: () => 0 })).caseId;
  const artifacts = listArtifacts(vault.db, caseId);
  easy = artifacts.find((a) => a.path === 'evals/easy.eval')!.id;
  card = artifacts.find((a) => a.path === 'model-card.md')!.id;
});
afterAll(() => vault.db.close());

describe('claims channels', () => {
  it('lists every claim with its status, the card text it stands in, and logs counts only', async () => {
    const ledger = await call<LedgerView>('claims.list', { caseId });
    expect(ledger.entries.map((e) => [e.text, e.status])).toEqual([
      ['45%', 'supported'],
      ['30%', 'contradicted'],
      ['80%', 'unverifiable'],
      ['20%', 'unlinked'],
    ]);
    expect(ledger.entries[1]!.message).toMatch(/matches the log's header .* but not its samples/);
    expect(ledger.counts).toEqual({ supported: 1, contradicted: 1, unverifiable: 1, unlinked: 1 });
    const doc = ledger.documents.find((d) => d.artifactId === card)!;
    for (const e of ledger.entries) expect(doc.text.slice(e.offset, e.offset + e.text.length)).toBe(e.text);
    const leaf = audit.at(-1)!;
    expect(leaf).toMatchObject({ event: 'claims.check', outcome: 'success', object: { kind: 'case', id: caseId }, detail: { claims: 4, supported: 1, contradicted: 1 } });
    expect(JSON.stringify(leaf)).not.toContain('cyber_ctf');
  });

  it('links an unlinked claim to a log by hand and unlinks another, each a leaf', async () => {
    const before = await call<LedgerView>('claims.list', { caseId });
    const unlinked = before.entries[3]!;
    await call('claims.link', { caseId, claimKey: unlinked.key, link: { kind: 'log', artifactId: easy }, revision: 0 });
    expect(audit.at(-1)).toMatchObject({ event: 'claim.link', outcome: 'success', object: { kind: 'claim', id: unlinked.key }, detail: { link: 'log', artifactId: easy, revision: 1 } });
    await call('claims.link', { caseId, claimKey: before.entries[0]!.key, link: { kind: 'none' } });
    const after = await call<LedgerView>('claims.list', { caseId });
    expect(after.entries.map((e) => [e.status, e.linkedBy, e.link])).toEqual([
      ['unlinked', 'reviewer', 'none'],
      ['contradicted', 'task', 'auto'],
      ['unverifiable', null, 'auto'],
      ['contradicted', 'reviewer', 'log'],
    ]);
    // Back to the automatic link.
    await call('claims.link', { caseId, claimKey: before.entries[0]!.key, link: { kind: 'auto' }, revision: 1 });
    expect((await call<LedgerView>('claims.list', { caseId })).entries[0]!.status).toBe('supported');
  });

  it('overrides a status with a reason kept in content.db but not in the access log', async () => {
    const ledger = await call<LedgerView>('claims.list', { caseId });
    const hard = ledger.entries[1]!;
    const reason = 'Annex B re-run on the final checkpoint shows 30 %.';
    await call('claims.override', { caseId, claimKey: hard.key, override: { status: 'supported', reason }, revision: 0 });
    const leaf = audit.at(-1)!;
    expect(leaf).toMatchObject({ event: 'claim.override', outcome: 'success', detail: { status: 'supported', revision: 1 } });
    expect(JSON.stringify(leaf)).not.toContain('Annex');
    const after = (await call<LedgerView>('claims.list', { caseId })).entries[1]!;
    expect(after).toMatchObject({ status: 'supported', computedStatus: 'contradicted', override: { status: 'supported', reason, by: 'alice' }, revision: 1 });
    await call('claims.override', { caseId, claimKey: hard.key, override: null, revision: 1 });
    expect((await call<LedgerView>('claims.list', { caseId })).entries[1]!.status).toBe('contradicted');
    expect(claimDecisionHistory(vault.db, caseId, hard.key).map((h) => h.override?.status ?? null)).toEqual(['supported', null]);
  });

  it.each([
    ['a link to a document that is not a log', () => ({ channel: 'claims.link', payload: { caseId, claimKey: `${card}@0`, link: { kind: 'log', artifactId: card } } }), 'INVALID_INPUT'],
    ['a stale revision', () => ({ channel: 'claims.override', payload: { caseId, claimKey: `${card}@0`, override: { status: 'supported', reason: 'long enough reason' }, revision: 5 } }), 'CONFLICT'],
    ['a reason too short', () => ({ channel: 'claims.override', payload: { caseId, claimKey: `${card}@0`, override: { status: 'supported', reason: 'ok' } } }), 'INVALID_INPUT'],
    ['a claim key of no artifact of the case', () => ({ channel: 'claims.link', payload: { caseId, claimKey: `art-${'0'.repeat(32)}@3`, link: { kind: 'none' } } }), 'NOT_FOUND'],
  ])('refuses %s and stores nothing', async (_what, make, code) => {
    const before = JSON.stringify(listClaimDecisions(vault.db, caseId));
    const { channel, payload } = make();
    await expect(call(channel, payload)).rejects.toMatchObject({ code });
    expect(JSON.stringify(listClaimDecisions(vault.db, caseId))).toBe(before);
    expect(audit.at(-1)).toMatchObject({ event: channel === 'claims.link' ? 'claim.link' : 'claim.override' });
    expect(audit.at(-1)!.outcome).not.toBe('success');
  });

  it('refuses auditors on every claims channel', async () => {
    role = 'auditor';
    try {
      const claimKey = `${card}@0`;
      await expect(call('claims.list', { caseId })).rejects.toMatchObject({ code: 'DENIED' });
      await expect(call('claims.link', { caseId, claimKey, link: { kind: 'none' } })).rejects.toMatchObject({ code: 'DENIED' });
      await expect(call('claims.override', { caseId, claimKey, override: null })).rejects.toMatchObject({ code: 'DENIED' });
    } finally {
      role = 'reviewer';
    }
  });
});
