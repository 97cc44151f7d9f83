/**
 * A signed package with evaluation logs, for the evidence tests (CLI, IPC, e2e): two runs of one task
 * by two models, one of which misreports its headline accuracy, plus documents that are not logs.
 */
import { generateEvalLog } from './inspect-log-gen';
import type { FileMap } from './package-fixtures';

/** Model B flips some of model A's answers either way (ids 2, 5 and 9). */
export function modelBScore(id: number, epoch: number): 'C' | 'I' {
  const a = ((id * 2654435761 + epoch * 40503) >>> 0) % 10 < 7 ? 'C' : 'I';
  return id === 2 || id === 5 || id === 9 ? (a === 'C' ? 'I' : 'C') : a;
}

export function evidencePackageFiles(): FileMap {
  return {
    'card.md': '# Model card\n\nEvaluation logs are under evals/.\n',
    'evals/notes.json': JSON.stringify({ note: 'not an Inspect log' }),
    'evals/prime_check-model-a.eval': generateEvalLog({ samples: 24, model: 'example/model-a', errored: new Set(['7/1']) }),
    // Reports 0.9 where its samples give less: the evidence screen must show the mismatch.
    'evals/prime_check-model-b.eval': generateEvalLog({ samples: 24, model: 'example/model-b', score: modelBScore, reportedAccuracy: 0.9 }),
  };
}
