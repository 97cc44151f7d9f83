/**
 * An Inspect evaluation log opened for reading, whichever its container:
 * - `.eval` (zip): the header from `header.json`, written last; when it is absent the run did not
 *   finish, and the header is rebuilt from `_journal/start.json` with status `started` and no results,
 *   as Inspect's own reader does. Samples are the `samples/<id>_epoch_<n>.json` entries.
 * - `.json`: one EvalLog document; its members are located in one pass and samples read one by one.
 * Samples are parsed one at a time, never all at once.
 */
import { parsePythonJsonBytes, PythonJsonError } from '../../src-shared/evidence/python-json';
import type { SampleRef } from '../../src-shared/evidence/evidence-report';
import { RwError } from '../../src-shared/errors';
import { archiveError, EvalArchive, isZip, type EvalArchiveLimits } from './eval-archive';
import { indexJsonLog } from './json-log-index';
import type { LogSource } from './log-source';

export type JsonObject = Record<string, unknown>;

export interface LogHeader {
  version: number | null;
  status: string | null;
  eval: JsonObject;
  plan: JsonObject | null;
  results: JsonObject | null;
  stats: JsonObject | null;
  error: JsonObject | null;
  source: 'header.json' | 'journal' | 'document';
}

export interface InspectLog {
  readonly format: 'eval' | 'json';
  readonly header: LogHeader;
  readonly sampleRefs: readonly SampleRef[];
  readSample(ref: SampleRef): Promise<JsonObject>;
  /** Reads every entry not otherwise read (summaries, reductions, journal) to check its CRC; .json: nothing. */
  verifyRest(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenLogOptions {
  limits?: EvalArchiveLimits;
  /** Largest top-level member of a .json log other than samples, and largest single sample. */
  maxMemberBytes?: number;
  onProgress?: (done: number, total: number) => void;
}

const SAMPLE_ENTRY = /^samples\/(.+)_epoch_(\d+)\.json$/;
const DEFAULT_MAX_MEMBER = 512 * 1024 * 1024;

function parse(bytes: Uint8Array, what: string): unknown {
  try {
    return parsePythonJsonBytes(bytes);
  } catch (error) {
    if (error instanceof PythonJsonError) throw archiveError(`bad JSON (${error.message})`, what);
    throw error;
  }
}

function asObject(value: unknown, what: string): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw archiveError('not a JSON object', what);
  return value as JsonObject;
}

function optObject(value: unknown): JsonObject | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : null;
}

function headerFrom(doc: JsonObject, source: LogHeader['source'], what: string): LogHeader {
  const evalSpec = asObject(doc.eval, `${what} (eval)`);
  return {
    version: typeof doc.version === 'number' ? doc.version : null,
    status: source === 'journal' ? 'started' : typeof doc.status === 'string' ? doc.status : null,
    eval: evalSpec,
    plan: optObject(doc.plan),
    results: source === 'journal' ? null : optObject(doc.results),
    stats: optObject(doc.stats),
    error: optObject(doc.error),
    source,
  };
}

export async function openInspectLog(source: LogSource, options: OpenLogOptions = {}): Promise<InspectLog> {
  if (source.size === 0) throw archiveError('the file is empty');
  const head = await source.read(0, 4);
  if (isZip(head)) return openEval(source, options);
  return openJson(source, options);
}

async function openEval(source: LogSource, options: OpenLogOptions): Promise<InspectLog> {
  const archive = await EvalArchive.open(source, options.limits);
  let header: LogHeader;
  if (archive.has('header.json')) {
    header = headerFrom(asObject(parse(await archive.read('header.json'), 'header.json'), 'header.json'), 'header.json', 'header.json');
  } else if (archive.has('_journal/start.json')) {
    header = headerFrom(asObject(parse(await archive.read('_journal/start.json'), '_journal/start.json'), '_journal/start.json'), 'journal', '_journal/start.json');
  } else {
    throw archiveError('neither header.json nor _journal/start.json: not an Inspect log');
  }
  const sampleNames = [...archive.entries.keys()].filter((name) => SAMPLE_ENTRY.test(name));
  const read = new Set<string>(['header.json', '_journal/start.json', ...sampleNames]);
  return {
    format: 'eval',
    header,
    sampleRefs: sampleNames.map((name) => ({ kind: 'entry', name })),
    async readSample(ref) {
      if (ref.kind !== 'entry') throw new RwError('INVALID_INPUT', 'Not a sample of this log.');
      return asObject(parse(await archive.read(ref.name), ref.name), ref.name);
    },
    async verifyRest() {
      for (const name of archive.entries.keys()) if (!read.has(name)) await archive.read(name);
    },
    close: () => source.close(),
  };
}

async function openJson(source: LogSource, options: OpenLogOptions): Promise<InspectLog> {
  const index = await indexJsonLog(source, options.onProgress);
  const max = options.maxMemberBytes ?? DEFAULT_MAX_MEMBER;
  const member = async (key: string): Promise<unknown> => {
    const range = index.members.get(key);
    if (!range) return undefined;
    if (range.length > max) throw archiveError(`the member is ${range.length} bytes (limit ${max})`, key);
    return parse(await source.read(range.offset, range.length), key);
  };
  const doc: JsonObject = {};
  for (const key of ['version', 'status', 'eval', 'plan', 'results', 'stats', 'error']) doc[key] = await member(key);
  if (doc.eval === undefined) throw archiveError('the document has no "eval" member: not an Inspect log');
  const samplesMember = index.members.get('samples');
  if (samplesMember && (await member('samples')) !== null) throw archiveError('"samples" is not an array');
  const header = headerFrom(doc, 'document', 'log');
  const known = new Set(index.samples.map((r) => r.offset));
  return {
    format: 'json',
    header,
    sampleRefs: index.samples.map((r) => ({ kind: 'range', offset: r.offset, length: r.length })),
    async readSample(ref) {
      if (ref.kind !== 'range' || !known.has(ref.offset)) throw new RwError('INVALID_INPUT', 'Not a sample of this log.');
      const what = `sample at byte ${ref.offset}`;
      if (ref.length > max) throw archiveError(`the sample is ${ref.length} bytes (limit ${max})`, what);
      return asObject(parse(await source.read(ref.offset, ref.length), what), what);
    },
    verifyRest: async () => undefined,
    close: () => source.close(),
  };
}
