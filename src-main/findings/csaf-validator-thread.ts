/**
 * The BSI CSAF validators run on a worker thread of their own. The library compiles every CSAF schema
 * with Ajv as it is imported: tens of seconds of CPU on a loaded two-core laptop. On the thread that
 * answers IPC that would freeze the app at its first findings export; here the app stays responsive and
 * the export simply waits. The worker is started on first use, holds the process open only while a
 * document is being checked, and is replaced if it dies. Its code is plain JavaScript run with `eval`
 * (the library's modules are handed in as resolved file URLs), so the same source works from the
 * Electron bundle, the rwctl bundle and the TypeScript sources under test, with no entry point to build.
 */
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the library ships no types; each layer tsconfig must see the declarations beside this file
/// <reference path="./csaf-validator-lib.d.ts" />
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CsafTestResult } from '@secvisogram/csaf-validator-lib/validate.js';
import { RwError } from '../../src-shared/errors';

export type CsafFormat = 'csaf' | 'csaf21';

export interface CsafCheck {
  isValid: boolean;
  tests: CsafTestResult[];
  /** The worker's thread id: lets a test see the work did not happen on the caller's thread. */
  threadId: number;
}

const LIBRARY_MODULES = ['validate.js', 'validateStrict.js', 'mandatoryTests.js', 'schemaTests.js', 'csaf_2_1/mandatoryTests.js', 'csaf_2_1/schemaTests.js'];

// The 2.1 modules are outside validateStrict's list of known tests (it knows 2.0 only), so 2.1 runs
// through validate with exactly the library's own 2.1 test functions.
const WORKER_SOURCE = `
const { parentPort, workerData, threadId } = require('node:worker_threads');
const testsOf = (ns) => Object.values(ns).filter((t) => typeof t === 'function');
const ready = Promise.all(workerData.modules.map((url) => import(url))).then(([v, vs, m20, s20, m21, s21]) => ({
  csaf: (doc) => vs.default([s20.csaf_2_0_strict, ...testsOf(m20)], doc),
  csaf21: (doc) => v.default([s21.csaf_2_1_strict, ...testsOf(m21)], doc),
}));
parentPort.on('message', async ({ id, format, doc }) => {
  try {
    const validators = await ready;
    const result = format === 'warm' ? { isValid: true, tests: [] } : await validators[format](doc);
    parentPort.postMessage({ id, result: { isValid: result.isValid, tests: result.tests, threadId } });
  } catch (error) {
    parentPort.postMessage({ id, failed: String(error && error.message ? error.message : error) });
  }
});
`;

interface Pending {
  resolve(check: CsafCheck): void;
  reject(error: Error): void;
}

let worker: Worker | null = null;
const pending = new Map<number, Pending>();
let nextId = 1;

function libraryUrls(): string[] {
  const require = createRequire(import.meta.url);
  return LIBRARY_MODULES.map((m) => pathToFileURL(require.resolve(`@secvisogram/csaf-validator-lib/${m}`)).href);
}

function failAll(message: string): void {
  for (const p of pending.values()) p.reject(new RwError('INTERNAL', message));
  pending.clear();
}

function started(): Worker {
  if (worker) return worker;
  const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { modules: libraryUrls() } });
  w.unref();
  w.on('message', (msg: { id: number; result?: CsafCheck; failed?: string }) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (pending.size === 0) w.unref();
    if (msg.result) p.resolve(msg.result);
    // The library's own message, without the document: the caller words the refusal.
    else p.reject(new RwError('INTERNAL', `The CSAF validator failed: ${msg.failed ?? 'unknown error'}`));
  });
  const stopped = (why: string) => {
    if (worker === w) worker = null;
    failAll(why);
  };
  w.on('error', () => stopped('The CSAF validator stopped unexpectedly; try the export again.'));
  w.on('exit', () => stopped('The CSAF validator stopped; try the export again.'));
  worker = w;
  return w;
}

function ask(format: CsafFormat | 'warm', doc: unknown): Promise<CsafCheck> {
  const w = started();
  const id = nextId++;
  return new Promise<CsafCheck>((resolve, reject) => {
    try {
      w.postMessage({ id, format, doc });
    } catch {
      throw new RwError('INVALID_INPUT', 'The findings document holds values that are not JSON.');
    }
    pending.set(id, { resolve, reject });
    w.ref();
  });
}

/** Checks a CSAF document with the library's strict schema and every mandatory test, off this thread. */
export function checkCsaf(format: CsafFormat, doc: unknown): Promise<CsafCheck> {
  return ask(format, doc);
}

/** Loads the validators now (tests warm them up front so no test's timeout pays the compile). */
export async function warmCsafValidators(): Promise<void> {
  await ask('warm', null);
}
