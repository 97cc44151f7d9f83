/**
 * Forensic watermark benchmark (DESIGN.md §7 lists the prototype's figures to beat).
 *
 *   npx tsx bench/watermark.ts [--samples N] [--negatives M] [--workers K] [--pages P] [--codes C]
 *
 * 1. Real artifacts: Chromium (/usr/bin/chromium, through playwright-core) renders varied
 *    text / table / markdown / code / log pages at 1000×1300 with the overlay composited in the page
 *    (a canvas over everything, filled with createPattern from the tile that pattern.ts renders, as
 *    the app's overlay renderer does), and screenshots them; the same pages are shot without overlay.
 *    The first screenshot is checked against our own model of browser compositing.
 * 2. Per condition, N samples (default 200) are generated from those screenshots with random codes,
 *    crops, scales and JPEG qualities; M (default 1000) unwatermarked samples from the clean shots.
 * 3. Samples are decoded on K worker threads (default: all cores); rates, counts and the time per
 *    decode are printed. Figures, not assertions: the targets are printed next to them.
 */
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { PNG } from 'pngjs';
import { decodeWatermark } from '../src-shared/watermark/decoder';
import { renderWatermarkTile } from '../src-shared/watermark/pattern';
import { mulberry32 } from '../src-shared/watermark/tile-layout';
import { sessionCodeToHex } from '../src-shared/watermark/session-code';
import { decodeImageBytes, encodeJpeg } from '../src-main/controls/watermark-files';
import { compositeOver, crop, resizeBilinear } from '../tests/helpers/image-helpers';
import type { RgbaImage } from '../src-shared/watermark/pattern';

const WIDTH = 1000;
const HEIGHT = 1300;

type Condition = 'lossless' | 'jpeg q50-95' | 'rescale 0.5-2' | 'crop 25%' | 'crop25+scale0.6+q60' | 'unwatermarked';

interface Sample {
  condition: Condition;
  shot: number;
  clean: boolean;
  cropFrac: number | null;
  cropAspect: number;
  cropX: number;
  cropY: number;
  scale: number | null;
  quality: number | null;
}

interface Shot {
  code: string | null;
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

interface Result {
  condition: Condition;
  expected: string | null;
  got: string | null;
  ms: number;
  size: [number, number];
}

// ---------------- page generation ----------------

const VOCAB = (
  'model evaluation capability benchmark refusal harmful request dataset accuracy reviewer finding ' +
  'risk mitigation training compute parameters context window system card release deployment ' +
  'uplift biology chemistry cyber autonomy red team elicitation jailbreak robustness threshold ' +
  'the of and to in for with on by as is are was were be this that these those we our results ' +
  'table figure appendix section score percent baseline comparison significant interval sample ' +
  'policy safeguards monitoring incident report frontier government voluntary confidential'
).split(' ');

function sentence(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(VOCAB[Math.floor(random() * VOCAB.length)] as string);
  const s = out.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1) + '.';
}

function paragraph(random: () => number): string {
  const n = 3 + Math.floor(random() * 5);
  return Array.from({ length: n }, () => sentence(random, 6 + Math.floor(random() * 14))).join(' ');
}

function pageHtml(kind: number, seed: number): string {
  const r = mulberry32(seed);
  const fonts = ['Georgia, serif', 'Helvetica, Arial, sans-serif', '"DejaVu Sans", sans-serif', '"Times New Roman", serif'];
  const font = fonts[kind % fonts.length] as string;
  const size = 13 + (kind % 4);
  let body = '';
  const h = (level: number) => `<h${level}>${sentence(r, 3 + Math.floor(r() * 5)).replace('.', '')}</h${level}>`;
  const table = () => {
    const cols = 3 + Math.floor(r() * 4);
    let t = '<table><tr>' + Array.from({ length: cols }, () => `<th>${VOCAB[Math.floor(r() * VOCAB.length)]}</th>`).join('') + '</tr>';
    for (let i = 0; i < 5 + Math.floor(r() * 10); i++)
      t += '<tr>' + Array.from({ length: cols }, (_, c) => `<td>${c === 0 ? VOCAB[Math.floor(r() * VOCAB.length)] : (r() * 100).toFixed(1) + '%'}</td>`).join('') + '</tr>';
    return t + '</table>';
  };
  const code = () => {
    let c = '<pre><code>';
    for (let i = 0; i < 4 + Math.floor(r() * 8); i++) c += `${'  '.repeat(Math.floor(r() * 3))}${VOCAB[Math.floor(r() * VOCAB.length)]}_${Math.floor(r() * 99)} = evaluate("${VOCAB[Math.floor(r() * VOCAB.length)]}", n=${Math.floor(r() * 1000)})\n`;
    return c + '</code></pre>';
  };
  const list = () => '<ul>' + Array.from({ length: 3 + Math.floor(r() * 4) }, () => `<li>${sentence(r, 5 + Math.floor(r() * 10))}</li>`).join('') + '</ul>';
  const log = () => {
    let l = '<pre class="log">';
    for (let i = 0; i < 60; i++) l += `2026-11-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}T${String(Math.floor(r() * 24)).padStart(2, '0')}:${String(Math.floor(r() * 60)).padStart(2, '0')}Z step=${Math.floor(r() * 9999)} ${sentence(r, 4 + Math.floor(r() * 6))}\n`;
    return l + '</pre>';
  };
  body += h(1);
  while (body.length < 9000) {
    const pick = r();
    if (kind === 4) body += log();
    else if (kind === 2 && pick < 0.4) body += table();
    else if (pick < 0.12) body += h(2);
    else if (pick < 0.2) body += table();
    else if (pick < 0.3) body += code();
    else if (pick < 0.4) body += list();
    else if (pick < 0.45) body += `<blockquote>${paragraph(r)}</blockquote>`;
    else body += `<p>${paragraph(r)}</p>`;
  }
  const columns = kind === 5 ? 'column-count: 2; column-gap: 32px;' : '';
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    html, body { margin: 0; background: #fff; color: #1f2328; }
    body { font: ${size}px/1.5 ${font}; padding: 24px 40px; ${columns} }
    table { border-collapse: collapse; margin: 8px 0; } th, td { border: 1px solid #d0d7de; padding: 4px 10px; }
    tr:nth-child(even) { background: #f6f8fa; } th { background: #eaeef2; }
    pre { background: #f6f8fa; padding: 10px; font: 12px/1.45 "DejaVu Sans Mono", monospace; border-radius: 6px; }
    pre.log { background: #fff; font-size: 11px; }
    blockquote { border-left: 4px solid #d0d7de; margin: 0; padding: 0 12px; color: #59636e; }
  </style></head><body>${body}</body></html>`;
}

/** What the app's overlay renderer does: one tile in ImageData → pattern → fill the whole window. */
const OVERLAY_SCRIPT = `(tile) => {
  const c = document.createElement('canvas');
  c.width = ${WIDTH}; c.height = ${HEIGHT};
  c.style.cssText = 'position:fixed;left:0;top:0;width:${WIDTH}px;height:${HEIGHT}px;pointer-events:none;z-index:2147483647';
  const t = document.createElement('canvas');
  t.width = tile.width; t.height = tile.height;
  t.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(tile.data), tile.width, tile.height), 0, 0);
  const ctx = c.getContext('2d');
  ctx.fillStyle = ctx.createPattern(t, 'repeat');
  ctx.fillRect(0, 0, c.width, c.height);
  document.body.appendChild(c);
}`;

async function renderShots(pages: number, codesPerPage: number, random: () => number): Promise<{ marked: Shot[]; clean: Shot[]; compositeCheck: string }> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const marked: Shot[] = [];
  const clean: Shot[] = [];
  let compositeCheck = '';
  try {
    const context = await browser.newContext({ viewport: { width: WIDTH, height: HEIGHT }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    for (let p = 0; p < pages; p++) {
      await page.setContent(pageHtml(p % 6, 1000 + p));
      const shoot = async (): Promise<RgbaImage> => {
        const png = PNG.sync.read(await page.screenshot({ type: 'png' }));
        return { width: png.width, height: png.height, data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
      };
      const cleanShot = await shoot();
      clean.push({ code: null, ...cleanShot });
      for (let c = 0; c < codesPerPage; c++) {
        const code = Uint8Array.from({ length: 6 }, () => Math.floor(random() * 256));
        const tile = renderWatermarkTile(code);
        await page.evaluate(`document.querySelectorAll('canvas').forEach((c) => c.remove())`);
        await page.evaluate(`(${OVERLAY_SCRIPT})(${JSON.stringify({ width: tile.width, height: tile.height, data: Array.from(tile.data) })})`);
        const shot = await shoot();
        marked.push({ code: sessionCodeToHex(code), ...shot });
        if (!compositeCheck) {
          // How close is Chromium's compositing to our model (tests composite with the model)?
          const { renderWatermark } = await import('../src-shared/watermark/pattern');
          const model = compositeOver(cleanShot, renderWatermark(code, WIDTH, HEIGHT));
          let maxDiff = 0;
          let differing = 0;
          for (let i = 0; i < model.data.length; i++) {
            const d = Math.abs((model.data[i] ?? 0) - (shot.data[i] ?? 0));
            if (d > 0) differing++;
            maxDiff = Math.max(maxDiff, d);
          }
          compositeCheck = `Chromium vs compositing model: max channel difference ${maxDiff}/255, ${((100 * differing) / model.data.length).toFixed(3)} % of channel values differ`;
        }
      }
    }
  } finally {
    await browser.close();
  }
  return { marked, clean, compositeCheck };
}

// ---------------- samples ----------------

function makeSamples(n: number, negatives: number, marked: number, clean: number, random: () => number): Sample[] {
  const samples: Sample[] = [];
  const base = (condition: Condition, shot: number, isClean: boolean): Sample => ({
    condition,
    shot,
    clean: isClean,
    cropFrac: null,
    cropAspect: 0.5 + random(),
    cropX: random(),
    cropY: random(),
    scale: null,
    quality: null,
  });
  for (let i = 0; i < n; i++) samples.push(base('lossless', i % marked, false));
  for (let i = 0; i < n; i++) samples.push({ ...base('jpeg q50-95', i % marked, false), quality: 50 + Math.floor(random() * 46) });
  for (let i = 0; i < n; i++) samples.push({ ...base('rescale 0.5-2', i % marked, false), scale: Math.exp(Math.log(0.5) + random() * Math.log(4)) });
  for (let i = 0; i < n; i++) samples.push({ ...base('crop 25%', i % marked, false), cropFrac: 0.25 });
  for (let i = 0; i < n; i++) samples.push({ ...base('crop25+scale0.6+q60', i % marked, false), cropFrac: 0.25, scale: 0.6, quality: 60 });
  for (let i = 0; i < negatives; i++) {
    const s = base('unwatermarked', i % clean, true);
    const kind = i % 5;
    if (kind === 1) s.quality = 50 + Math.floor(random() * 46);
    if (kind === 2) s.scale = Math.exp(Math.log(0.5) + random() * Math.log(4));
    if (kind === 3) s.cropFrac = 0.25;
    if (kind === 4) Object.assign(s, { cropFrac: 0.25, scale: 0.6, quality: 60 });
    samples.push(s);
  }
  return samples;
}

function applySample(shot: Shot, s: Sample): RgbaImage {
  let img: RgbaImage = { width: shot.width, height: shot.height, data: shot.data };
  if (s.cropFrac !== null) {
    // Any crop keeping cropFrac of the area: aspect ratio and position random.
    const area = s.cropFrac * img.width * img.height;
    const w = Math.min(img.width, Math.round(Math.sqrt(area * s.cropAspect)));
    const h = Math.min(img.height, Math.round(area / w));
    img = crop(img, Math.floor(s.cropX * (img.width - w)), Math.floor(s.cropY * (img.height - h)), w, h);
  }
  if (s.scale !== null) img = resizeBilinear(img, s.scale);
  if (s.quality !== null) {
    const decoded = decodeImageBytes(encodeJpeg(img, s.quality));
    img = { width: decoded.width, height: decoded.height, data: new Uint8ClampedArray(decoded.data) };
  }
  return img;
}

// ---------------- worker ----------------

if (!isMainThread) {
  const { shots, samples } = workerData as { shots: Shot[]; samples: Sample[] };
  for (const s of samples) {
    const shot = shots[s.shot] as Shot;
    const img = applySample(shot, s);
    const started = performance.now();
    const found = decodeWatermark(img);
    const ms = performance.now() - started;
    const result: Result = { condition: s.condition, expected: shot.code, got: found?.code ?? null, ms, size: [img.width, img.height] };
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

function shared(shot: Shot): Shot {
  const data = new Uint8ClampedArray(new SharedArrayBuffer(shot.data.byteLength));
  data.set(shot.data);
  return { ...shot, data };
}

async function main(): Promise<void> {
  const n = option('samples', 200);
  const negatives = option('negatives', 1000);
  const workers = Math.max(1, option('workers', availableParallelism()));
  const pages = option('pages', 12);
  const codes = option('codes', 4);
  const random = mulberry32(option('seed', 2026));
  const t0 = performance.now();
  const { marked, clean, compositeCheck } = await renderShots(pages, codes, random);
  console.log(`Rendered ${marked.length} watermarked and ${clean.length} clean ${WIDTH}×${HEIGHT} Chromium screenshots in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
  console.log(compositeCheck);
  const shots = [...marked, ...clean].map(shared);
  const samples = makeSamples(n, negatives, marked.length, clean.length, random).map((s) => (s.clean ? { ...s, shot: s.shot + marked.length } : s));
  // Interleave so each worker gets a mix of conditions.
  const parts: Sample[][] = Array.from({ length: workers }, () => []);
  samples.forEach((s, i) => parts[i % workers]?.push(s));
  const results: Result[] = [];
  const t1 = performance.now();
  let done = 0;
  await Promise.all(
    parts.map(
      (part) =>
        new Promise<void>((resolvePromise, reject) => {
          // Workers do not inherit tsx's loader: register it, then load this file as the worker body.
          const bootstrap = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
          const worker = new Worker(bootstrap, { eval: true, workerData: { shots, samples: part } });
          worker.on('message', (r: Result) => {
            results.push(r);
            done++;
            if (done % 100 === 0) process.stderr.write(`  ${done}/${samples.length} decoded\n`);
          });
          worker.on('error', reject);
          worker.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`worker exited ${code}`))));
        }),
    ),
  );
  const wall = (performance.now() - t1) / 1000;
  const targets: Record<Condition, string> = {
    lossless: '100 %',
    'jpeg q50-95': '≥ 99 %',
    'rescale 0.5-2': '≥ 99 %',
    'crop 25%': '≥ 99 %',
    'crop25+scale0.6+q60': '≥ 95 %',
    unwatermarked: '0 false decodes',
  };
  console.log('');
  console.log('condition                 decoded            wrong code  mean ms  p95 ms  target');
  for (const condition of Object.keys(targets) as Condition[]) {
    const rs = results.filter((r) => r.condition === condition);
    if (rs.length === 0) continue;
    const times = rs.map((r) => r.ms).sort((a, b) => a - b);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    const p95 = times[Math.floor(times.length * 0.95)] ?? 0;
    const right = rs.filter((r) => r.expected !== null && r.got === r.expected).length;
    const wrong = rs.filter((r) => r.got !== null && r.got !== r.expected).length;
    const rate = condition === 'unwatermarked' ? `${wrong}/${rs.length} false` : `${right}/${rs.length} (${((100 * right) / rs.length).toFixed(1)} %)`;
    console.log(
      `${condition.padEnd(25)} ${rate.padEnd(18)} ${String(condition === 'unwatermarked' ? '-' : wrong).padEnd(11)} ${mean.toFixed(0).padStart(7)} ${p95.toFixed(0).padStart(7)}  ${targets[condition]}`,
    );
  }
  console.log(`\n${results.length} decodes on ${workers} worker(s) in ${wall.toFixed(1)} s wall.`);
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
