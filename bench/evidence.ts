/**
 * Evidence check throughput and memory. Run: npm run bench -- evidence [--samples 50000] [--json]
 *
 * Generates an Inspect `.eval` log of 50 000 samples twice (entries deflated, as Inspect wrote them
 * until 2026, and Zstandard, its default since), then for each: checks it in a child process (every
 * entry read, CRC-checked, parsed, every headline metric recomputed) and reports samples/s, MB/s of
 * the file and of the JSON, and the child's peak RSS (goal <= 400 MiB); and measures, in the same run,
 * the raw limit: decompressing the same entries and JSON.parse of each, nothing else. Ratio = check
 * throughput / raw throughput (goal >= 0.7). With --json the last line is one JSON object.
 * Figures only, no assertions.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { checkEvidenceLog } from '../src-main/evidence/check-log';
import { EvalArchive, METHOD_DEFLATE, METHOD_ZSTD } from '../src-main/evidence/eval-archive';
import { openFileSource } from '../src-main/evidence/log-source';
import { decompressZstd } from '../src-main/evidence/zstd';
import { generateEvalLog } from '../tests/helpers/inspect-log-gen';

const MB = 1e6;
const MiB = 1024 * 1024;
const argv = process.argv.slice(2);
const json = argv.includes('--json');
const samplesArg = argv.indexOf('--samples');
const SAMPLES = samplesArg >= 0 ? Number(argv[samplesArg + 1]) : 50_000;

/**
 * This process's own peak resident set. getrusage's maxRSS is no good in a spawned child: Linux carries
 * the peak across exec, so it reports the parent's peak at the fork (the bench holds the generated log).
 * VmHWM belongs to the address space the exec made.
 */
function peakRssKiB(): number {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  if (!hwm) throw new Error('no VmHWM in /proc/self/status: cannot measure peak RSS here');
  return Number(hwm[1]);
}

async function child(file: string): Promise<void> {
  const start = performance.now();
  const { report, rows } = await checkEvidenceLog(await openFileSource(file));
  // checkEvidenceLog closes the source it was given.
  const seconds = (performance.now() - start) / 1000;
  process.stdout.write(JSON.stringify({ seconds, status: report.status, rows: rows.length, maxRssKiB: peakRssKiB() }) + '\n');
}

/** Decompress + JSON.parse of every entry the checker reads, directly from the file bytes. */
async function raw(file: string): Promise<{ seconds: number; jsonBytes: number }> {
  const source = await openFileSource(file);
  const archive = await EvalArchive.open(source);
  await source.close();
  const fd = fs.openSync(file, 'r');
  const decoder = new TextDecoder();
  let jsonBytes = 0;
  const start = performance.now();
  try {
    for (const entry of archive.entries.values()) {
      const header = Buffer.alloc(30);
      fs.readSync(fd, header, 0, 30, entry.localHeaderOffset);
      const dataAt = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      const compressed = Buffer.allocUnsafe(entry.compressedSize);
      fs.readSync(fd, compressed, 0, entry.compressedSize, dataAt);
      const data = entry.method === METHOD_DEFLATE ? zlib.inflateRawSync(compressed) : entry.method === METHOD_ZSTD ? decompressZstd(compressed, entry.size) : compressed;
      JSON.parse(decoder.decode(data));
      jsonBytes += data.length;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { seconds: (performance.now() - start) / 1000, jsonBytes };
}

interface Figures {
  method: string;
  samples: number;
  fileBytes: number;
  jsonBytes: number;
  checkSeconds: number;
  rawSeconds: number;
  samplesPerSecond: number;
  fileMBps: number;
  jsonMBps: number;
  rawJsonMBps: number;
  ratio: number;
  peakRssMiB: number;
  status: string;
}

async function measure(method: 'deflate' | 'zstd', dir: string): Promise<Figures> {
  const file = path.join(dir, `bench-${method}.eval`);
  const t0 = performance.now();
  fs.writeFileSync(file, generateEvalLog({ samples: SAMPLES, method }));
  const genSeconds = (performance.now() - t0) / 1000;
  const fileBytes = fs.statSync(file).size;
  if (!json) console.log(`${method}: generated ${SAMPLES} samples, ${(fileBytes / MiB).toFixed(1)} MiB in ${genSeconds.toFixed(1)} s`);
  // Raw limit half before and half after the check, as the import bench does: the machine is shared.
  const rawBefore = await raw(file);
  const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, '--child', file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
  const c = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { seconds: number; status: string; rows: number; maxRssKiB: number };
  const rawAfter = await raw(file);
  const rawSeconds = (rawBefore.seconds + rawAfter.seconds) / 2;
  const jsonBytes = rawBefore.jsonBytes;
  return {
    method,
    samples: c.rows,
    fileBytes,
    jsonBytes,
    checkSeconds: c.seconds,
    rawSeconds,
    samplesPerSecond: c.rows / c.seconds,
    fileMBps: fileBytes / MB / c.seconds,
    jsonMBps: jsonBytes / MB / c.seconds,
    rawJsonMBps: jsonBytes / MB / rawSeconds,
    ratio: rawSeconds / c.seconds,
    peakRssMiB: (c.maxRssKiB * 1024) / MiB,
    status: c.status,
  };
}

async function main(): Promise<void> {
  const childAt = argv.indexOf('--child');
  if (childAt >= 0) return child(argv[childAt + 1]!);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-bench-evidence-'));
  try {
    const results: Figures[] = [];
    for (const method of ['deflate', 'zstd'] as const) {
      const f = await measure(method, dir);
      results.push(f);
      if (!json) {
        console.log(
          `${method}: checked ${f.samples} samples in ${f.checkSeconds.toFixed(2)} s (${f.status}): ${Math.round(f.samplesPerSecond)} samples/s, ` +
            `${f.fileMBps.toFixed(1)} MB/s of file, ${f.jsonMBps.toFixed(1)} MB/s of JSON; raw decompress + JSON.parse ${f.rawJsonMBps.toFixed(1)} MB/s; ` +
            `ratio ${f.ratio.toFixed(2)} (goal >= 0.7); peak RSS ${f.peakRssMiB.toFixed(0)} MiB (goal <= 400)`,
        );
      }
    }
    if (json) console.log(JSON.stringify({ bench: 'evidence', samples: SAMPLES, results }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
