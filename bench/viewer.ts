/**
 * Large tables open at once: `npx tsx bench/viewer.ts [--csv-rows 300000] [--jsonl-lines 30000] [--json]`.
 *
 * A signed package holding a 16.8 MiB CSV of 300 000 rows and a 31 MiB JSON Lines file of 30 000
 * transcripts is imported into a fresh vault (the import indexes table rows), as a new user would.
 * Then, for each file, the first screen as the table viewer asks for it: `artifacts.open` and the first
 * page of `artifact.rows`, timed through the router with its access-log leaves; the same again; a deep
 * page; and the first open of a table imported before row indexes existed (index dropped, so the first
 * call scans and stores it). Then a sort over every row and a filter. Before paging, the renderer read
 * and parsed the whole file first (12.5 s and 19.8 s on this machine).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createAppCore } from '../src-main/app-core';
import { importPackageDetailed } from '../src-main/artifacts/import-package';
import { signPackage } from '../src-main/artifacts/sign-package';
import { requireContentDb } from '../src-main/vault/vault';
import { generateKeyPair, publicKeyOf } from '../src-shared/node/crypto';
import { numberOption, printJsonResult } from './bench-result';

const CSV_ROWS = numberOption('csv-rows', 300_000);
const JSONL_LINES = numberOption('jsonl-lines', 30_000);
const TOP = { url: 'app://rw/index.html', isTopFrame: true };
const MiB = 1024 * 1024;
const PAGE = 200;
const PASSPHRASE = 'correct horse battery staple bench';

function writeCsv(file: string): void {
  const out = fs.openSync(file, 'w');
  const parts: string[] = ['sample_id,benchmark,epoch,score,model_answer,latency_ms,grader\n'];
  const words = ['refusal', 'partial', 'correct', 'incorrect, with "quotes"', 'timeout'];
  for (let i = 0; i < CSV_ROWS; i++) {
    const answer = words[i % words.length]!;
    parts.push(`s-${String(i).padStart(7, '0')},bench-${i % 37},${i % 5},${((i * 7919) % 1000) / 1000},${answer.includes(',') ? `"${answer.replace(/"/g, '""')}"` : answer},${(i * 31) % 9000},grader-v${i % 3}-ok\n`);
    if (parts.length >= 10_000) fs.writeSync(out, parts.splice(0).join(''));
  }
  fs.writeSync(out, parts.join(''));
  fs.closeSync(out);
}

function writeJsonl(file: string): void {
  const out = fs.openSync(file, 'w');
  const filler = 'The model was asked to explain its reasoning step by step before answering the question. ';
  for (let i = 0; i < JSONL_LINES; i++) {
    const line = JSON.stringify({
      id: `t-${i}`,
      benchmark: `agentic-${i % 11}`,
      epoch: i % 3,
      score: (i % 4) / 3,
      messages: [
        { role: 'system', content: filler.repeat(2) },
        { role: 'user', content: `Task ${i}: ${filler.repeat(3)}` },
        { role: 'assistant', content: filler.repeat(4) },
      ],
      metadata: { tokens: 900 + (i % 400), stop: i % 9 === 0 ? 'length' : 'stop', grader: 'model-graded-fact/v2 (rubric 2026-11)' },
    });
    fs.writeSync(out, `${line}\n`);
  }
  fs.closeSync(out);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-bench-viewer-'));
const core = await createAppCore({ dataDir: path.join(root, 'vault'), clock: () => Date.now(), preview: true, appOrigin: 'app://rw' });
try {
  const call = async <T>(channel: string, request: unknown = {}): Promise<T> => {
    const result = await core.router.handle(channel, request, TOP);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  };
  const timed = async <T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> => {
    const t = performance.now();
    const value = await work();
    return { ms: performance.now() - t, value };
  };
  await call('vault.create', { user: 'bench', passphrase: PASSPHRASE });
  const pkg = path.join(root, 'package');
  fs.mkdirSync(path.join(pkg, 'eval'), { recursive: true });
  fs.writeFileSync(
    path.join(pkg, 'submission.json'),
    JSON.stringify({ model: 'Bench', developer: 'Bench Lab', version: '1', submitted_at: '2026-11-28T00:00:00Z', release_date: '2027-01-01', review_deadline: '2026-12-20' }),
  );
  writeCsv(path.join(pkg, 'eval/results.csv'));
  writeJsonl(path.join(pkg, 'eval/transcripts.jsonl'));
  const key = generateKeyPair('ecdsa-p384');
  await signPackage(pkg, key);
  const importStart = performance.now();
  const imported = await importPackageDetailed({ contentDb: requireContentDb(core.sessions.require()), source: pkg, trustedKeys: [publicKeyOf(key)], clock: () => Date.now() });
  const importMs = performance.now() - importStart;
  const artifacts = await call<Array<{ id: string; path: string; size: number }>>('artifacts.list', { caseId: imported.caseId });
  const csv = artifacts.find((a) => a.path === 'eval/results.csv')!;
  const jsonl = artifacts.find((a) => a.path === 'eval/transcripts.jsonl')!;
  console.log(`Large tables (Node ${process.version}, ${os.cpus().length} CPUs): CSV ${(csv.size / MiB).toFixed(1)} MiB / ${CSV_ROWS} rows, JSONL ${(jsonl.size / MiB).toFixed(1)} MiB / ${JSONL_LINES} lines; imported (with row indexes) in ${(importMs / 1000).toFixed(1)} s`);

  type Rows = { totalRows: number; matchedRows: number; rows: Array<{ row: number; cells: string[] }> };
  const firstScreen = (artifactId: string) =>
    timed(async () => {
      await call('artifacts.open', { artifactId });
      return call<Rows>('artifact.rows', { artifactId, offset: 0, limit: PAGE });
    });
  const figures: Record<string, number> = {};
  for (const [label, artifact, lines] of [
    ['csv', csv, CSV_ROWS],
    ['jsonl', jsonl, JSONL_LINES],
  ] as const) {
    const cold = await firstScreen(artifact.id);
    if (cold.value.totalRows !== lines) throw new Error(`${label}: ${cold.value.totalRows} rows, expected ${lines}`);
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) warm.push((await firstScreen(artifact.id)).ms);
    const deep = await timed(() => call<Rows>('artifact.rows', { artifactId: artifact.id, offset: lines - PAGE, limit: PAGE }));
    if (deep.value.rows[PAGE - 1]?.row !== lines) throw new Error(`${label}: the last page does not end at the last row`);
    // A table imported before row indexes existed: the first open scans and stores the index.
    const db = requireContentDb(core.sessions.require());
    db.prepare('DELETE FROM artifact_row_chunks WHERE artifact_id = ?').run([artifact.id]);
    db.prepare('DELETE FROM artifact_row_index WHERE artifact_id = ?').run([artifact.id]);
    core.sessions.lock('manual');
    await call('session.unlock', { user: 'bench', passphrase: PASSPHRASE });
    const unindexed = await firstScreen(artifact.id);
    console.log(
      `  ${label}: first screen ${cold.ms.toFixed(0)} ms after import, then ${median(warm).toFixed(0)} ms; last page ${deep.ms.toFixed(0)} ms; first screen of a table imported without an index ${unindexed.ms.toFixed(0)} ms (scan and store)`,
    );
    figures[`${label}_first_screen_ms`] = cold.ms;
    figures[`${label}_warm_ms`] = median(warm);
    figures[`${label}_unindexed_ms`] = unindexed.ms;
  }
  const sort = await timed(() => call<Rows>('artifact.rows', { artifactId: csv.id, offset: 0, limit: PAGE, sort: { column: 4, direction: 'asc' } }));
  const sortNumeric = await timed(() => call<Rows>('artifact.rows', { artifactId: csv.id, offset: 0, limit: PAGE, sort: { column: 3, direction: 'desc' } }));
  const sortedAgain = await timed(() => call<Rows>('artifact.rows', { artifactId: csv.id, offset: 150_000, limit: PAGE, sort: { column: 4, direction: 'asc' } }));
  const filter = await timed(() => call<Rows>('artifact.rows', { artifactId: csv.id, offset: 0, limit: PAGE, filter: { text: 'timeout' } }));
  const jsonlSort = await timed(() => call<Rows>('artifact.rows', { artifactId: jsonl.id, offset: 0, limit: PAGE, sort: { column: 1, direction: 'desc' } }));
  console.log(`  CSV sort over ${CSV_ROWS} rows: by text ${sort.ms.toFixed(0)} ms, by number ${sortNumeric.ms.toFixed(0)} ms; a page deep in that order afterwards ${sortedAgain.ms.toFixed(0)} ms`);
  console.log(`  CSV filter (any column) ${filter.ms.toFixed(0)} ms, ${filter.value.matchedRows} rows match; JSONL sort ${jsonlSort.ms.toFixed(0)} ms`);
  printJsonResult('viewer', {
    csv_rows: CSV_ROWS,
    csv_first_screen_ms: figures['csv_first_screen_ms']!,
    jsonl_first_screen_ms: figures['jsonl_first_screen_ms']!,
    sort_ms: sort.ms,
    csv_warm_ms: figures['csv_warm_ms']!,
    jsonl_warm_ms: figures['jsonl_warm_ms']!,
    filter_ms: filter.ms,
    csv_unindexed_ms: figures['csv_unindexed_ms']!,
    jsonl_unindexed_ms: figures['jsonl_unindexed_ms']!,
  });
} finally {
  await core.close();
  fs.rmSync(root, { recursive: true, force: true });
}
