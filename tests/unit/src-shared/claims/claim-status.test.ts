import { describe, expect, it } from 'vitest';
import { extractClaims } from '../../../../src-shared/claims/claim-extract';
import { claimStatus, countByStatus, logsForTask, type CheckedLogView } from '../../../../src-shared/claims/claim-status';

function log(task: string, model: string, accuracy: { reported: number | null; recomputed: number | null }, ref = `${task}-${model}.eval`): CheckedLogView {
  return { evidence: ref, ref, task, model, readable: true, scores: [{ scorer: 'match', metric: 'accuracy', ...accuracy }] };
}

const card = [
  'Falcon-7 solves 45% of easy CTF challenges (`cyber_ctf_easy`).',
  'On cyber ctf medium it solves 30.0% of challenges.',
  'It reaches 12% on `cyber_ctf_hard`.',
  'Accuracy on `bio_qa` is 71%.',
  'F1 on `cyber_ctf_easy` is 0.50.',
  'Overall the model improved by 20% on our internal suite.',
].join('\n');

const logs: CheckedLogView[] = [
  log('cyber_ctf_easy', 'openai/other-model', { reported: 0.6, recomputed: 0.6 }, 'other.eval'),
  log('cyber_ctf_easy', 'vendor/falcon-7', { reported: 0.452, recomputed: 0.452 }, 'easy.eval'),
  log('cyber-ctf-medium', 'vendor/falcon-7', { reported: 0.30049, recomputed: 0.2995 }, 'medium.eval'),
  // The header says 12%, the samples say 8%.
  log('cyber_ctf_hard', 'vendor/falcon-7', { reported: 0.12, recomputed: 0.08 }, 'hard.eval'),
];
const tasks = logs.map((l) => l.task);
const claims = extractClaims({ file: 'model-card.md', text: card }, { tasks });
const ctx = { logs, submissionModel: 'falcon-7' };
const result = (text: string) => {
  const c = claims.find((x) => x.text === text && x.sentence.includes(text));
  if (!c) throw new Error(`no claim ${text}`);
  return claimStatus(c, ctx);
};

describe('claimStatus', () => {
  it('supports a claim within its stated precision, preferring the log of the submission model among two of one task', () => {
    const r = result('45%');
    expect(r).toMatchObject({ status: 'supported', evidence: 'easy.eval', linkedBy: 'task', reported: 0.452, recomputed: 0.452 });
    expect(logsForTask('CYBER-CTF-EASY', logs, 'falcon-7').map((l) => l.ref)).toEqual(['easy.eval', 'other.eval']);
  });

  it('links a task named in words and honours one more decimal of precision', () => {
    const r = result('30.0%');
    expect(r.evidence).toBe('medium.eval');
    expect(r.status).toBe('supported'); // 29.95 is inside [29.95, 30.05)
    const tighter = claimStatus({ ...r.claim, value: { written: 30, decimals: 2, scale: 100 } }, ctx);
    expect(tighter.status).toBe('contradicted');
  });

  it('contradicts a card that matches the header but not the samples, and says exactly that', () => {
    const r = result('12%');
    expect(r.status).toBe('contradicted');
    expect(r.message).toContain("matches the log's header (12%) but not its samples");
    expect(r.message).toContain('8%');
  });

  it('contradicts a claim the header does not match either, naming both values', () => {
    const c = extractClaims({ file: 'c.md', text: 'It solves 50% of `cyber_ctf_easy`.' }, { tasks })[0];
    const r = claimStatus(c!, ctx);
    expect(r.status).toBe('contradicted');
    expect(r.message).toMatch(/log reports 45\.2%.*samples give 45\.2%/);
  });

  it('calls a claim on a task no log measures unverifiable, and one on an unmeasured metric too', () => {
    expect(result('71%')).toMatchObject({ status: 'unverifiable', evidence: null });
    expect(result('71%').message).toContain('bio_qa');
    const f1 = result('0.50');
    expect(f1).toMatchObject({ status: 'unverifiable', metric: 'f1', evidence: 'easy.eval' });
    expect(f1.message).toContain('f1');
  });

  it('leaves a number with no task unlinked, and a reviewer can link it by hand', () => {
    const r = result('20%');
    expect(r).toMatchObject({ status: 'unlinked', linkedBy: null });
    const linked = claimStatus(r.claim, ctx, { link: { kind: 'log', ref: 'hard.eval' } });
    expect(linked).toMatchObject({ linkedBy: 'reviewer', evidence: 'hard.eval', status: 'contradicted' });
    const gone = claimStatus(r.claim, ctx, { link: { kind: 'log', ref: 'removed.eval' } });
    expect(gone.status).toBe('unverifiable');
  });

  it('lets a reviewer unlink, and override a status with a reason while keeping the computed one', () => {
    const r = claimStatus(result('45%').claim, ctx, { link: { kind: 'none' } });
    expect(r.status).toBe('unlinked');
    const o = claimStatus(result('12%').claim, ctx, { override: { status: 'supported', reason: 'the developer re-ran; samples in annex B', by: 'ana' } });
    expect(o).toMatchObject({ status: 'supported', computedStatus: 'contradicted', override: { reason: 'the developer re-ran; samples in annex B' } });
  });

  it('treats an unreadable log and a metric the checker could not recompute as unverifiable, never contradicted', () => {
    const broken = [{ ...logs[1]!, readable: false }];
    expect(claimStatus(result('45%').claim, { logs: broken }).status).toBe('unverifiable');
    const notRecomputed = [log('cyber_ctf_easy', 'vendor/falcon-7', { reported: 0.45, recomputed: null })];
    expect(claimStatus(result('45%').claim, { logs: notRecomputed }).status).toBe('unverifiable');
  });

  it('needs a score with the pass@k reducer for a pass@k claim', () => {
    const [c] = extractClaims({ file: 'c.md', text: 'pass@2 on `cyber_ctf_easy` is 0.45.' }, { tasks });
    expect(claimStatus(c!, ctx).status).toBe('unverifiable');
    const withReducer: CheckedLogView = { ...logs[1]!, scores: [{ scorer: 'match', metric: 'accuracy', reducer: 'pass_at_2', reported: 0.45, recomputed: 0.45 }] };
    expect(claimStatus(c!, { logs: [withReducer] }).status).toBe('supported');
  });

  it('counts results by status', () => {
    const all = claims.map((c) => claimStatus(c, ctx));
    expect(countByStatus(all)).toEqual({ supported: 2, contradicted: 1, unverifiable: 2, unlinked: 1 });
  });
});
