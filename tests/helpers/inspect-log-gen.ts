/**
 * Synthetic Inspect `.eval` logs for tests, the e2e case and the bench: samples with realistic
 * structure (input, a tool-using conversation, output, a match score with an explanation, usage,
 * events), a header whose headline accuracy and stderr are computed here, independently of the
 * checker, or overridden to make a log that misreports.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildZip, type Method, type ZipInput } from './eval-zip';

export interface GenOptions {
  task?: string;
  model?: string;
  samples: number;
  epochs?: number;
  /** The score of a record: "C" or "I" (default: a fixed pseudo-random pattern, ~70 % correct). */
  score?: (id: number, epoch: number) => 'C' | 'I';
  method?: Method;
  /** Replaces the reported accuracy (a log that misreports). */
  reportedAccuracy?: number;
  /** Records whose sample carries an error. */
  errored?: ReadonlySet<string>;
  runId?: string;
  /** Extra text per sample (bytes), to make bigger logs. */
  padding?: number;
}

const enc = new TextEncoder();
const json = (v: unknown) => enc.encode(JSON.stringify(v));

export function defaultScore(id: number, epoch: number): 'C' | 'I' {
  return ((id * 2654435761 + epoch * 40503) >>> 0) % 10 < 7 ? 'C' : 'I';
}

function sample(id: number, epoch: number, value: 'C' | 'I', model: string, error: boolean, padding: number): Record<string, unknown> {
  const question = `Question ${id}: is the number ${id * 7 + 3} prime? Answer Yes or No. ${'Context. '.repeat(8)}`;
  const answer = value === 'C' ? 'Yes' : 'No';
  const messages = [
    { id: `m${id}-1`, role: 'system', content: 'You are a careful assistant. Use the calculator tool when needed.' },
    { id: `m${id}-2`, role: 'user', content: question, source: 'input' },
    { id: `m${id}-3`, role: 'assistant', content: 'Let me check.', tool_calls: [{ id: `call_${id}`, function: 'calculator', arguments: { expression: `isprime(${id * 7 + 3})` }, type: 'function' }], model },
    { id: `m${id}-4`, role: 'tool', content: value === 'C' ? 'True' : 'False', tool_call_id: `call_${id}`, function: 'calculator' },
    { id: `m${id}-5`, role: 'assistant', content: `${answer}${padding > 0 ? ` ${'x'.repeat(padding)}` : ''}`, model },
  ];
  return {
    id,
    epoch,
    input: question,
    target: 'Yes',
    messages,
    output: { model, choices: [{ message: messages[4], stop_reason: 'stop' }], completion: answer, usage: { input_tokens: 120 + (id % 50), output_tokens: 12, total_tokens: 132 + (id % 50) } },
    scores: error ? {} : { match: { value, answer, explanation: `The answer "${answer}" ${value === 'C' ? 'matches' : 'does not match'} the target "Yes".` } },
    metadata: { difficulty: id % 3 },
    store: {},
    events: [
      { event: 'sample_init', timestamp: '2026-11-01T10:00:00+00:00', sample: { id, input: question } },
      { event: 'model', timestamp: '2026-11-01T10:00:01+00:00', model, input: messages.slice(0, 2), output: { completion: 'Let me check.' } },
      { event: 'tool', timestamp: '2026-11-01T10:00:02+00:00', function: 'calculator', arguments: { expression: `isprime(${id * 7 + 3})` }, result: value === 'C' ? 'True' : 'False' },
      { event: 'model', timestamp: '2026-11-01T10:00:03+00:00', model, input: messages.slice(0, 4), output: { completion: answer } },
      { event: 'score', timestamp: '2026-11-01T10:00:04+00:00', score: { value } },
    ],
    model_usage: { [model]: { input_tokens: 120 + (id % 50), output_tokens: 12, total_tokens: 132 + (id % 50) } },
    total_time: 1 + (id % 13) / 10,
    working_time: 0.8 + (id % 13) / 10,
    uuid: `uuid-${id}-${epoch}`,
    error: error ? { message: 'RuntimeError: the sandbox exited', traceback: '' } : null,
    attachments: {},
  };
}

/** The log's entries (header written last, as Inspect does). */
export function generateEvalEntries(options: GenOptions): ZipInput[] {
  const task = options.task ?? 'prime_check';
  const model = options.model ?? 'example/model-a';
  const epochs = options.epochs ?? 1;
  const scoreOf = options.score ?? defaultScore;
  const spec = {
    eval_id: `eval-${task}`,
    run_id: options.runId ?? `run-${model}`,
    created: '2026-11-01T10:00:00+00:00',
    task,
    task_version: 0,
    dataset: { name: 'primes', location: 'primes.jsonl', samples: options.samples, sample_ids: Array.from({ length: options.samples }, (_, i) => i + 1), shuffled: false },
    model,
    model_generate_config: { temperature: 0, max_tokens: 256 },
    config: { epochs, epochs_reducer: ['mean'], token_limit: 4096, message_limit: 20 },
    revision: { type: 'git', origin: 'https://example.org/evals.git', commit: 'abc1234' },
    packages: { inspect_ai: '0.3.140' },
    scorers: [{ name: 'match', options: {}, metrics: [{ name: 'inspect_ai/accuracy', options: {} }, { name: 'inspect_ai/stderr', options: {} }], metadata: {} }],
  };
  const entries: ZipInput[] = [{ name: '_journal/start.json', data: json({ version: 2, eval: spec, plan: { name: 'plan', steps: [] } }) }];
  const perSample: number[] = [];
  const summaries: unknown[] = [];
  for (let id = 1; id <= options.samples; id++) {
    let sum = 0;
    let n = 0;
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const value = scoreOf(id, epoch);
      const error = options.errored?.has(`${id}/${epoch}`) ?? false;
      entries.push({ name: `samples/${id}_epoch_${epoch}.json`, data: json(sample(id, epoch, value, model, error, options.padding ?? 0)) });
      summaries.push({ id, epoch, input: `Question ${id}`, target: 'Yes', scores: error ? {} : { match: { value } } });
      if (!error) {
        sum += value === 'C' ? 1 : 0;
        n++;
      }
    }
    if (n > 0) perSample.push(sum / n);
  }
  const mean = perSample.reduce((s, v) => s + v, 0) / perSample.length;
  const sd = perSample.length < 2 ? 0 : Math.sqrt(perSample.reduce((s, v) => s + (v - mean) ** 2, 0) / (perSample.length - 1));
  const stderr = perSample.length < 2 ? 0 : sd / Math.sqrt(perSample.length);
  entries.push({ name: 'summaries.json', data: json(summaries) });
  entries.push({ name: 'reductions.json', data: json([{ scorer: 'match', samples: perSample.map((value, i) => ({ value, sample_id: i + 1 })) }]) });
  const results = {
    total_samples: options.samples * epochs,
    completed_samples: options.samples * epochs,
    scores: [{ name: 'match', scorer: 'match', params: {}, metrics: { accuracy: { name: 'accuracy', value: options.reportedAccuracy ?? mean, params: {} }, stderr: { name: 'stderr', value: stderr, params: {} } } }],
  };
  entries.push({
    name: 'header.json',
    data: json({ version: 2, status: 'success', eval: spec, plan: { name: 'plan', steps: [] }, results, stats: { started_at: '2026-11-01T10:00:00+00:00', completed_at: '2026-11-01T11:00:00+00:00' } }),
  });
  return entries;
}

/** Zstandard for many entries in one run of the zstd tool (one process per entry would dominate). */
export function zstdMany(entries: ZipInput[]): Array<ZipInput & { compressed: Uint8Array }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-zstd-'));
  try {
    const files = entries.map((e, i) => {
      const f = path.join(dir, `${i}`);
      fs.writeFileSync(f, e.data);
      return f;
    });
    for (let i = 0; i < files.length; i += 4000) execFileSync('/usr/bin/zstd', ['-3', '-q', '--no-check', '--rm', '--', ...files.slice(i, i + 4000)]);
    return entries.map((e, i) => ({ ...e, compressed: new Uint8Array(fs.readFileSync(`${files[i]}.zst`)) }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function generateEvalLog(options: GenOptions): Uint8Array {
  const entries = generateEvalEntries(options);
  if (options.method === 'zstd') return buildZip(zstdMany(entries).map((e) => ({ ...e, method: 'zstd' as const })), 'zstd');
  return buildZip(entries, options.method ?? 'deflate');
}
