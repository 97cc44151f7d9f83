/**
 * Forensic watermark benchmark (DESIGN.md §7 lists the prototype's figures to beat).
 *
 *   npm run bench -- watermark [--samples N] [--negatives M] [--windows K] [--runs R] [--workers W] [--seed S]
 *                              [--backgrounds light,dark,…] [--distortions lossless,…] [--cache DIR] [--failures] [--json]
 *
 * The corpus is generated here, deterministically from the seed: pages (1000×1300) in five
 * backgrounds — light text on white, dark theme (#1e1e1e, light text), saturated colour themes,
 * photograph-like images and plain mid grey — each composited with the overlay of a random session
 * code exactly as Chromium composites it (tests/helpers/image-helpers.ts), then put through each
 * distortion: lossless, JPEG q50, rescale 0.5-1.5, crop 25 %, crop 25 % + rescale 0.6 + JPEG q60, and
 * simulated phone photos (tilt ±4°, soft focus, dim, gamma, noise, moiré, JPEG 70; with and without
 * keystone). M unmarked images (same backgrounds and distortions) and K small unmarked windows
 * (96-160 px crops of every background, a third through JPEG: 1 000 by default) count false decodes.
 *
 * Per background and distortion it prints the success rate, wrong codes and the decode time, and the
 * contrast the overlay makes on that background (ΔE*ab between the two cell kinds, luma step in grey
 * levels). With --runs R the whole corpus is generated R times from seeds S, S+1, … and each rate is
 * stated as the median of the runs with its spread (min-max): the rates of one run of a few samples per
 * cell are too coarse to tell 90 % from 100 %. --backgrounds / --distortions restrict the marked corpus
 * (names as printed; the clean images are always all of them). --json prints one JSON document instead
 * of the table. Figures, not assertions.
 *
 * Iterating on the photo path: generating a simulated phone photo costs about as much as decoding it,
 * so --cache DIR keeps every generated image (not the small windows) there, named by the sample and a
 * digest of the generating sources, and later runs read them back; with a small fixed-seed subset, e.g.
 * `--distortions 'phone photo' --backgrounds light,photo --samples 6 --negatives 0 --windows 0`,
 * a change to the decoder is measured in minutes. --failures lists the marked samples not read (seed,
 * background, distortion, what was found), so the same ones can be looked at again.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { decodeWatermark } from '../src-shared/watermark/decoder';
import { CELL_STEP_RGB, DARK_PIXEL, LIGHT_PIXEL, MAX_LUMA_STEP, renderWatermark, type RgbaImage } from '../src-shared/watermark/pattern';
import { sessionCodeToHex } from '../src-shared/watermark/session-code';
import { mulberry32 } from '../src-shared/watermark/tile-layout';
import { COLOUR_THEMES, DARK_THEME, LIGHT_THEME, TYPICAL_PHOTO, blankImage, compositeOver, crop, jpegRoundTrip, photoLike, resizeBilinear, simulatePhoto, syntheticPage } from '../tests/helpers/image-helpers';
import { deltaE2000, deltaE76, over } from '../tests/helpers/watermark-contrast';

const WIDTH = 1000;
const HEIGHT = 1300;

const BACKGROUNDS = ['light', 'dark', 'colour', 'photo', 'grey'] as const;
type Background = (typeof BACKGROUNDS)[number];
const DISTORTIONS = ['lossless', 'jpeg q50', 'rescale 0.5-1.5', 'crop 25%', 'crop25+scale0.6+q60', 'phone photo', 'phone photo (no keystone)'] as const;
type Distortion = (typeof DISTORTIONS)[number];

interface Sample {
  background: Background;
  /** 'window': a small unmarked crop, for the false-decode count. */
  distortion: Distortion | 'window';
  seed: number;
  marked: boolean;
  /** Which of the --runs this sample belongs to. */
  run: number;
}

interface Result {
  sample: Sample;
  expected: string | null;
  got: string | null;
  ms: number;
}

function page(background: Background, seed: number, width: number, height: number): RgbaImage {
  switch (background) {
    case 'light':
      return syntheticPage(width, height, seed, LIGHT_THEME);
    case 'dark':
      return syntheticPage(width, height, seed, DARK_THEME);
    case 'colour':
      return syntheticPage(width, height, seed, COLOUR_THEMES[seed % COLOUR_THEMES.length]);
    case 'photo':
      return photoLike(width, height, seed);
    case 'grey':
      return blankImage(width, height, 128);
  }
}

/** The background colour whose contrast is stated (for photos: a mid tone). */
const BACKGROUND_RGB: Record<Background, [number, number, number]> = {
  light: [255, 255, 255],
  dark: [30, 30, 30],
  colour: [200, 30, 40],
  photo: [120, 100, 80],
  grey: [128, 128, 128],
};

/** Windows cut from one 640×640 source page: a new page every WINDOWS_PER_SOURCE windows. */
const WINDOWS_PER_SOURCE = 20;
const windowSources = new Map<string, RgbaImage>();

function smallWindow(s: Sample, random: () => number): RgbaImage {
  const key = `${s.background}:${Math.floor(s.seed / (WINDOWS_PER_SOURCE * BACKGROUNDS.length))}`;
  let src = windowSources.get(key);
  if (!src) {
    windowSources.clear();
    src = page(s.background, s.seed, 640, 640);
    windowSources.set(key, src);
  }
  const size = 96 + Math.floor(random() * 65);
  const img = crop(src, Math.floor(random() * (640 - size)), Math.floor(random() * (640 - size)), size, size);
  return s.seed % 3 === 1 ? jpegRoundTrip(img, 50 + Math.floor(random() * 40)) : img;
}

function makeImage(s: Sample): { img: RgbaImage; code: string | null } {
  const random = mulberry32(s.seed);
  if (s.distortion === 'window') return { img: smallWindow(s, random), code: null };
  const code = Uint8Array.from({ length: 6 }, () => Math.floor(random() * 256));
  const photo = s.distortion.startsWith('phone');
  const w = WIDTH;
  const h = photo ? 1000 : HEIGHT;
  let img = page(s.background, s.seed, w, h);
  if (s.marked) img = compositeOver(img, renderWatermark(code, w, h));
  const cropFrac = (frac: number): RgbaImage => {
    const aspect = 0.5 + random();
    const cw = Math.min(img.width, Math.round(Math.sqrt(frac * img.width * img.height * aspect)));
    const ch = Math.min(img.height, Math.round((frac * img.width * img.height) / cw));
    return crop(img, Math.floor(random() * (img.width - cw)), Math.floor(random() * (img.height - ch)), cw, ch);
  };
  switch (s.distortion) {
    case 'lossless':
      break;
    case 'jpeg q50':
      img = jpegRoundTrip(img, 50);
      break;
    case 'rescale 0.5-1.5':
      img = resizeBilinear(img, 0.5 + random());
      break;
    case 'crop 25%':
      img = cropFrac(0.25);
      break;
    case 'crop25+scale0.6+q60':
      img = jpegRoundTrip(resizeBilinear(cropFrac(0.25), 0.6), 60);
      break;
    case 'phone photo':
    case 'phone photo (no keystone)':
      img = simulatePhoto(img, {
        ...TYPICAL_PHOTO,
        width: 1100,
        height: 900,
        seed: s.seed,
        scale: 0.95 + random() * 0.2,
        tilt: (random() * 2 - 1) * 4,
        keystone: s.distortion === 'phone photo' ? random() * 0.08 : 0,
        blur: 0.8 + random() * 0.8,
        gain: 0.7 + random() * 0.2,
        gamma: 1.1 + random() * 0.3,
        moire: 0.03 + random() * 0.09,
        quality: 70,
      });
      break;
  }
  return { img, code: s.marked ? sessionCodeToHex(code) : null };
}

// ---------------- cache ----------------

/** Sources the generated images depend on: a change to any of them names new cache files. */
const GENERATING_SOURCES = ['bench/watermark.ts', 'tests/helpers/image-helpers.ts', 'src-shared/watermark/pattern.ts', 'src-shared/watermark/tile-layout.ts', 'src-shared/watermark/session-code.ts'];

function sourcesDigest(): string {
  const hash = createHash('sha256');
  for (const file of GENERATING_SOURCES) hash.update(readFileSync(file)).update('\u0000');
  return hash.digest('hex').slice(0, 12);
}

/** An image from the cache (8-byte header: width, height; then RGBA), or generated and stored. */
function cachedImage(s: Sample, dir: string, digest: string): { img: RgbaImage; code: string | null } {
  const file = join(dir, `wm-${digest}-${s.background}-${s.distortion.replace(/[^a-z0-9.]+/gi, '_')}-${s.marked ? 'm' : 'c'}-${s.seed}.bin`);
  const codeFile = `${file}.code`;
  if (existsSync(file) && existsSync(codeFile)) {
    const buf = readFileSync(file);
    const width = buf.readUInt32LE(0);
    const height = buf.readUInt32LE(4);
    const code = readFileSync(codeFile, 'utf8');
    return { img: { width, height, data: new Uint8ClampedArray(buf.buffer, buf.byteOffset + 8, width * height * 4) }, code: code === '' ? null : code };
  }
  const made = makeImage(s);
  const header = Buffer.alloc(8);
  header.writeUInt32LE(made.img.width, 0);
  header.writeUInt32LE(made.img.height, 4);
  // Written under a temporary name and renamed: a run stopped midway leaves no truncated image.
  writeFileSync(`${file}.tmp`, Buffer.concat([header, Buffer.from(made.img.data.buffer, made.img.data.byteOffset, made.img.data.byteLength)]));
  writeFileSync(codeFile, made.code ?? '');
  renameSync(`${file}.tmp`, file);
  return made;
}

// ---------------- worker ----------------

if (!isMainThread) {
  const { samples, cacheDir, digest } = workerData as { samples: Sample[]; cacheDir: string | null; digest: string };
  for (const sample of samples) {
    const { img, code } = cacheDir && sample.distortion !== 'window' ? cachedImage(sample, cacheDir, digest) : makeImage(sample);
    const started = performance.now();
    const found = decodeWatermark(img);
    const result: Result = { sample, expected: code, got: found?.code ?? null, ms: performance.now() - started };
    parentPort?.postMessage(result);
  }
}

// ---------------- main ----------------

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} needs a number`);
  return v;
}

function listOption<T extends string>(name: string, all: readonly T[]): T[] {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return [...all];
  const wanted = (process.argv[i + 1] ?? '').split(',').map((v) => v.trim());
  const unknown = wanted.filter((v) => !all.includes(v as T));
  if (unknown.length) throw new Error(`--${name}: unknown ${unknown.join(', ')} (known: ${all.join(', ')})`);
  return wanted as T[];
}

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? (v[mid] ?? 0) : ((v[mid - 1] ?? 0) + (v[mid] ?? 0)) / 2;
}

const pct = (x: number): number => Math.round(x * 1000) / 10;

interface CellStats {
  n: number;
  decoded: number;
  wrong: number;
  /** Success rate over all runs pooled, %. */
  rate: number;
  /** Per run: success rate, %; then their median and spread. */
  runRates: number[];
  medianRate: number;
  minRate: number;
  maxRate: number;
  /** Decode time, ms: median of the runs' medians, with the runs' min-max of that median, and p95 pooled. */
  medianMs: number;
  msSpread: [number, number];
  p95Ms: number;
}

function cellStats(rs: Result[], runs: number): CellStats {
  const byRun = Array.from({ length: runs }, (_, run) => rs.filter((r) => r.sample.run === run));
  const rateOf = (xs: Result[]) => (xs.length ? xs.filter((r) => r.expected !== null && r.got === r.expected).length / xs.length : 0);
  const runRates = byRun.map((xs) => pct(rateOf(xs)));
  const runMs = byRun.filter((xs) => xs.length).map((xs) => median(xs.map((r) => r.ms)));
  const times = rs.map((r) => r.ms).sort((a, b) => a - b);
  const decoded = rs.filter((r) => r.expected !== null && r.got === r.expected).length;
  return {
    n: rs.length,
    decoded,
    wrong: rs.filter((r) => r.got !== null && r.got !== r.expected).length,
    rate: pct(rateOf(rs)),
    runRates,
    medianRate: median(runRates),
    minRate: Math.min(...runRates),
    maxRate: Math.max(...runRates),
    medianMs: Math.round(median(runMs)),
    msSpread: [Math.round(Math.min(...runMs)), Math.round(Math.max(...runMs))],
    p95Ms: Math.round(times[Math.floor(times.length * 0.95)] ?? 0),
  };
}

function runWorkers(samples: Sample[], workers: number, progress: boolean, cacheDir: string | null): Promise<Result[]> {
  const digest = sourcesDigest();
  const parts: Sample[][] = Array.from({ length: workers }, () => []);
  samples.forEach((s, i) => parts[i % workers]?.push(s));
  const results: Result[] = [];
  return Promise.all(
    parts.map(
      (part) =>
        new Promise<void>((resolvePromise, reject) => {
          // Workers do not inherit tsx's loader: register it, then load this file as the worker body.
          const bootstrap = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
          const worker = new Worker(bootstrap, { eval: true, workerData: { samples: part, cacheDir, digest } });
          worker.on('message', (r: Result) => {
            results.push(r);
            if (progress && results.length % 50 === 0) process.stderr.write(`  ${results.length}/${samples.length} decoded\n`);
          });
          worker.on('error', reject);
          worker.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`worker exited ${code}`))));
        }),
    ),
  ).then(() => results);
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const n = option('samples', 10);
  const negatives = option('negatives', 100);
  const windows = option('windows', 1000);
  const runs = Math.max(1, option('runs', 1));
  const workers = Math.max(1, option('workers', availableParallelism()));
  const seed = option('seed', 2026);
  const backgrounds = listOption('backgrounds', BACKGROUNDS);
  const distortions = listOption('distortions', DISTORTIONS);
  const cacheAt = process.argv.indexOf('--cache');
  const cacheDir = cacheAt >= 0 ? (process.argv[cacheAt + 1] ?? '') : null;
  if (cacheDir === '' || cacheDir?.startsWith('--')) throw new Error('--cache needs a folder');
  if (cacheDir) mkdirSync(cacheDir, { recursive: true });
  const samples: Sample[] = [];
  for (let run = 0; run < runs; run++) {
    let k = (seed + run) * 100_000;
    for (const background of BACKGROUNDS)
      for (const distortion of DISTORTIONS)
        for (let i = 0; i < n; i++, k++) if (backgrounds.includes(background) && distortions.includes(distortion)) samples.push({ background, distortion, seed: k, marked: true, run });
    for (let i = 0; i < negatives; i++) samples.push({ background: BACKGROUNDS[i % BACKGROUNDS.length] as Background, distortion: DISTORTIONS[i % DISTORTIONS.length] as Distortion, seed: k++, marked: false, run });
    for (let i = 0; i < windows; i++) samples.push({ background: BACKGROUNDS[i % BACKGROUNDS.length] as Background, distortion: 'window', seed: k++, marked: false, run });
  }
  const t0 = performance.now();
  const results = await runWorkers(samples, workers, !json, cacheDir);
  const wall = (performance.now() - t0) / 1000;
  const marked = results.filter((r) => r.sample.marked);
  const cleanStats = (rs: Result[]) => ({ n: rs.length, falseDecodes: rs.filter((r) => r.got !== null).length, medianMs: Math.round(median(rs.map((r) => r.ms))) });
  const report = {
    bench: 'watermark',
    samplesPerCell: n,
    runs,
    workers,
    wallSeconds: Math.round(wall * 10) / 10,
    cellStepRgb: [...CELL_STEP_RGB],
    lumaStep: Math.round(MAX_LUMA_STEP * 100) / 100,
    backgrounds: Object.fromEntries(
      backgrounds.map((b) => {
        const dark = over(BACKGROUND_RGB[b], DARK_PIXEL);
        const light = over(BACKGROUND_RGB[b], LIGHT_PIXEL);
        return [
          b,
          {
            deltaE76: Math.round(deltaE76(dark, light) * 100) / 100,
            deltaE2000: Math.round(deltaE2000(dark, light) * 100) / 100,
            distortions: Object.fromEntries(distortions.map((d) => [d, cellStats(marked.filter((r) => r.sample.background === b && r.sample.distortion === d), runs)])),
          },
        ];
      }),
    ),
    distortions: Object.fromEntries(distortions.map((d) => [d, cellStats(marked.filter((r) => r.sample.distortion === d), runs)])),
    clean: cleanStats(results.filter((r) => !r.sample.marked && r.sample.distortion !== 'window')),
    cleanWindows: cleanStats(results.filter((r) => r.sample.distortion === 'window')),
    ...(process.argv.includes('--failures')
      ? {
          failures: marked
            .filter((r) => r.got !== r.expected)
            .sort((a, b) => a.sample.seed - b.sample.seed)
            .map((r) => ({ seed: r.sample.seed, background: r.sample.background, distortion: r.sample.distortion, expected: r.expected, got: r.got, ms: Math.round(r.ms) })),
        }
      : {}),
  };
  if (json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  console.log(`Overlay step between cell kinds: RGB (${CELL_STEP_RGB.join(', ')})/255, luma ${report.lumaStep} grey levels on every background.`);
  console.log(`${n} samples per cell and run, ${runs} run(s); rate: median % of the runs [min-max], time: median ms.`);
  console.log('');
  console.log(`${'background'.padEnd(11)}${'ΔE76/2000'.padEnd(11)}${distortions.map((d) => d.padEnd(26)).join('')}`);
  for (const b of backgrounds) {
    const row = report.backgrounds[b];
    if (!row) continue;
    const cells = distortions.map((d) => {
      const c = row.distortions[d];
      return c ? `${c.medianRate}% [${c.minRate}-${c.maxRate}]${c.wrong ? ` ${c.wrong}✗` : ''} ${c.medianMs} ms`.padEnd(26) : ''.padEnd(26);
    });
    console.log(`${b.padEnd(11)}${`${row.deltaE76.toFixed(1)}/${row.deltaE2000.toFixed(1)}`.padEnd(11)}${cells.join('')}`);
  }
  console.log(`\nClean pages: ${report.clean.falseDecodes}/${report.clean.n} false decodes (median ${report.clean.medianMs} ms).`);
  console.log(`Clean small windows: ${report.cleanWindows.falseDecodes}/${report.cleanWindows.n} false decodes (median ${report.cleanWindows.medianMs} ms).`);
  console.log(`${results.length} decodes on ${workers} worker(s) in ${wall.toFixed(1)} s wall.`);
  if (report.failures) for (const f of report.failures) console.log(`not read: seed ${f.seed} ${f.background} ${f.distortion}: ${f.got ? `wrong code ${f.got}` : 'nothing'} (${f.ms} ms)`);
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
