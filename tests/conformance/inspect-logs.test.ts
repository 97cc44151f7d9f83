import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkEvidenceLog } from '../../src-main/evidence/check-log';
import { openFileSource } from '../../src-main/evidence/log-source';
import { conformancePresent, conformanceRoot } from './conformance-root';

const SUB = 'inspect-logs';
const present = conformancePresent(SUB, 'inspect-logs');

/** The published headline metrics (SOURCES.md: results.scores[].name: metrics.<k>.value) and sample counts. */
const PUBLISHED: Array<{ file: string; score: string; metrics: Record<string, number>; samples: number }> = [
  { file: 'log_formats.eval', score: 'match', metrics: { accuracy: 0, stderr: 0 }, samples: 1 },
  { file: 'log_formats.json', score: 'match', metrics: { accuracy: 0, stderr: 0 }, samples: 1 },
  { file: 'log_read_sample.eval', score: 'match', metrics: { accuracy: 1, stderr: 0 }, samples: 1 },
  { file: 'log_read_sample.json', score: 'match', metrics: { accuracy: 1, stderr: 0 }, samples: 1 },
  { file: 'log_streaming.eval', score: 'match', metrics: { accuracy: 0.75, stderr: 0.25 }, samples: 4 },
  { file: 'log_images.json', score: 'match', metrics: { accuracy: 0, stderr: 0 }, samples: 1 },
  { file: 'log_images_tc.json', score: 'match', metrics: { accuracy: 0, stderr: 0 }, samples: 1 },
  { file: 'log_message_deduplication.eval', score: 'closeness_log', metrics: { accuracy: 0, stderr: 0 }, samples: 1 },
  { file: '2024-11-05T13-31-45-05-00_input-task_8zXjbRzCWrL9GXiXo2vus9.json', score: 'model_graded_fact', metrics: { accuracy: 1, stderr: 0 }, samples: 1 },
  { file: '2024-11-05T13-32-37-05-00_input-task_hxs4q9azL3ySGkjJirypKZ.eval', score: 'model_graded_fact', metrics: { accuracy: 1, stderr: 0 }, samples: 1 },
];

async function check(file: string) {
  return checkEvidenceLog(await openFileSource(path.join(conformanceRoot, SUB, file), file));
}

describe.skipIf(!present)('Inspect conformance logs', () => {
  for (const { file, score, metrics, samples } of PUBLISHED) {
    it(`${file}: ${Object.entries(metrics).map(([m, v]) => `${score} ${m} = ${v}`).join(', ')} recomputes from its samples and the log is clean`, async () => {
      const { report, rows } = await check(file);
      expect(report.flags).toEqual([]);
      expect(report.status).toBe('clean');
      expect(rows).toHaveLength(samples);
      expect(report.samples).toMatchObject({ expected: samples, present: samples, errored: 0 });
      for (const [metric, value] of Object.entries(metrics)) {
        const row = report.scores.find((s) => s.name === score && s.metric === metric);
        expect(row, `${file} ${score} ${metric}`).toMatchObject({ reported: value, verdict: 'match' });
        expect(row!.recomputed).toBeCloseTo(value, 9);
      }
    });
  }

  it('log_streaming.eval: 2 samples × 2 epochs reduce by mean to 0.5 and 1.0 before the metrics', async () => {
    const { report, rows } = await check('log_streaming.eval');
    expect(report).toMatchObject({ task: 'popularity', model: 'azureai/Meta-Llama-3-1-405B-Instruct-jqf', format: 'eval', headerSource: 'header.json' });
    expect(report.scores[0]).toMatchObject({ reducer: 'mean', scoredSamples: 2 });
    expect(rows.map((r) => `${r.id}/${r.epoch}=${r.displayScore}`).sort()).toEqual(['1/1=I', '1/2=C', '2/1=C', '2/2=C']);
  });

  it('log_tool_call_error.json (a hand-made fixture whose sample has no scores): reported metrics are "not verified", never a mismatch; missing and unscored records are flagged', async () => {
    const { report } = await check('log_tool_call_error.json');
    expect(report.scores.map((s) => [s.metric, s.reported, s.recomputed, s.verdict])).toEqual([
      ['accuracy', 1, null, 'not-verified'],
      ['stderr', 0, null, 'not-verified'],
    ]);
    expect(report.flags.map((f) => f.code)).toEqual(['samples-missing', 'unscored']);
    expect(report.flags.some((f) => f.code === 'metric-mismatch')).toBe(false);
  });
});
