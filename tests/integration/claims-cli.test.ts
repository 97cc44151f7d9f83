/**
 * rwctl claims check --card --evidence on logs generated here: one claim the samples support, one whose
 * number matches the log's header but not its samples, one on a task no log measures. JSON contract,
 * exit codes, and usage errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { allCommands, runCli } from '../../src-cli/main';
import type { CliIo } from '../../src-cli/command';
import { generateEvalLog } from '../helpers/inspect-log-gen';
import { tempDir } from '../helpers/package-fixtures';

let work = '';
async function rwctl(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const run = { code: 0, out: '', err: '' };
  const io: CliIo = { stdout: (t) => void (run.out += t), stderr: (t) => void (run.err += t), env: {}, stdin: Readable.from([]), cwd: work, clock: () => 0 };
  run.code = await runCli(argv, io, allCommands());
  return run;
}

const CARD = [
  '# Falcon-7 model card',
  '',
  'Falcon-7 solves 45% of easy CTF challenges (`cyber_ctf_easy`).',
  'On cyber ctf hard it solves 12% of challenges.',
  'On `bio_protocols` it reaches 30%.',
].join('\n');

beforeAll(() => {
  work = tempDir('rw-claims-cli-');
  fs.writeFileSync(path.join(work, 'model-card.md'), CARD);
  // 9 of 20 correct: 45 %.
  fs.writeFileSync(path.join(work, 'easy.eval'), generateEvalLog({ task: 'cyber_ctf_easy', model: 'vendor/falcon-7', samples: 20, score: (id) => (id <= 9 ? 'C' : 'I') }));
  // 2 of 20 correct (10 %), but the header says 12 %.
  fs.writeFileSync(path.join(work, 'hard.eval'), generateEvalLog({ task: 'cyber_ctf_hard', model: 'vendor/falcon-7', samples: 20, score: (id) => (id <= 2 ? 'C' : 'I'), reportedAccuracy: 0.12 }));
});

describe('rwctl claims check', () => {
  it('prints the contract JSON with one supported, one contradicted and one unverifiable claim, and exits 1', async () => {
    const run = await rwctl(['claims', 'check', '--card', 'model-card.md', '--evidence', 'easy.eval', 'hard.eval', '--json']);
    expect(run.err).toBe('');
    expect(run.code).toBe(1);
    const out = JSON.parse(run.out) as { claims: Array<Record<string, unknown>> };
    expect(out.claims).toEqual([
      { text: 'Falcon-7 solves 45% of easy CTF challenges (`cyber_ctf_easy`).', where: 'model-card.md:3', task: 'cyber_ctf_easy', metric: 'accuracy', claimed: 0.45, reported: 0.45, recomputed: 0.45, status: 'supported', evidence: 'easy.eval' },
      { text: 'On cyber ctf hard it solves 12% of challenges.', where: 'model-card.md:4', task: 'cyber_ctf_hard', metric: 'accuracy', claimed: 0.12, reported: 0.12, recomputed: 0.1, status: 'contradicted', evidence: 'hard.eval' },
      { text: 'On `bio_protocols` it reaches 30%.', where: 'model-card.md:5', task: 'bio_protocols', metric: 'accuracy', claimed: 0.3, reported: null, recomputed: null, status: 'unverifiable', evidence: null },
    ]);
  });

  it('says in words when the card matches the header but not the samples', async () => {
    const run = await rwctl(['claims', 'check', '--card', 'model-card.md', '--evidence', 'easy.eval', '--evidence', 'hard.eval']);
    expect(run.code).toBe(1);
    expect(run.out).toContain("The card matches the log's header (12%) but not its samples");
    expect(run.out).toContain('1 supported, 1 contradicted, 1 unverifiable, 0 unlinked');
  });

  it('exits 0 when every claim is supported', async () => {
    fs.writeFileSync(path.join(work, 'good.md'), 'It solves 45% of `cyber_ctf_easy`.\n');
    expect((await rwctl(['claims', 'check', '--card', 'good.md', '--evidence', 'easy.eval'])).code).toBe(0);
  });

  it('treats an unreadable log as no evidence, never as support', async () => {
    fs.writeFileSync(path.join(work, 'broken.eval'), 'not a zip');
    fs.writeFileSync(path.join(work, 'named.md'), 'It solves 45% of `cyber_ctf_easy`.\n');
    const run = await rwctl(['claims', 'check', '--card', 'named.md', '--evidence', 'broken.eval', '--json']);
    expect(run.code).toBe(1);
  });

  it.each([
    [['claims', 'check']],
    [['claims', 'check', '--card', 'model-card.md']],
    [['claims', 'check', '--card', 'model-card.pdf', '--evidence', 'easy.eval']],
    [['claims', 'check', '--card', 'model-card.md', '--evidence', 'easy.eval', '--vault', 'v', '--user', 'u', '--case', 'case-1']],
    [['claims', 'check', '--vault', 'v']],
    [['claims', 'check', '--bogus']],
  ])('exits 2 on usage errors: %j', async (argv) => {
    expect((await rwctl(argv)).code).toBe(2);
  });
});
