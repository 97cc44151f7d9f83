/**
 * Checks one Inspect log against itself: reads every sample once (one at a time), recomputes every
 * headline metric from the per-sample scores with the scorer's epoch reducer, counts what is missing,
 * errored, unscored or cut by a limit, and raises flags from a closed set. A log that cannot be read
 * is not an exception but a report with status `malformed` saying why.
 */
import type { EvidenceCheck, EvidenceReport, SampleRef, SampleRow, ScoreCheck } from '../../src-shared/evidence/evidence-report';
import { figuresApart, isScalarScore, metricNamed, reducerNamed, sameMetric, valueToFloat } from '../../src-shared/evidence/recompute';
import { openInspectLog, type InspectLog, type JsonObject, type OpenLogOptions } from './inspect-log';
import type { LogSource } from './log-source';

export interface CheckOptions extends OpenLogOptions {
  /** Samples read so far and in all, for a progress bar. */
  onSamples?: (done: number, total: number) => void;
}

/** A results.scores entry: one score name, its reducer, its metrics as reported. */
interface ScoreEntry {
  name: string;
  scorer: string;
  reducer: string | null;
  metrics: Array<{ metric: string; reported: number | null; params: unknown }>;
}

const FLAG_SAMPLE_LIMIT = 5;
const EXCERPT = 200;

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
function num(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}
function obj(value: unknown): JsonObject | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : null;
}
function message(error: unknown): string {
  return error instanceof Error ? error.message : 'unreadable';
}

export function emptyReport(file: string): EvidenceReport {
  return {
    file,
    format: 'unknown',
    status: 'malformed',
    logStatus: null,
    headerSource: null,
    logVersion: null,
    task: null,
    model: null,
    created: null,
    runId: null,
    evalId: null,
    dataset: { name: null, location: null, samples: null, sampleIds: null },
    config: {},
    generation: {},
    revision: null,
    packages: {},
    samples: { expected: null, present: 0, errored: 0, unscored: 0, limitsHit: 0 },
    scores: [],
    flags: [],
  };
}

function scoreEntries(results: JsonObject | null, evalSpec: JsonObject): ScoreEntry[] {
  const entries: ScoreEntry[] = [];
  const scores = results ? results.scores : undefined;
  if (Array.isArray(scores)) {
    for (const s of scores) {
      const score = obj(s);
      if (!score) continue;
      const name = str(score.name) ?? str(score.scorer) ?? '(unnamed)';
      const metrics = obj(score.metrics) ?? {};
      entries.push({
        name,
        scorer: str(score.scorer) ?? name,
        reducer: str(score.reducer),
        metrics: Object.entries(metrics).map(([key, m]) => {
          const metric = obj(m);
          return { metric: str(metric?.name) ?? key, reported: num(metric?.value), params: metric?.params ?? metric?.options };
        }),
      });
    }
    return entries;
  }
  // No results (an unfinished run): the scorers the task declared, with nothing reported.
  const scorers = evalSpec.scorers;
  if (Array.isArray(scorers)) {
    for (const s of scorers) {
      const scorer = obj(s);
      const name = str(scorer?.name);
      if (!scorer || !name) continue;
      const list = Array.isArray(scorer.metrics) ? scorer.metrics : [];
      entries.push({
        name: name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name,
        scorer: name,
        reducer: null,
        metrics: list.map((m) => obj(m)).filter((m): m is JsonObject => m !== null && typeof m.name === 'string').map((m) => ({ metric: String(m.name), reported: null, params: m.params ?? m.options })),
      });
    }
  }
  return entries;
}

/** The value a score entry reads from one sample: its own score, or one key of a dictionary score. */
function entryValue(scores: JsonObject | null, entry: ScoreEntry): unknown {
  if (!scores) return undefined;
  const own = obj(scores[entry.name]);
  if (own && 'value' in own) return own.value;
  const parent = obj(scores[entry.scorer]);
  const dict = obj(parent?.value);
  if (dict && entry.name in dict) return dict[entry.name];
  return undefined;
}

function expectedSamples(header: InspectLog['header']): number | null {
  const total = num(header.results?.total_samples);
  if (total !== null) return total;
  const config = obj(header.eval.config) ?? {};
  const epochs = num(config.epochs) ?? 1;
  const dataset = obj(header.eval.dataset) ?? {};
  if (Array.isArray(dataset.sample_ids)) return dataset.sample_ids.length * epochs;
  const count = num(dataset.samples);
  if (count === null) return null;
  const limit = config.limit;
  if (typeof limit === 'number') return Math.min(count, limit) * epochs;
  if (Array.isArray(limit) && typeof limit[0] === 'number' && typeof limit[1] === 'number') return Math.max(0, Math.min(count, limit[1]) - limit[0]) * epochs;
  return count * epochs;
}

function targetText(target: unknown): string {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) return target.filter((t) => typeof t === 'string').join(' | ');
  return '';
}

function tokens(sample: JsonObject): number | null {
  const usage = obj(sample.model_usage);
  if (!usage) return null;
  let total = 0;
  for (const u of Object.values(usage)) total += num(obj(u)?.total_tokens) ?? 0;
  return total;
}

function limitOf(sample: JsonObject): string | null {
  const limit = obj(sample.limit);
  if (limit) return `${str(limit.type) ?? 'a'} limit${num(limit.limit) !== null ? ` (${num(limit.limit)})` : ''}`;
  const events = Array.isArray(sample.events) ? sample.events : [];
  for (const e of events) {
    const event = obj(e);
    if (event?.event === 'sample_limit') return `${str(event.type) ?? 'a'} limit${num(event.limit) !== null ? ` (${num(event.limit)})` : ''}`;
  }
  return null;
}

function display(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? '';
}

function excerpt(text: string): string {
  return text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1)}…` : text;
}

function sampleKey(id: unknown): string {
  return `${typeof id}:${String(id)}`;
}

/** "1 sample record" / "3 sample records". */
function records(n: number): string {
  return `${n} sample record${n === 1 ? '' : 's'}`;
}

function listed(samples: string[]): string {
  const shown = samples.slice(0, FLAG_SAMPLE_LIMIT).join(', ');
  return samples.length > FLAG_SAMPLE_LIMIT ? `${shown} and ${samples.length - FLAG_SAMPLE_LIMIT} more` : shown;
}

/** Per sample id, the epochs' values of one score entry (errored records left out). */
type Collected = Map<string, { label: string; values: Array<{ epoch: number; value: number | null; raw: unknown }> }>;

export async function checkEvidenceLog(source: LogSource, options: CheckOptions = {}): Promise<EvidenceCheck> {
  const report = emptyReport(source.label);
  const rows: SampleRow[] = [];
  let log: InspectLog;
  try {
    log = await openInspectLog(source, options);
  } catch (error) {
    await source.close().catch(() => undefined);
    report.flags.push({ code: 'malformed', message: `The log cannot be read: ${message(error)}` });
    return { report, rows };
  }
  try {
    await readInto(log, report, rows, options);
  } finally {
    await log.close();
  }
  return { report, rows };
}

async function readInto(log: InspectLog, report: EvidenceReport, rows: SampleRow[], options: CheckOptions): Promise<void> {
  const { header } = log;
  const spec = header.eval;
  const config = obj(spec.config) ?? {};
  const dataset = obj(spec.dataset) ?? {};
  report.format = log.format;
  report.logStatus = header.status;
  report.headerSource = header.source;
  report.logVersion = header.version;
  report.task = str(spec.task);
  report.model = str(spec.model);
  report.created = str(spec.created);
  report.runId = str(spec.run_id);
  report.evalId = str(spec.eval_id);
  report.dataset = {
    name: str(dataset.name),
    location: str(dataset.location),
    samples: num(dataset.samples),
    sampleIds: Array.isArray(dataset.sample_ids) ? dataset.sample_ids.length : null,
  };
  report.config = config;
  report.generation = obj(spec.model_generate_config) ?? {};
  report.revision = obj(spec.revision);
  report.packages = Object.fromEntries(Object.entries(obj(spec.packages) ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));

  const entries = scoreEntries(header.results, spec);
  const collected: Collected[] = entries.map(() => new Map());
  const unscored: string[][] = entries.map(() => []);
  const errored: string[] = [];
  const limited: string[] = [];
  const unreadable: string[] = [];

  const total = log.sampleRefs.length;
  let done = 0;
  for (const ref of log.sampleRefs) {
    let sample: JsonObject;
    try {
      sample = await log.readSample(ref);
    } catch (error) {
      unreadable.push(message(error));
      continue;
    } finally {
      done++;
      if (done % 256 === 0 || done === total) options.onSamples?.(done, total);
    }
    rows.push(toRow(sample, ref, entries, collected, unscored, errored, limited));
  }
  try {
    await log.verifyRest();
  } catch (error) {
    unreadable.push(message(error));
  }

  report.samples = {
    expected: expectedSamples(header),
    present: rows.length,
    errored: errored.length,
    unscored: new Set(unscored.flat()).size,
    limitsHit: limited.length,
  };
  const flags = report.flags;
  for (const why of unreadable) flags.push({ code: 'malformed', message: `Part of the log cannot be read: ${why}` });
  if (header.source === 'journal') {
    flags.push({ code: 'incomplete', message: 'The run did not finish: the archive has no header.json, so there are no reported results; the header was rebuilt from the journal.' });
  } else if (header.status !== 'success') {
    const why = str(header.error?.message);
    flags.push({ code: 'incomplete', message: `The log's status is "${header.status ?? 'missing'}", not "success"${why ? `: ${excerpt(why)}` : ''}.` });
  }
  const expected = report.samples.expected;
  if (expected !== null && rows.length + unreadable.length < expected) {
    flags.push({ code: 'samples-missing', message: `The log counts ${expected} sample records (samples × epochs) but holds ${rows.length}.` });
  }
  if (errored.length > 0) {
    flags.push({ code: 'sample-errors', message: `${records(errored.length)} ended in an error and ${errored.length === 1 ? 'is' : 'are'} left out of every metric: ${listed(errored)}.`, sample: errored[0] });
  }
  if (limited.length > 0) {
    flags.push({ code: 'limits-hit', message: `${records(limited.length)} stopped at a token, time or message limit: ${listed(limited)}.`, sample: limited[0]?.split(' ')[0] });
  }
  entries.forEach((entry, i) => {
    const missing = unscored[i]!;
    if (missing.length > 0) flags.push({ code: 'unscored', message: `${records(missing.length)} ${missing.length === 1 ? 'has' : 'have'} no "${entry.name}" score: ${listed(missing)}.`, scorer: entry.name, sample: missing[0] });
  });

  const reducerFallback = Array.isArray(config.epochs_reducer) && config.epochs_reducer.length === 1 ? str(config.epochs_reducer[0]) : Array.isArray(config.epochs_reducer) ? '(several)' : null;
  entries.forEach((entry, i) => {
    const reducerName = entry.reducer ?? reducerFallback ?? 'mean';
    const reducer = reducerNamed(reducerName);
    const perSample: number[] = [];
    let nonScalar = false;
    for (const { values } of collected[i]!.values()) {
      const present = values.filter((v) => v.value !== null).sort((a, b) => a.epoch - b.epoch);
      if (present.length === 0) continue;
      if (present.some((v) => !isScalarScore(v.raw))) nonScalar = true;
      if (reducer) perSample.push(reducer(present.map((v) => v.value!)));
    }
    for (const m of entry.metrics) {
      const check: ScoreCheck = { name: entry.name, scorer: entry.scorer, reducer: reducerName, metric: m.metric, reported: m.reported, recomputed: null, verdict: 'not-verified', scoredSamples: perSample.length };
      const metric = metricNamed(m.metric, m.params);
      if (!metric) check.note = `"${m.metric}" is not a metric the checker can recompute from the log alone.`;
      else if (!reducer) check.note = `The epoch reducer "${reducerName}" is not one the checker knows.`;
      else if (nonScalar) check.note = 'Some values are lists or dictionaries without per-key metrics.';
      else if (perSample.length === 0) check.note = 'No sample in the log carries this score.';
      else {
        check.recomputed = metric(perSample);
        if (m.reported === null) check.verdict = 'not-reported';
        else if (sameMetric(m.reported, check.recomputed)) check.verdict = 'match';
        else {
          check.verdict = 'mismatch';
          const [reported, recomputed] = figuresApart(m.reported, check.recomputed);
          flags.push({
            code: 'metric-mismatch',
            message: `${entry.name} ${m.metric}: the log reports ${reported} but its samples give ${recomputed}.`,
            scorer: entry.name,
            metric: m.metric,
          });
        }
      }
      if (check.verdict === 'not-verified' && m.reported === null) check.verdict = 'not-reported';
      report.scores.push(check);
    }
  });

  report.status = flags.some((f) => f.code === 'malformed') ? 'malformed' : flags.length > 0 ? 'flagged' : 'clean';
}

function toRow(
  sample: JsonObject,
  ref: SampleRef,
  entries: ScoreEntry[],
  collected: Collected[],
  unscored: string[][],
  errored: string[],
  limited: string[],
): SampleRow {
  const id = typeof sample.id === 'number' || typeof sample.id === 'string' ? sample.id : String(sample.id);
  const epoch = num(sample.epoch) ?? 1;
  const label = `${id}/${epoch}`;
  const scores = obj(sample.scores);
  const error = sample.error == null ? null : (str(obj(sample.error)?.message) ?? display(sample.error));
  const limit = limitOf(sample);
  if (error !== null) errored.push(label);
  if (limit !== null) limited.push(`${label} (${limit})`);
  const floats: Record<string, number | null> = {};
  entries.forEach((entry, i) => {
    const raw = entryValue(scores, entry);
    const value = raw === undefined || raw === null ? null : valueToFloat(raw);
    floats[entry.name] = value;
    if (error !== null) return;
    if (value === null) unscored[i]!.push(label);
    const key = sampleKey(sample.id);
    let slot = collected[i]!.get(key);
    if (!slot) collected[i]!.set(key, (slot = { label: String(id), values: [] }));
    slot.values.push({ epoch, value, raw });
  });
  if (entries.length === 0 && scores) {
    for (const [name, s] of Object.entries(scores)) {
      const value = obj(s)?.value;
      floats[name] = isScalarScore(value) ? valueToFloat(value) : null;
    }
  }
  const first = scores ? obj(Object.values(scores)[0]) : null;
  const output = obj(sample.output);
  const completion = str(output?.completion);
  const answer = completion || (str(first?.answer) ?? '');
  return {
    id,
    epoch,
    scores: floats,
    displayScore: first ? display(first.value) : '',
    target: excerpt(targetText(sample.target)),
    answer: excerpt(answer),
    error: error === null ? null : excerpt(error),
    limit,
    tokens: tokens(sample),
    time: num(sample.total_time) ?? num(sample.working_time),
    ref,
  };
}
