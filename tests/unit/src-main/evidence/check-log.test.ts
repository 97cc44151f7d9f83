import * as path from 'node:path';
import * as fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkEvidenceLog } from '../../../../src-main/evidence/check-log';
import { memorySource } from '../../../../src-main/evidence/log-source';
import type { EvidenceReport } from '../../../../src-shared/evidence/evidence-report';
import { conformancePresent, conformanceRoot } from '../../../conformance/conformance-root';
import { buildZip, editEntry, readEntries, zstdAvailable, type Method, type ZipInput } from '../../../helpers/eval-zip';

const present = conformancePresent('inspect-logs', 'evidence check-log');
const STREAMING = path.join(conformanceRoot, 'inspect-logs/log_streaming.eval');

async function check(bytes: Uint8Array, label = 'altered.eval'): Promise<EvidenceReport> {
  return (await checkEvidenceLog(memorySource(bytes, label))).report;
}

function codes(report: EvidenceReport): string[] {
  return report.flags.map((f) => f.code);
}

type Metrics = Record<string, { name: string; value: number }>;
function headline(doc: Record<string, unknown>): Metrics {
  return ((doc.results as { scores: Array<{ metrics: Metrics }> }).scores[0] as { metrics: Metrics }).metrics;
}

const methods: Method[] = zstdAvailable ? ['deflate', 'zstd', 'stored'] : ['deflate', 'stored'];
if (!zstdAvailable) console.warn('[evidence] /usr/bin/zstd not found: the Zstandard variants of these tests are skipped.');

describe.skipIf(!present)('altered copies of log_streaming.eval', () => {
  let entries: ZipInput[];
  beforeAll(async () => {
    entries = await readEntries(STREAMING);
  });

  describe.each(methods)('entries compressed with %s', (method) => {
    const zip = (list: ZipInput[]) => buildZip(list, method);

    it('the unaltered re-packed copy is clean (accuracy 0.75, stderr 0.25)', async () => {
      const report = await check(zip(entries));
      expect(report.status).toBe('clean');
      expect(report.scores.map((s) => [s.metric, s.recomputed, s.verdict])).toEqual([
        ['accuracy', 0.75, 'match'],
        ['stderr', 0.25, 'match'],
      ]);
    });

    it('a changed headline is a metric-mismatch naming the scorer and metric', async () => {
      const altered = editEntry(entries, 'header.json', (doc) => {
        headline(doc).accuracy!.value = 0.8;
        return doc;
      });
      const report = await check(zip(altered));
      expect(report.status).toBe('flagged');
      expect(codes(report)).toEqual(['metric-mismatch']);
      expect(report.flags[0]).toMatchObject({ scorer: 'match', metric: 'accuracy' });
      expect(report.scores[0]).toMatchObject({ reported: 0.8, recomputed: 0.75, verdict: 'mismatch' });
    });

    it('a dropped sample file is samples-missing (and the recomputed accuracy moves)', async () => {
      const report = await check(zip(entries.filter((e) => e.name !== 'samples/1_epoch_2.json')));
      expect(codes(report)).toContain('samples-missing');
      expect(report.samples).toMatchObject({ expected: 4, present: 3 });
      expect(report.scores[0]).toMatchObject({ recomputed: 0.5, verdict: 'mismatch' });
    });

    it('a flipped score is a metric-mismatch', async () => {
      const altered = editEntry(entries, 'samples/1_epoch_1.json', (doc) => {
        (doc.scores as Record<string, { value: string }>).match!.value = 'C';
        return doc;
      });
      const report = await check(zip(altered));
      expect(codes(report)).toEqual(['metric-mismatch', 'metric-mismatch']);
      expect(report.scores.map((s) => s.recomputed)).toEqual([1, 0]);
    });

    it('without header.json (an unfinished run) the log is incomplete, read from the journal, reports nothing', async () => {
      const report = await check(zip(entries.filter((e) => !['header.json', 'summaries.json', 'reductions.json'].includes(e.name))));
      expect(codes(report)).toEqual(['incomplete']);
      expect(report).toMatchObject({ status: 'flagged', logStatus: 'started', headerSource: 'journal', task: 'popularity' });
      // The expected count comes from the dataset's listed sample ids × epochs (2 × 2), not total_samples.
      expect(report.samples).toMatchObject({ expected: 4, present: 4 });
      expect(report.scores.every((s) => s.reported === null)).toBe(true);
    });

    it('a truncated archive is malformed', async () => {
      const bytes = zip(entries);
      const report = await check(bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      expect(report.status).toBe('malformed');
      expect(codes(report)).toEqual(['malformed']);
      expect(report.flags[0]!.message).toMatch(/truncated/);
    });

    it('a broken CRC-32 is malformed, naming the entry', async () => {
      const altered = entries.map((e) => (e.name === 'samples/2_epoch_1.json' ? { ...e, crc: 0x12345678 } : e));
      const report = await check(zip(altered));
      expect(report.status).toBe('malformed');
      expect(report.flags.find((f) => f.code === 'malformed')!.message).toMatch(/samples\/2_epoch_1\.json: CRC-32 mismatch/);
    });

    it('a broken CRC-32 in an entry the checker does not otherwise use (summaries.json) is still found', async () => {
      const altered = entries.map((e) => (e.name === 'summaries.json' ? { ...e, crc: 1 } : e));
      const report = await check(zip(altered));
      expect(report.flags[0]!.message).toMatch(/summaries\.json: CRC-32 mismatch/);
    });

    it('an errored sample leaves the denominator and is flagged; a limit reached is limits-hit', async () => {
      let altered = editEntry(entries, 'samples/1_epoch_1.json', (doc) => ({ ...doc, error: { message: 'RuntimeError: boom', traceback: '' }, scores: {} }));
      altered = editEntry(altered, 'samples/2_epoch_2.json', (doc) => ({ ...doc, limit: { type: 'token', limit: 100 } }));
      const report = await check(zip(altered));
      // Both headline metrics now differ from what the log reports (its writer counted the errored record).
      expect(codes(report)).toEqual(['sample-errors', 'limits-hit', 'metric-mismatch', 'metric-mismatch']);
      // Written for a reader: the fewest digits that tell the two values apart, not 0.6666666666666666.
      for (const flag of report.flags.filter((f) => f.code === 'metric-mismatch')) {
        expect(flag.message).toMatch(/^match \w+: the log reports \d+(\.\d{1,6})? but its samples give \d+(\.\d{1,6})?\.$/);
      }
      expect(report.samples).toMatchObject({ errored: 1, limitsHit: 1, present: 4, unscored: 0 });
      // Sample 1 keeps only epoch 2 (C = 1), sample 2 stays 1: accuracy 1 over two samples.
      expect(report.scores[0]).toMatchObject({ recomputed: 1, scoredSamples: 2 });
      expect(report.flags[0]).toMatchObject({ sample: '1/1', message: '1 sample record ended in an error and is left out of every metric: 1/1.' });
      expect(report.flags[1]!.message).toMatch(/^1 sample record stopped at a token, time or message limit: 2\/2 \(token limit \(100\)\)/);
    });

    it('a sample without the score is unscored', async () => {
      const altered = editEntry(entries, 'samples/2_epoch_1.json', (doc) => ({ ...doc, scores: {} }));
      const report = await check(zip(altered));
      expect(codes(report)).toContain('unscored');
      expect(report.flags.find((f) => f.code === 'unscored')).toMatchObject({ scorer: 'match', sample: '2/1', message: '1 sample record has no "match" score: 2/1.' });
    });

    it('a status other than success is incomplete', async () => {
      const altered = editEntry(entries, 'header.json', (doc) => ({ ...doc, status: 'error', error: { message: 'cancelled by the user' } }));
      const report = await check(zip(altered));
      expect(codes(report)).toEqual(['incomplete']);
      expect(report.flags[0]!.message).toMatch(/"error".*cancelled by the user/);
    });
  });

  it('a run limited by config.limit expects only the listed sample ids × epochs', async () => {
    const altered = editEntry(entries, 'header.json', (doc) => {
      delete (doc.results as Record<string, unknown>).total_samples;
      return doc;
    });
    const report = await check(buildZip(altered));
    expect(report.samples.expected).toBe(4);
    expect(report.status).toBe('clean');
  });
});

describe.skipIf(!present)('.json logs', () => {
  const formats = () => fs.readFileSync(path.join(conformanceRoot, 'inspect-logs/log_read_sample.json'), 'utf8');

  it('accepts NaN reported by Python and compares NaN with NaN as not a mismatch only when both are NaN', async () => {
    const text = formats().replace(/"stderr": \{\s*"name": "stderr",\s*"value": 0\.0/, (m) => m.replace('0.0', 'NaN'));
    expect(text).toContain('NaN');
    const report = await check(new TextEncoder().encode(text), 'nan.json');
    expect(report.scores.find((s) => s.metric === 'stderr')).toMatchObject({ verdict: 'mismatch' });
    expect(Number.isNaN(report.scores.find((s) => s.metric === 'stderr')!.reported)).toBe(true);
  });

  it.each([
    ['truncated', (t: string) => t.slice(0, t.length - 200), /truncated|JSON/],
    ['a comment', (t: string) => t.replace('{', '{ // hi\n'), /JSON|key/],
    ['a duplicate top-level key', (t: string) => t.replace('{', '{"status": "success",'), /twice/],
    ['a sample that is not an object', (t: string) => t.replace('"samples": [', '"samples": [1, '), /not an object/],
    ['trailing content', (t: string) => `${t} x`, /after the log/],
    ['a bare nan in lower case', (t: string) => t.replace(/"value": 1\.0/, '"value": nan'), /JSON/],
  ])('refuses %s as malformed', async (_label, alter, why) => {
    const report = await check(new TextEncoder().encode(alter(formats())), 'bad.json');
    expect(report.status).toBe('malformed');
    expect(report.flags[0]!.message).toMatch(why);
  });

  it('reads samples through a chunked source (the vault form) and finds the same result', async () => {
    const { chunkedSource } = await import('../../../../src-main/evidence/log-source');
    const bytes = new TextEncoder().encode(formats());
    const reads: number[] = [];
    const source = chunkedSource({ size: bytes.length, chunkSize: 1000, readChunk: (i) => (reads.push(i), bytes.subarray(i * 1000, (i + 1) * 1000)) }, 'chunked.json');
    const { report, rows } = await checkEvidenceLog(source);
    expect(report.status).toBe('clean');
    expect(rows).toHaveLength(1);
    expect(Math.max(...reads)).toBe(Math.ceil(bytes.length / 1000) - 1);
  });
});

describe('recomputation from a hand-built .json log', () => {
  const sample = (id: number, epoch: number, value: unknown) => ({ id, epoch, input: 'q', target: 't', messages: [], scores: { grader: { value } } });
  const log = (scores: unknown[], samples: unknown[], extra: Record<string, unknown> = {}) =>
    new TextEncoder().encode(
      JSON.stringify({
        version: 2,
        status: 'success',
        eval: { task: 't', model: 'm', dataset: { samples: 2 }, config: { epochs: 2 } },
        results: { total_samples: samples.length, completed_samples: samples.length, scores },
        samples,
        ...extra,
      }),
    );
  const metrics = (values: Record<string, number>) => Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { name, value, params: {} }]));

  it('dictionary-valued scores are recomputed per key', async () => {
    const samples = [sample(1, 1, { helpful: 1, harmless: 0 }), sample(1, 2, { helpful: 1, harmless: 1 }), sample(2, 1, { helpful: 0, harmless: 1 }), sample(2, 2, { helpful: 0, harmless: 1 })];
    const report = await check(
      log(
        [
          { name: 'helpful', scorer: 'grader', metrics: metrics({ mean: 0.5 }) },
          { name: 'harmless', scorer: 'grader', metrics: metrics({ mean: 0.75 }) },
        ],
        samples,
      ),
      'dict.json',
    );
    expect(report.scores.map((s) => [s.name, s.metric, s.recomputed, s.verdict])).toEqual([
      ['helpful', 'mean', 0.5, 'match'],
      ['harmless', 'mean', 0.75, 'match'],
    ]);
    expect(report.status).toBe('clean');
  });

  it("uses the scorer's reducer across epochs (max, at_least_2, pass_at_1)", async () => {
    const samples = [sample(1, 1, 'C'), sample(1, 2, 'I'), sample(2, 1, 'I'), sample(2, 2, 'I')];
    const report = await check(
      log(
        [
          { name: 'grader', scorer: 'grader', reducer: 'max', metrics: metrics({ accuracy: 0.5 }) },
          { name: 'grader', scorer: 'grader', reducer: 'at_least_2', metrics: metrics({ accuracy: 0 }) },
          { name: 'grader', scorer: 'grader', reducer: 'pass_at_1', metrics: metrics({ accuracy: 0.25 }) },
        ],
        samples,
      ),
      'reducers.json',
    );
    expect(report.scores.map((s) => [s.reducer, s.recomputed, s.verdict])).toEqual([
      ['max', 0.5, 'match'],
      ['at_least_2', 0, 'match'],
      ['pass_at_1', 0.25, 'match'],
    ]);
  });

  it('a metric or reducer it cannot recompute is "not verified", never a mismatch', async () => {
    const samples = [sample(1, 1, 'C'), sample(2, 1, 'I')];
    const report = await check(
      log(
        [
          { name: 'grader', scorer: 'grader', metrics: metrics({ bootstrap_stderr: 0.3 }) },
          { name: 'grader', scorer: 'grader', reducer: 'my_reducer', metrics: metrics({ accuracy: 0.9 }) },
        ],
        samples,
        { eval: { task: 't', model: 'm', dataset: { samples: 2 }, config: { epochs: 1 } } },
      ),
      'unknown.json',
    );
    expect(report.scores.map((s) => s.verdict)).toEqual(['not-verified', 'not-verified']);
    expect(report.flags).toEqual([]);
    expect(report.status).toBe('clean');
  });
});
