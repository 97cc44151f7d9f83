/**
 * Search: index throughput, query latency and index size.
 * Run: npm run bench -- search [--mb 200] [--one-thread] [--json]
 *
 * Generates a mixed corpus (default 200 MB of text: logs, Markdown, CSV, JSON Lines, JSON and a share
 * of PDFs; words drawn Zipf-like from a 30 000-word vocabulary, with identifiers, hashes and numbers)
 * and stores it as artifact chunks in a fresh SQLCipher content.db. Then, in the same run:
 *   ours     indexCaseArtifacts, as the importer calls it: chunks read back and decrypted, decoded,
 *            PDFs parsed by pdf.js, cut into units, identifiers extracted, then the units table,
 *            the word index and the identifier (trigram) index written. At this size the reading
 *            (pdf.js, cutting, identifiers) runs on the extraction thread while this thread reads the
 *            chunks and writes (extract-thread.ts), so the wall time is about the slower of the two
 *            stages on two cores, and the CPU time counts both threads (and the thread's start, which
 *            from the TypeScript sources includes compiling them: about 1 s);
 *   one-thread (--one-thread) the same indexing with everything on this thread, into a copy of the
 *            stored corpus: the thread's gain in the same run (ratio_one_thread is the ratio without it);
 *   raw      THE baseline of the ours/raw ratio: the same unit texts (collected beforehand, outside
 *            the timing) inserted into ONE bare FTS5 table (unicode61, diacritics removed, no prefix
 *            index, FTS5's default settings), one INSERT per unit, one transaction, same driver,
 *            cipher and pragmas (page cache as the app sets it). It stores the text once (FTS5's own
 *            content table), as ours does;
 *   raw-2    a second raw figure, printed beside the goal's (not replacing it): the issue asks for two
 *            tokenizers, so the same unit texts into a bare unicode61 table AND the same identifier
 *            lists our trigram index holds (extracted beforehand) into a bare trigram table, FTS5
 *            defaults, each table storing its own text. Not the full text into trigram: the product
 *            does not do that (identifiers.ts says why), and such a baseline would flatter the ratio;
 *   same-fts the same texts into the same two FTS5 indexes as ours (word index with its prefixes,
 *            trigram over the identifiers, extracted beforehand), no units table: not the goal's
 *            baseline, printed so the cost of the pipeline (reading, cutting, units table, JS) can
 *            be told from the cost of the second index the design needs for identifiers;
 *   writes   the same texts through our unit writer (units + both indexes + identifier
 *            extraction), with no reading or cutting.
 * Wall time is what the ratio uses; CPU time (this process) is printed beside it because the bench
 * machine is shared and wall time is noisy under load. What bounds the ratio: raw does one thing (one
 * FTS5 table) on one thread; ours on its writing thread still does what raw does plus the 3-character
 * prefix index, the kind/case tags, the trigram index and the units table the hits open from (together
 * ~1.7x raw in CPU), so even with all reading on an idle second core the wall ratio stays near 0.5-0.6.
 * On a shared machine the scheduler shares the cores between sessions (autogroup), so the bench's
 * process gets no more CPU for a second thread: there the wall ratio follows the CPU ratio. Then p50/p95 of 100 queries (words, phrases,
 * prefixes, identifiers, substrings, exclusions, filters; goal p95 <= 50 ms) and the index size
 * against the text size. --mb N sets the corpus size (default 200). With --json the last line is one
 * JSON object {"bench":"search",...}. Figures only, no assertions.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Database } from '@signalapp/sqlcipher';
import { randomBytes } from '../src-shared/node/crypto';
import { openEncryptedDb } from '../src-main/vault/encrypted-db';
import { runMigrations } from '../src-main/vault/migrations';
import { ARTIFACT_CHUNK_SIZE, CONTENT_MIGRATIONS } from '../src-main/vault/content-schema';
import { CONTENT_CACHE_KIB } from '../src-main/vault/encrypted-db';
import { createIndexers, indexerFor, type ArtifactBytes, type ArtifactInfo } from '../src-main/search/artifact-indexers';
import { indexCaseArtifacts } from '../src-main/search/index-artifacts';
import { RANK_WINDOW, search } from '../src-main/search/search-service';
import { IMPORT_BATCH_UNITS, UnitWriter } from '../src-main/search/search-units';
import { identifiersIn } from '../src-shared/search/identifiers';
import { textPdf } from '../tests/helpers/text-pdf';

const MB = 1_000_000;
const argMb = process.argv.indexOf('--mb');
const totalMb = argMb > 0 ? Number(process.argv[argMb + 1]) : 200;
const asJson = process.argv.includes('--json');
const log = (line: string) => {
  if (!asJson) process.stdout.write(`${line}\n`);
  else process.stderr.write(`${line}\n`);
};

// ---------------------------------------------------------------- corpus

let seed = 0x2545f491;
function rand(): number {
  // xorshift32: fast and reproducible (the corpus is the same every run).
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x100000000;
}
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'zen', 'quo', 'tra', 'bel', 'dor', 'fin', 'gar', 'hux', 'jel', 'pim', 'wex', 'yor', 'é', 'ü'];
const VOCAB = Array.from({ length: 30_000 }, () => {
  const n = 1 + Math.floor(rand() * 4);
  let w = '';
  for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
  return w;
});
// Zipf-like: index = floor(V^u) - 1 favours the head strongly, the tail still appears.
const word = () => VOCAB[Math.min(VOCAB.length - 1, Math.floor(Math.pow(VOCAB.length, rand())) - 1)]!;
const ident = () => `${word()}_${word()}_v${Math.floor(rand() * 20)}`;
const hash = () => Math.floor(rand() * 0xffffffff).toString(16).padStart(8, '0') + Math.floor(rand() * 0xffffffff).toString(16).padStart(8, '0');
function sentence(words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    const r = rand();
    out.push(r < 0.02 ? ident() : r < 0.03 ? hash() : r < 0.06 ? String(Math.floor(rand() * 1000) / 10) : word());
  }
  return out.join(' ');
}

interface Doc {
  path: string;
  mediaType: string;
  bytes: Uint8Array<ArrayBuffer>;
}

const enc = new TextEncoder();
function makeDoc(i: number, target: number): Doc {
  const kind = i % 20;
  const lines: string[] = [];
  let size = 0;
  const push = (line: string) => {
    lines.push(line);
    size += line.length + 1;
  };
  if (kind === 0) {
    // PDF: a smaller share (pdf.js text extraction is the slowest format); ~3 KB of text per page.
    const pages: string[][] = [];
    const pageTarget = Math.min(target, 300_000);
    while (size < pageTarget) {
      const page = Array.from({ length: 40 }, () => sentence(12));
      size += page.reduce((n, l) => n + l.length + 1, 0);
      pages.push(page);
    }
    return { path: `reports/report-${i}.pdf`, mediaType: 'application/pdf', bytes: textPdf(pages) };
  }
  if (kind <= 7) {
    while (size < target) push(`2026-11-${String(1 + (lines.length % 28)).padStart(2, '0')} step=${lines.length} ${sentence(14)}`);
    return { path: `logs/run-${i}.log`, mediaType: 'text/plain', bytes: enc.encode(lines.join('\n')) };
  }
  if (kind <= 11) {
    while (size < target) push(lines.length % 25 === 0 ? `## ${sentence(4)}` : sentence(18));
    return { path: `docs/doc-${i}.md`, mediaType: 'text/markdown', bytes: enc.encode(lines.join('\n')) };
  }
  if (kind <= 15) {
    push('id,task,score,comment');
    while (size < target) push(`${lines.length},${ident()},${(rand() * 100).toFixed(1)},"${sentence(10)}"`);
    return { path: `eval/table-${i}.csv`, mediaType: 'text/csv', bytes: enc.encode(lines.join('\n')) };
  }
  if (kind <= 18) {
    while (size < target) push(JSON.stringify({ id: lines.length, input: sentence(12), output: sentence(16), explanation: sentence(8) }));
    return { path: `eval/samples-${i}.jsonl`, mediaType: 'application/jsonl', bytes: enc.encode(lines.join('\n')) };
  }
  const items: unknown[] = [];
  while (size < target) {
    const item = { name: ident(), notes: sentence(16), score: rand() };
    size += JSON.stringify(item).length;
    items.push(item);
  }
  return { path: `eval/results-${i}.json`, mediaType: 'application/json', bytes: enc.encode(JSON.stringify({ results: items }, null, 2)) };
}

function freshDb(root: string, name: string): Database {
  const dir = fs.mkdtempSync(path.join(root, `${name}-`));
  // Every database of the run (ours, raw and the parts) gets the page cache the app gives content.db.
  const cacheKiB = process.env['RW_BENCH_CACHE_KIB'] ? Number(process.env['RW_BENCH_CACHE_KIB']) : CONTENT_CACHE_KIB;
  const db = openEncryptedDb(path.join(dir, 'content.db'), randomBytes(32), { create: true, cacheKiB });
  runMigrations(db, CONTENT_MIGRATIONS, () => 0);
  return db;
}

function storeCorpus(db: Database, caseId: string): { docs: number; bytes: number } {
  db.prepare("INSERT INTO cases VALUES (?, 'Bench', 'Bench Lab', '1', 's', 'r', 'd', 'p', 'k', 0, '{}')").run([caseId]);
  const art = db.prepare('INSERT INTO artifacts(id, case_id, path, size, sha256, media_type, chunk_count) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const chunk = db.prepare('INSERT INTO artifact_chunks(artifact_id, seq, data) VALUES (?, ?, ?)');
  let bytes = 0;
  let i = 0;
  db.exec('BEGIN');
  while (bytes < totalMb * MB) {
    const doc = makeDoc(i, 500_000 + Math.floor(rand() * 3_000_000));
    const id = `art-${String(i).padStart(32, '0')}`;
    const chunks = Math.ceil(doc.bytes.byteLength / ARTIFACT_CHUNK_SIZE);
    art.run([id, caseId, doc.path, doc.bytes.byteLength, 'x', doc.mediaType, chunks]);
    for (let s = 0; s < chunks; s++) chunk.run([id, s, doc.bytes.subarray(s * ARTIFACT_CHUNK_SIZE, (s + 1) * ARTIFACT_CHUNK_SIZE)]);
    bytes += doc.bytes.byteLength;
    i++;
  }
  db.exec('COMMIT');
  return { docs: i, bytes };
}

function copyCorpus(from: Database, to: Database, caseId: string): void {
  to.exec('BEGIN');
  to.prepare("INSERT INTO cases VALUES (?, 'Bench', 'Bench Lab', '1', 's', 'r', 'd', 'p', 'k', 0, '{}')").run([caseId]);
  const art = to.prepare('INSERT INTO artifacts(id, case_id, path, size, sha256, media_type, chunk_count) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const r of from.prepare('SELECT id, case_id, path, size, sha256, media_type, chunk_count FROM artifacts').all()) art.run([r.id, r.case_id, r.path, r.size, r.sha256, r.media_type, r.chunk_count] as never);
  const chunk = to.prepare('INSERT INTO artifact_chunks(artifact_id, seq, data) VALUES (?, ?, ?)');
  for (const r of from.prepare('SELECT artifact_id, seq, data FROM artifact_chunks').all()) chunk.run([r.artifact_id, r.seq, r.data] as never);
  to.exec('COMMIT');
}

/** The unit texts exactly as the indexers cut them (collected once, outside any timing). */
async function collectUnits(db: Database, caseId: string): Promise<string[]> {
  const indexers = createIndexers();
  const texts: string[] = [];
  const read = db.prepare('SELECT data FROM artifact_chunks WHERE artifact_id = ? ORDER BY seq', { pluck: true });
  for (const row of db.prepare('SELECT id, path, size, media_type FROM artifacts WHERE case_id = ?').all([caseId])) {
    const info: ArtifactInfo = { id: String(row.id), caseId, path: String(row.path), size: Number(row.size), mediaType: String(row.media_type) };
    const chunks = read.all([info.id]) as Uint8Array[];
    const bytes: ArtifactBytes = {
      size: info.size,
      chunks: () => chunks,
      chunk: (index) => chunks[index]!,
      all: () => new Uint8Array(Buffer.concat(chunks)),
    };
    const indexer = indexerFor(indexers, info);
    if (!indexer) continue;
    for await (const unit of indexer.units(bytes, info)) if (unit.text.trim()) texts.push(unit.text.slice(0, 16_384));
  }
  return texts;
}

/** Bytes of an FTS5 index's segments and their b-tree (the driver has no dbstat: the stored blocks are counted). */
function indexBytes(db: Database, table: string): number {
  const data = Number(db.prepare(`SELECT sum(length(block)) AS n FROM ${table}_data`).get()?.n ?? 0);
  const idx = Number(db.prepare(`SELECT sum(length(term) + 16) AS n FROM ${table}_idx`).get()?.n ?? 0);
  const docsize = Number(db.prepare(`SELECT sum(length(sz) + 8) AS n FROM ${table}_docsize`).get()?.n ?? 0);
  return data + idx + docsize;
}

/** CPU seconds this process spent since `start` (user and system). */
function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-bench-search-'));
  try {
    const caseId = `case-${'0'.repeat(32)}`;
    log(`Generating a ${totalMb} MB mixed corpus…`);
    const db = freshDb(root, 'ours');
    const stored = storeCorpus(db, caseId);
    log(`  ${stored.docs} artifacts, ${(stored.bytes / MB).toFixed(1)} MB stored as chunks`);
    const texts = await collectUnits(db, caseId);
    const textBytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
    log(`  ${texts.length} units, ${(textBytes / MB).toFixed(1)} MB of text`);

    // ours: the import's indexing step, in one transaction as in the import.
    let t0 = performance.now();
    let c0 = process.cpuUsage();
    db.exec('BEGIN IMMEDIATE');
    const summary = await indexCaseArtifacts(db, caseId, { indexers: createIndexers(), clock: () => 0, sliceMs: 50 });
    db.exec('COMMIT');
    const oursMs = performance.now() - t0;
    const oursCpu = cpuSince(c0);

    // --one-thread: the same indexing with the extraction thread off (everything on this thread), into a
    // copy of the stored corpus, so the thread's gain is measured in the same run.
    let oneThread: { ms: number; cpu: number } | null = null;
    if (process.argv.includes('--one-thread')) {
      const copy = freshDb(root, 'one-thread');
      copyCorpus(db, copy, caseId);
      t0 = performance.now();
      c0 = process.cpuUsage();
      copy.exec('BEGIN IMMEDIATE');
      await indexCaseArtifacts(copy, caseId, { indexers: createIndexers(), clock: () => 0, sliceMs: 50, threadMinBytes: Infinity });
      copy.exec('COMMIT');
      oneThread = { ms: performance.now() - t0, cpu: cpuSince(c0) };
      copy.close();
    }

    // raw: the same texts into a bare FTS5 table (same tokenizer), one transaction.
    const rawDb = freshDb(root, 'raw');
    rawDb.exec("CREATE VIRTUAL TABLE raw_words USING fts5(body, tokenize='unicode61 remove_diacritics 2')");
    const rawInsert = rawDb.prepare('INSERT INTO raw_words(body) VALUES (?)');
    t0 = performance.now();
    c0 = process.cpuUsage();
    rawDb.exec('BEGIN');
    for (const t of texts) rawInsert.run([t]);
    rawDb.exec('COMMIT');
    const rawMs = performance.now() - t0;
    const rawCpu = cpuSince(c0);
    rawDb.close();

    // raw-2: the same texts into bare tables of both tokenizers the issue asks for (identifiers given).
    const identsList = texts.map((t) => identifiersIn(t));
    const raw2Db = freshDb(root, 'raw2');
    raw2Db.exec("CREATE VIRTUAL TABLE raw_words USING fts5(body, tokenize='unicode61 remove_diacritics 2'); CREATE VIRTUAL TABLE raw_idents USING fts5(idents, tokenize='trigram remove_diacritics 1')");
    const raw2Words = raw2Db.prepare('INSERT INTO raw_words(body) VALUES (?)');
    const raw2Idents = raw2Db.prepare('INSERT INTO raw_idents(idents) VALUES (?)');
    t0 = performance.now();
    c0 = process.cpuUsage();
    raw2Db.exec('BEGIN');
    for (const t of texts) raw2Words.run([t]);
    for (const i of identsList) raw2Idents.run([i]);
    raw2Db.exec('COMMIT');
    const raw2Ms = performance.now() - t0;
    const raw2Cpu = cpuSince(c0);
    raw2Db.close();

    // writes: the same texts through our unit writer (units + word and identifier indexes, identifiers extracted), no reading or cutting.
    const schemaDb = freshDb(root, 'schema');
    schemaDb.prepare("INSERT INTO cases VALUES (?, 'B', 'B', '1', 's', 'r', 'd', 'p', 'k', 0, '{}')").run([caseId]);
    const writer = new UnitWriter(schemaDb, IMPORT_BATCH_UNITS);
    const benchSource = { caseId, kind: 'text', sourceId: 'x', artifactId: null } as const;
    t0 = performance.now();
    schemaDb.exec('BEGIN');
    for (const t of texts) writer.add(benchSource, { text: t });
    writer.flush();
    schemaDb.exec('COMMIT');
    const schemaMs = performance.now() - t0;
    schemaDb.close();

    // Where the time goes: each part of our schema alone, over the same texts (one transaction each).
    const part = (name: string, ddl: string, insert: string, args: (t: string) => string[]): number => {
      const partDb = freshDb(root, name);
      partDb.exec(ddl);
      const stmt = partDb.prepare(insert);
      const start = performance.now();
      partDb.exec('BEGIN');
      for (const t of texts) stmt.run(args(t));
      partDb.exec('COMMIT');
      const ms = performance.now() - start;
      partDb.close();
      return ms;
    };
    const prefixMs = part('prefix', "CREATE VIRTUAL TABLE p USING fts5(body, tokenize='unicode61 remove_diacritics 2', prefix='3')", 'INSERT INTO p(body) VALUES (?)', (t) => [t]);
    const sameFtsDb = freshDb(root, 'same-fts');
    const insertWords = sameFtsDb.prepare('INSERT INTO search_words(rowid, body) VALUES (CAST(? AS INTEGER), ?)');
    const insertIdents = sameFtsDb.prepare('INSERT INTO search_idents(rowid, idents) VALUES (CAST(? AS INTEGER), ?)');
    t0 = performance.now();
    sameFtsDb.exec('BEGIN');
    texts.forEach((t, i) => {
      insertWords.run([i + 1, t]);
      insertIdents.run([i + 1, identsList[i]!]);
    });
    sameFtsDb.exec('COMMIT');
    const sameFtsMs = performance.now() - t0;
    sameFtsDb.close();
    let identAt = 0;
    const trigramMs = part('trigram', "CREATE VIRTUAL TABLE g USING fts5(idents, tokenize='trigram remove_diacritics 1')", 'INSERT INTO g(idents) VALUES (?)', () => [identsList[identAt++ % identsList.length]!]);
    const plainMs = part('plain', 'CREATE TABLE u(id INTEGER PRIMARY KEY, body TEXT, idents TEXT)', 'INSERT INTO u(body, idents) VALUES (?, ?)', (t) => [t, '']);
    let identifyMs = performance.now();
    for (const t of texts) identifiersIn(t);
    identifyMs = performance.now() - identifyMs;

    const mbps = (ms: number) => textBytes / MB / (ms / 1000);
    log(`Index: ours ${mbps(oursMs).toFixed(2)} MB/s of text (${(oursMs / 1000).toFixed(1)} s, ${summary.units} units, ${summary.unreadable} unreadable)`);
    if (oneThread) log(`       ours with everything on one thread ${mbps(oneThread.ms).toFixed(2)} MB/s (${(oneThread.ms / 1000).toFixed(1)} s, CPU ${oneThread.cpu.toFixed(1)} s; ours ${oursCpu.toFixed(1)} s)`);
    log(`       raw FTS5 insert (one bare unicode61 table) ${mbps(rawMs).toFixed(2)} MB/s (${(rawMs / 1000).toFixed(1)} s); ours/raw ${(rawMs / oursMs).toFixed(2)} (goal >= 0.8); in CPU time ${oursCpu.toFixed(1)} s vs ${rawCpu.toFixed(1)} s, ${(rawCpu / oursCpu).toFixed(2)}`);
    log(`       raw-2 (bare unicode61 over the texts + bare trigram over the same identifier lists) ${mbps(raw2Ms).toFixed(2)} MB/s (${(raw2Ms / 1000).toFixed(1)} s); ours/raw-2 ${(raw2Ms / oursMs).toFixed(2)}, in CPU time ${(raw2Cpu / oursCpu).toFixed(2)}`);
    log(`       the same two FTS5 indexes as ours, texts and identifiers given ${mbps(sameFtsMs).toFixed(2)} MB/s (${(sameFtsMs / 1000).toFixed(1)} s); ours/same-fts ${(sameFtsMs / oursMs).toFixed(2)}`);
    log(`       our unit writer without reading or cutting ${mbps(schemaMs).toFixed(2)} MB/s (${(schemaMs / 1000).toFixed(1)} s)`);
    log(`  parts alone: word index with 3-char prefixes ${(prefixMs / 1000).toFixed(1)} s, trigram identifier index ${(trigramMs / 1000).toFixed(1)} s, units table ${(plainMs / 1000).toFixed(1)} s, identifier extraction ${(identifyMs / 1000).toFixed(1)} s; reading and cutting ${((oursMs - schemaMs) / 1000).toFixed(1)} s`);

    // queries: 100, a mix of kinds, first page of 20.
    const pick = () => VOCAB[Math.floor(rand() * 2000)]!;
    const rare = () => VOCAB[20_000 + Math.floor(rand() * 10_000)]!;
    const idents = db.prepare("SELECT idents FROM search_units WHERE idents != '' LIMIT 200", { pluck: true }).all().flatMap((s) => String(s).split(' '));
    const queries: string[] = [];
    for (let i = 0; i < 100; i++) {
      const r = i % 10;
      const id = idents[Math.floor(rand() * idents.length)] ?? 'x_y_v1';
      queries.push(
        r === 0 ? pick()
        : r === 1 ? rare()
        : r === 2 ? `${pick()} ${pick()}`
        : r === 3 ? `"${pick()} ${pick()}"`
        : r === 4 ? `${pick().padEnd(3, 'a').slice(0, 3)}*`
        : r === 5 ? id
        : r === 6 ? `*${id.slice(2, 9)}*`
        : r === 7 ? `${pick()} -${pick()}`
        : r === 8 ? `${rare()} kind:pdf`
        : `${pick()} kind:table`,
      );
    }
    const runQueries = (rankWindow: number) => {
      const times: number[] = [];
      const slow: Array<[number, string]> = [];
      let hits = 0;
      let more = 0;
      // CPU time too: queries run on this thread, and under the shared machine's load a query's wall
      // time is several times its CPU time.
      const cpuTimes: number[] = [];
      for (const q of queries) {
        const start = performance.now();
        const cpuStart = process.cpuUsage();
        const result = search(db, { query: q, limit: 20, rankWindow });
        hits += result.hits.length;
        if (result.more) more++;
        const ms = performance.now() - start;
        cpuTimes.push(cpuSince(cpuStart) * 1000);
        times.push(ms);
        slow.push([ms, q]);
      }
      times.sort((x, y) => x - y);
      cpuTimes.sort((x, y) => x - y);
      slow.sort((x, y) => y[0] - x[0]);
      return { times, slow, hits, more, p50: percentile(times, 50), p95: percentile(times, 95), cpuP50: percentile(cpuTimes, 50), cpuP95: percentile(cpuTimes, 95) };
    };
    // Other window sizes first (they warm the same caches the reported run then finds warm too).
    const byWindow: Record<string, number> = {};
    for (const w of [250, 500, 2000]) byWindow[w] = +runQueries(w).p95.toFixed(2);
    const { times, slow, hits, more, p50, p95, cpuP50, cpuP95 } = runQueries(RANK_WINDOW);
    byWindow[RANK_WINDOW] = +p95.toFixed(2);
    log(`  slowest: ${slow.slice(0, 5).map(([ms, q]) => `${q} (${ms.toFixed(0)} ms)`).join('; ')}`);
    log(`Queries: 100, first page of 20: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms (goal p95 <= 50 ms); ${hits} hits in all, ${more} queries with more (bm25 ranks at most the ${RANK_WINDOW} newest matches)`);
    log(`  in CPU time: p50 ${cpuP50.toFixed(1)} ms, p95 ${cpuP95.toFixed(1)} ms`);
    log(`  p95 by rank window: ${Object.entries(byWindow).map(([w, ms]) => `${w}: ${ms} ms`).join(', ')}`);

    const words = indexBytes(db, 'search_words');
    const identsSize = indexBytes(db, 'search_idents');
    const units = Number(db.prepare('SELECT sum(length(CAST(body AS BLOB)) + length(CAST(idents AS BLOB)) + 32) AS n FROM search_units').get()?.n ?? 0);
    log(`Size: text ${(textBytes / MB).toFixed(1)} MB; word index ${(words / MB).toFixed(1)} MB (${(words / textBytes).toFixed(2)}x), identifier index ${(identsSize / MB).toFixed(1)} MB (${(identsSize / textBytes).toFixed(2)}x), units (text stored once) ${(units / MB).toFixed(1)} MB`);
    db.close();
    if (asJson) {
      process.stdout.write(
        `${JSON.stringify({
          bench: 'search',
          corpus_mb: totalMb,
          artifacts: stored.docs,
          text_mb: +(textBytes / MB).toFixed(2),
          units: summary.units,
          index_mb_s: +mbps(oursMs).toFixed(3),
          raw_fts5_mb_s: +mbps(rawMs).toFixed(3),
          ratio: +(rawMs / oursMs).toFixed(3),
          ratio_cpu: +(rawCpu / oursCpu).toFixed(3),
          ...(oneThread ? { one_thread_mb_s: +mbps(oneThread.ms).toFixed(3), ratio_one_thread: +(rawMs / oneThread.ms).toFixed(3), one_thread_cpu_s: +oneThread.cpu.toFixed(2), ours_cpu_s: +oursCpu.toFixed(2) } : {}),
          raw_two_tokenizers_mb_s: +mbps(raw2Ms).toFixed(3),
          ratio_two_tokenizers: +(raw2Ms / oursMs).toFixed(3),
          ratio_two_tokenizers_cpu: +(raw2Cpu / oursCpu).toFixed(3),
          same_fts_mb_s: +mbps(sameFtsMs).toFixed(3),
          ratio_same_fts: +(sameFtsMs / oursMs).toFixed(3),
          writes_only_mb_s: +mbps(schemaMs).toFixed(3),
          parts_s: { raw_words: +(rawMs / 1000).toFixed(2), words_with_prefix: +(prefixMs / 1000).toFixed(2), trigram_idents: +(trigramMs / 1000).toFixed(2), units_table: +(plainMs / 1000).toFixed(2), identifier_extraction: +(identifyMs / 1000).toFixed(2), reading_and_cutting: +((oursMs - schemaMs) / 1000).toFixed(2) },
          query_p50_ms: +p50.toFixed(2),
          query_p95_ms: +p95.toFixed(2),
          query_p50_cpu_ms: +cpuP50.toFixed(2),
          query_p95_cpu_ms: +cpuP95.toFixed(2),
          queries_with_more: more,
          rank_window: RANK_WINDOW,
          query_p95_ms_by_window: byWindow,
          word_index_mb: +(words / MB).toFixed(2),
          identifier_index_mb: +(identsSize / MB).toFixed(2),
          units_mb: +(units / MB).toFixed(2),
          index_to_text: +((words + identsSize) / textBytes).toFixed(3),
          stored_to_text: +((words + identsSize + units) / textBytes).toFixed(3),
        })}\n`,
      );
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

await main();
