/**
 * Forensic watermark benchmark (DESIGN.md §7 lists the prototype's figures to beat).
 *
 *   npm run bench -- watermark [--samples N] [--negatives M] [--workers K] [--seed S] [--json]
 *
 * The corpus is generated here, deterministically from the seed: pages (1000×1300) in five
 * backgrounds — light text on white, dark theme (#1e1e1e, light text), saturated colour themes,
 * photograph-like images and plain mid grey — each composited with the overlay of a random session
 * code exactly as Chromium composites it (tests/helpers/image-helpers.ts), then put through each
 * distortion: lossless, JPEG q50, rescale 0.5-1.5, crop 25 %, crop 25 % + rescale 0.6 + JPEG q60, and
 * simulated phone photos (tilt ±4°, soft focus, dim, gamma, noise, moiré, JPEG 70; with and without
 * keystone). M unmarked images (same backgrounds and distortions) count false decodes.
 *
 * Per background and distortion it prints the success rate, wrong codes and the decode time, and the
 * contrast the overlay makes on that background (ΔE*ab between the two cell kinds, luma step in grey
 * levels). --json prints one JSON document instead of the table. Figures, not assertions.
 */
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { decodeWatermark } from '../src-shared/watermark/decoder';
import { CELL_STEP_RGB, DARK_PIXEL, LIGHT_PIXEL, MAX_LUMA_STEP, renderWatermark, type RgbaImage } from '../src-shared/watermark/pattern';
import { sessionCodeToHex } from '../src-shared/watermark/session-code';
import { mulberry32 } from '../src-shared/watermark/tile-layout';
import { COLOUR_THEMES, DARK_THEME, LIGHT_THEME, TYPICAL_PHOTO, blankImage, compositeOver, crop, jpegRoundTrip, photoLike, resizeBilinear, simulatePhoto, syntheticPage } from '../tests/helpers/image-helpers';
import { deltaE76, over } from '../tests/helpers/watermark-contrast';

const WIDTH = 1000;
const HEIGHT = 1300;

const BACKGROUNDS = ['light', 'dark', 'colour', 'photo', 'grey'] as const;
type Background = (typeof BACKGROUNDS)[number];
const DISTORTIONS = ['lossless', 'jpeg q50', 'rescale 0.5-1.5', 'crop 25%', 'crop25+scale0.6+q60', 'phone photo', 'phone photo, no keystone'] as const;
type Distortion = (typeof DISTORTIONS)[number];

interface Sample {
  background: Background;
  distortion: Distortion;
  seed: number;
  marked: boolean;
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

function makeImage(s: Sample): { img: RgbaImage; code: string | null } {
  const random = mulberry32(s.seed);
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
    case 'phone photo, no keystone':
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

// ---------------- worker ----------------

if (!isMainThread) {
  for (const sample of (workerData as { samples: Sample[] }).samples) {
    const { img, code } = makeImage(sample);
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

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const n = option('samples', 10);
  const negatives = option('negatives', 100);
  const workers = Math.max(1, option('workers', availableParallelism()));
  const seed = option('seed', 2026);
  const samples: Sample[] = [];
  let k = seed * 100_000;
  for (const background of BACKGROUNDS) for (const distortion of DISTORTIONS) for (let i = 0; i < n; i++) samples.push({ background, distortion, seed: k++, marked: true });
  for (let i = 0; i < negatives; i++) samples.push({ background: BACKGROUNDS[i % BACKGROUNDS.length] as Background, distortion: DISTORTIONS[i % DISTORTIONS.length] as Distortion, seed: k++, marked: false });
  const parts: Sample[][] = Array.from({ length: workers }, () => []);
  samples.forEach((s, i) => parts[i % workers]?.push(s));
  const results: Result[] = [];
  const t0 = performance.now();
  await Promise.all(
    parts.map(
      (part) =>
        new Promise<void>((resolvePromise, reject) => {
          // Workers do not inherit tsx's loader: register it, then load this file as the worker body.
          const bootstrap = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
          const worker = new Worker(bootstrap, { eval: true, workerData: { samples: part } });
          worker.on('message', (r: Result) => {
            results.push(r);
            if (!json && results.length % 50 === 0) process.stderr.write(`  ${results.length}/${samples.length} decoded\n`);
          });
          worker.on('error', reject);
          worker.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`worker exited ${code}`))));
        }),
    ),
  );
  const wall = (performance.now() - t0) / 1000;
  const stats = (rs: Result[]) => {
    const times = rs.map((r) => r.ms).sort((a, b) => a - b);
    const decoded = rs.filter((r) => r.expected !== null && r.got === r.expected).length;
    return {
      n: rs.length,
      decoded,
      wrong: rs.filter((r) => r.got !== null && r.got !== r.expected).length,
      rate: rs.length ? decoded / rs.length : 0,
      meanMs: Math.round(times.reduce((a, b) => a + b, 0) / Math.max(1, times.length)),
      p95Ms: Math.round(times[Math.floor(times.length * 0.95)] ?? 0),
    };
  };
  const report = {
    bench: 'watermark',
    samplesPerCell: n,
    workers,
    wallSeconds: Math.round(wall * 10) / 10,
    cellStepRgb: [...CELL_STEP_RGB],
    lumaStep: Math.round(MAX_LUMA_STEP * 100) / 100,
    backgrounds: Object.fromEntries(
      BACKGROUNDS.map((b) => [
        b,
        {
          deltaE76: Math.round(deltaE76(over(BACKGROUND_RGB[b], DARK_PIXEL), over(BACKGROUND_RGB[b], LIGHT_PIXEL)) * 100) / 100,
          distortions: Object.fromEntries(DISTORTIONS.map((d) => [d, stats(results.filter((r) => r.sample.marked && r.sample.background === b && r.sample.distortion === d))])),
        },
      ]),
    ),
    distortions: Object.fromEntries(DISTORTIONS.map((d) => [d, stats(results.filter((r) => r.sample.marked && r.sample.distortion === d))])),
    clean: { n: negatives, falseDecodes: results.filter((r) => !r.sample.marked && r.got !== null).length, meanMs: stats(results.filter((r) => !r.sample.marked)).meanMs },
  };
  if (json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  console.log(`Overlay step between cell kinds: RGB (${CELL_STEP_RGB.join(', ')})/255, luma ${report.lumaStep} grey levels on every background.`);
  console.log('');
  console.log(`${'background'.padEnd(11)}${'ΔE*ab'.padEnd(7)}${DISTORTIONS.map((d) => d.padEnd(26)).join('')}`);
  for (const b of BACKGROUNDS) {
    const row = report.backgrounds[b];
    if (!row) continue;
    const cells = DISTORTIONS.map((d) => {
      const s = row.distortions[d];
      return s ? `${s.decoded}/${s.n}${s.wrong ? ` (${s.wrong} wrong)` : ''} ${s.meanMs} ms`.padEnd(26) : ''.padEnd(26);
    });
    console.log(`${b.padEnd(11)}${row.deltaE76.toFixed(2).padEnd(7)}${cells.join('')}`);
  }
  console.log(`\nClean images: ${report.clean.falseDecodes}/${report.clean.n} false decodes (mean ${report.clean.meanMs} ms).`);
  console.log(`${results.length} decodes on ${workers} worker(s) in ${wall.toFixed(1)} s wall.`);
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
