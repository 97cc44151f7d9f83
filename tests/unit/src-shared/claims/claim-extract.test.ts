import { describe, expect, it } from 'vitest';
import { claimInterval, extractClaims, normalizeTaskName, taskNamedIn, withinStatedPrecision } from '../../../../src-shared/claims/claim-extract';

const card = [
  '# Model card: Falcon-7',
  '',
  'Falcon-7 solves 45% of easy CTF challenges (`cyber_ctf_easy`).',
  'On cyber ctf hard it reaches 12.5% accuracy. See Fig. 3 for details.',
  '',
  '- Biology QA: mean score of 0.62 on `bio_qa`.',
  '- It solved 9 of 20 tasks in `agentic_tasks` with pass@5 reported separately.',
  '',
  '| task | pass@1 |',
  '|---|---|',
  '| `swe_lite` | 0.31 |',
  '',
  'We trained on 2 trillion tokens in 2025 with GPT-4 as a grader, version 1.2, arXiv 2508.09853.',
  'Our model is ahead of the pack by 30%.',
].join('\n');

describe('extractClaims', () => {
  const claims = extractClaims({ file: 'model-card.md', text: card }, { tasks: ['cyber_ctf_easy', 'cyber-ctf-hard', 'bio_qa'] });
  const byText = (t: string) => claims.find((c) => c.text === t);

  it('finds a percentage with its sentence, line, metric default and backticked task', () => {
    const c = byText('45%');
    expect(c).toMatchObject({ where: 'model-card.md:3', line: 3, kind: 'percent', claimed: 0.45, metric: 'accuracy', task: 'cyber_ctf_easy' });
    expect(c?.sentence).toBe('Falcon-7 solves 45% of easy CTF challenges (`cyber_ctf_easy`).');
  });

  it('names a task written in words, with hyphens and underscores alike, case-insensitively', () => {
    expect(byText('12.5%')).toMatchObject({ task: 'cyber-ctf-hard', claimed: 0.125, metric: 'accuracy', line: 4 });
    expect(taskNamedIn('Scores on CYBER CTF EASY rose', ['cyber_ctf_easy'])).toBe('cyber_ctf_easy');
    expect(taskNamedIn('Scores on cyber-ctf-easy rose', ['cyber_ctf_easy'])).toBe('cyber_ctf_easy');
    expect(normalizeTaskName(' Cyber__CTF-easy ')).toBe('cyber ctf easy');
  });

  it('takes a decimal only next to a metric word, and names that metric', () => {
    expect(byText('0.62')).toMatchObject({ kind: 'decimal', claimed: 0.62, metric: 'mean', task: 'bio_qa', line: 6 });
  });

  it('reads "x of y" as a count over a total', () => {
    const c = byText('9 of 20');
    expect(c).toMatchObject({ kind: 'ratio', claimed: 0.45, task: 'agentic_tasks' });
  });

  it('reads pass@k in a table row as its own sentence', () => {
    const c = byText('0.31');
    expect(c).toMatchObject({ kind: 'pass-at-k', reducer: 'pass_at_1', metric: 'accuracy', task: 'swe_lite', line: 11 });
  });

  it('ignores years, versions, model names, citations and bare counts', () => {
    const texts = claims.map((c) => c.text);
    for (const t of ['2', '2025', '4', '1.2', '2508.09853']) expect(texts).not.toContain(t);
  });

  it('leaves the task empty when the sentence names none', () => {
    expect(byText('30%')).toMatchObject({ task: null, line: 14 });
  });

  it('locates PDF claims by page', () => {
    const pdf = extractClaims({ file: 'report.pdf', pages: ['Intro only.', 'Accuracy on `bio_qa` was 71.3%.'] });
    expect(pdf).toHaveLength(1);
    expect(pdf[0]).toMatchObject({ where: 'report.pdf:p2', page: 2, line: null, claimed: 0.713, task: 'bio_qa' });
  });

  it('skips uncertainties written with ±', () => {
    const c = extractClaims({ file: 'x.md', text: 'Accuracy on `t_a` was 45% ± 2.1%.' });
    expect(c.map((x) => x.text)).toEqual(['45%']);
  });

  it('finds nothing in text without numbers, and survives hostile input', () => {
    expect(extractClaims({ file: 'x.md', text: '' })).toEqual([]);
    expect(extractClaims({ file: 'x.md', text: 'No numbers here.' })).toEqual([]);
    const long = '9'.repeat(100_000) + '%' + ' a'.repeat(50_000);
    const started = Date.now();
    extractClaims({ file: 'x.md', text: long });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('stated precision', () => {
  const pct = (written: number, decimals: number) => ({ written, decimals, scale: 100 });

  it('"45%" admits [44.5, 45.5)', () => {
    expect(claimInterval(pct(45, 0))).toEqual({ lo: 0.445, hi: 0.455 });
    expect(withinStatedPrecision(pct(45, 0), 0.445)).toBe(true);
    expect(withinStatedPrecision(pct(45, 0), 0.4549)).toBe(true);
    expect(withinStatedPrecision(pct(45, 0), 0.455)).toBe(false);
    expect(withinStatedPrecision(pct(45, 0), 91 / 200)).toBe(false);
    expect(withinStatedPrecision(pct(45, 0), 0.4449)).toBe(false);
  });

  it('"45.0%" admits [44.95, 45.05)', () => {
    expect(withinStatedPrecision(pct(45, 1), 0.4495)).toBe(true);
    expect(withinStatedPrecision(pct(45, 1), 0.4504)).toBe(true);
    expect(withinStatedPrecision(pct(45, 1), 0.4505)).toBe(false);
    expect(withinStatedPrecision(pct(45, 1), 0.449)).toBe(false);
  });

  it('decimals and counts keep their own precision', () => {
    expect(withinStatedPrecision({ written: 0.62, decimals: 2, scale: 1 }, 0.6249)).toBe(true);
    expect(withinStatedPrecision({ written: 0.62, decimals: 2, scale: 1 }, 0.625)).toBe(false);
    expect(withinStatedPrecision({ written: 9, decimals: 0, scale: 20 }, 0.45)).toBe(true);
    expect(withinStatedPrecision({ written: 9, decimals: 0, scale: 20 }, 0.5)).toBe(false);
    expect(withinStatedPrecision({ written: 9, decimals: 0, scale: 20 }, Number.NaN)).toBe(false);
  });
});
