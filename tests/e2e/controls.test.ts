/**
 * Insider-risk controls end to end (issue 6), in Chromium on the real built renderer and the real
 * router, vault and access log:
 * - print is blocked in the page and in nested about:blank frames, each attempt logged;
 * - copy out of a viewer is denied under the default policy (attempt logged with its length, the
 *   clipboard untouched) and fingerprinted under a signed policy that allows it (the real clipboard:
 *   permission granted in this test's browser context only);
 * - the overlay is on screen over every artifact type, and its forensic pattern decodes from the
 *   composed screenshot to the session code the access log recorded at unlock;
 * - after lock no artifact text is left in the DOM or anywhere in the page's JS heap (the react-query
 *   cache included).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateEd25519 } from '../../src-shared/node/crypto';
import { DEFAULT_POLICY, type Policy } from '../../src-shared/policy';
import { decodeWatermark } from '../../src-shared/watermark/decoder';
import { extractTextFingerprint } from '../../src-shared/watermark/text-fingerprint';
import { enrollmentPolicyRecord, PolicyStore } from '../../src-main/controls/signed-policy';
import { handleAppRequest } from '../../src-main/window/app-protocol';
import { APP_ORIGIN } from '../../src-main/window/app-origin';
import { overlayUrl } from '../../src-main/window/overlay-window';
import { HARNESS_ORIGIN, RENDERER_DIR } from '../../src-preview/browser-shell';
import { createVaultThroughUi, openArtifact, unlockThroughUi } from './flows';
import { SCREENSHOT_DIR, startHarness, type Harness } from './harness';
import { enrollWithSignedPolicy } from '../helpers/enroll-signed-policy';

/** A page outside the app origin used only to read and seed the clipboard (the app's Permissions-Policy refuses clipboard-read). */
const READER_ORIGIN = 'https://clipboard-reader.invalid';
const MARKDOWN_MARKER = 'roughly 7 billion parameters';
const FINGERPRINT_POLICY: Policy = { ...DEFAULT_POLICY, version: 2, copyMode: 'fingerprint', printExportMode: 'justify' };

const ARTIFACTS: [kind: string, path: string][] = [
  ['markdown', 'model-card.md'],
  ['pdf', 'system-card.pdf'],
  ['csv', 'eval/results.csv'],
  ['jsonl', 'eval/samples.jsonl'],
  ['json', 'eval/results.json'],
  ['png', 'eval/chart.png'],
];

/** Cyrillic look-alikes the fingerprint swaps in, back to their Latin letters. */
const LATIN_OF: Record<string, string> = {
  '\u0430': 'a', '\u0441': 'c', '\u0435': 'e', '\u043E': 'o', '\u0440': 'p', '\u0445': 'x', '\u0443': 'y',
  '\u0410': 'A', '\u0412': 'B', '\u0421': 'C', '\u0415': 'E', '\u041D': 'H', '\u041A': 'K', '\u041C': 'M',
  '\u041E': 'O', '\u0420': 'P', '\u0422': 'T', '\u0425': 'X',
};

/** What a reader sees: the fingerprint's zero-width marks dropped, its look-alikes read as what they look like. */
function asSeen(text: string): string {
  return text
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/\u00A0/g, ' ')
    .replace(/[\u0400-\u04FF]/g, (c) => LATIN_OF[c] ?? c);
}

/** Selects the text of the first element matching `selector` inside the open viewer. */
async function selectInViewer(page: Page, selector: string): Promise<string> {
  return page.evaluate((sel) => {
    const element = document.querySelector(`.artifact-view ${sel}`);
    if (!element) throw new Error(`nothing matches ${sel}`);
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
    return selection.toString();
  }, selector);
}

/**
 * The OS compositor's job, done with pngjs: in Electron the overlay is a separate transparent window
 * the compositor blends over the app window; in the harness it is a second page (transparent
 * background, screenshot with alpha) blended here, source-over, premultiplied and rounded as Chromium
 * composites a canvas layer.
 */
function composite(base: PNG, overlay: PNG): PNG {
  if (base.width !== overlay.width || base.height !== overlay.height) throw new Error('screenshot sizes differ');
  const out = new PNG({ width: base.width, height: base.height });
  for (let i = 0; i < base.data.length; i += 4) {
    const a = overlay.data[i + 3] ?? 0;
    const k = (255 - a) / 255;
    for (let c = 0; c < 3; c++) out.data[i + c] = Math.round(((overlay.data[i + c] ?? 0) * a) / 255 + (base.data[i + c] ?? 0) * k);
    out.data[i + 3] = 255;
  }
  return out;
}

async function heapSnapshot(page: Page, context: BrowserContext): Promise<string> {
  const cdp: CDPSession = await context.newCDPSession(page);
  try {
    const chunks: string[] = [];
    cdp.on('HeapProfiler.addHeapSnapshotChunk', (event: { chunk: string }) => chunks.push(event.chunk));
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    return chunks.join('');
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

describe('insider-risk controls', () => {
  let h: Harness;
  let reader: Page;
  let overlayContext: BrowserContext;
  let overlayPage: Page;

  const readClipboard = async () => {
    await reader.bringToFront();
    const text = await reader.evaluate(() => navigator.clipboard.readText());
    await h.page.bringToFront();
    return text;
  };
  const seedClipboard = async (text: string) => {
    await reader.bringToFront();
    await reader.evaluate((t) => navigator.clipboard.writeText(t), text);
    await h.page.bringToFront();
  };

  beforeAll(async () => {
    h = await startHarness({
      extraRoute: (url) => (url.origin === READER_ORIGIN ? { status: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html><title>clipboard reader</title>' } : null),
    });
    // The real clipboard, for this test's context only: the app page may write (fingerprinted text in
    // the preview), the reader page reads.
    await h.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: HARNESS_ORIGIN });
    await h.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: READER_ORIGIN });
    reader = await h.context.newPage();
    await reader.goto(`${READER_ORIGIN}/`);
    await h.page.bringToFront();
    await createVaultThroughUi(h.page);
    await h.page.getByRole('button', { name: 'Import the demo submission' }).click();
    await h.page.getByRole('button', { name: /Kestrel-7 7\.0\.2/ }).click();
    await h.page.getByRole('heading', { name: 'Kestrel-7 7.0.2', level: 1 }).waitFor({ timeout: 60_000 });

    // The overlay page in a context of its own, as in Electron: no preload bridge, only the app files.
    overlayContext = await h.browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 });
    await overlayContext.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== HARNESS_ORIGIN) return route.abort('blockedbyclient');
      const response = await handleAppRequest(`${APP_ORIGIN}${url.pathname}${url.search}`, RENDERER_DIR);
      const headers: Record<string, string> = {};
      response.headers.forEach((v, k) => (headers[k] = v));
      return route.fulfill({ status: response.status, headers, body: Buffer.from(await response.arrayBuffer()) });
    });
    overlayPage = await overlayContext.newPage();
  });

  afterAll(async () => {
    await overlayContext?.close().catch(() => undefined);
    await h?.close();
  });

  test('unlock recorded a watermark session whose code the overlay carries', () => {
    const session = h.core.controls.watermarks.current();
    expect(session?.codeHex).toMatch(/^[0-9a-f]{12}$/);
    const logged = h.audit.filter((r) => r.event === 'watermark.session');
    expect(logged.at(-1)?.object).toEqual({ kind: 'watermark', id: session?.codeHex });
    expect(h.core.controls.overlayPayload().code).toBe(session?.codeHex);
  });

  test('print is blocked in the page and in nested about:blank frames, and every attempt is logged', async () => {
    const before = h.audit.filter((r) => r.event === 'print.attempt').length;
    const outcome = await h.page.evaluate(() => {
      window.print();
      // Appended and printed in the same task: before any MutationObserver could run.
      const frame = document.createElement('iframe');
      document.body.appendChild(frame);
      frame.contentWindow!.print();
      const inner = frame.contentDocument!.createElement('iframe');
      frame.contentDocument!.body.appendChild(inner);
      inner.contentWindow!.print();
      window.dispatchEvent(new Event('beforeprint'));
      const native = (w: Window) => /\[native code\]/.test(Function.prototype.toString.call(w.print));
      const result = { top: native(window), frame: native(frame.contentWindow!), inner: native(inner.contentWindow!) };
      frame.remove();
      return result;
    });
    expect(outcome).toEqual({ top: false, frame: false, inner: false });
    const wheres = () => h.audit.filter((r) => r.event === 'print.attempt').slice(before).map((r) => r.object?.id);
    // One per print() call and at least one for beforeprint (another listener may report it too).
    await expect.poll(() => wheres().filter((w) => w !== 'beforeprint').sort()).toEqual(['frame', 'frame', 'window']);
    await expect.poll(() => wheres().filter((w) => w === 'beforeprint').length).toBeGreaterThanOrEqual(1);
    expect(h.audit.filter((r) => r.event === 'print.attempt').every((r) => r.outcome === 'success' && r.detail?.['decision'] === 'denied')).toBe(true);
  });

  test('print media shows nothing of the content', async () => {
    await openArtifact(h.page, 'model-card.md');
    await h.page.emulateMedia({ media: 'print' });
    const visibility = await h.page.evaluate(() => getComputedStyle(document.querySelector('.artifact-view')!).visibility);
    await h.page.emulateMedia({ media: 'screen' });
    expect(visibility).toBe('hidden');
  });

  test('copy under the default policy is denied: the clipboard keeps what it had and the attempt is logged with its length', async () => {
    await openArtifact(h.page, 'model-card.md');
    await seedClipboard('sentinel before copy');
    const selected = await selectInViewer(h.page, '.markdown-body p');
    expect(selected.length).toBeGreaterThan(20);
    await h.page.keyboard.press('Control+C');
    await expect.poll(() => h.audit.filter((r) => r.event === 'copy.attempt').length).toBe(1);
    const attempt = h.audit.find((r) => r.event === 'copy.attempt')!;
    expect(attempt.detail).toMatchObject({ action: 'copy', length: [...selected].length, decision: 'denied' });
    expect(attempt.object?.kind).toBe('artifact');
    expect(await readClipboard()).toBe('sentinel before copy');
    await h.page.getByText('Copying from artifacts is not allowed by the policy in force.').waitFor();
  });

  test('copy under a signed fingerprint policy puts marked text on the real clipboard that decodes to the session', async () => {
    // Enrollment installs the signed policy; the next unlock reads it.
    const vault = h.core.sessions.require();
    const policyKey = generateEd25519();
    enrollWithSignedPolicy(vault.audit, vault.workstationId, FINGERPRINT_POLICY, policyKey, Date.now());
    expect(new PolicyStore().load(enrollmentPolicyRecord(vault.audit))).toEqual(FINGERPRINT_POLICY);
    await h.page.keyboard.press('Control+L');
    await unlockThroughUi(h.page);
    expect(h.core.policy()).toEqual(FINGERPRINT_POLICY);
    await h.page.getByRole('button', { name: /Kestrel-7 7\.0\.2/ }).click();
    await openArtifact(h.page, 'model-card.md');
    await seedClipboard('sentinel before copy');
    const selected = await selectInViewer(h.page, '.markdown-body p');
    await h.page.keyboard.press('Control+C');
    await expect.poll(readClipboard).not.toBe('sentinel before copy');
    const copied = await readClipboard();
    expect(copied).not.toBe(selected);
    expect(asSeen(copied)).toBe(asSeen(selected));
    expect(extractTextFingerprint(copied)).toBe(h.core.controls.watermarks.current()?.codeHex);
    const decision = h.audit.filter((r) => r.event === 'copy.decision').at(-1);
    expect(decision?.detail).toMatchObject({ decision: 'allowed', fingerprinted: true, length: [...selected].length, placedBy: 'renderer' });
  });

  test.each(ARTIFACTS)('the overlay is over the %s viewer and its pattern decodes from the composed screenshot', async (kind, path) => {
    await openArtifact(h.page, path);
    if (kind === 'pdf') {
      await h.page.waitForFunction(() => document.querySelector('.pdf-viewer canvas')?.closest('[aria-busy="false"]') != null, undefined, { timeout: 30_000 });
    }
    if (kind === 'png') await h.page.locator('.artifact-view img').waitFor();
    await h.page.evaluate(() => window.getSelection()?.removeAllRanges());
    const payload = h.core.controls.overlayPayload();
    expect(payload.code).not.toBeNull();
    // Same URL as the Electron overlay window loads, on the harness origin.
    await overlayPage.goto(overlayUrl(payload).replace(APP_ORIGIN, HARNESS_ORIGIN));
    await overlayPage.waitForFunction(() => document.documentElement.dataset['state'] === 'session');
    const base = PNG.sync.read(await h.page.screenshot({ type: 'png' }));
    const layer = PNG.sync.read(await overlayPage.screenshot({ type: 'png', omitBackground: true }));
    const composed = composite(base, layer);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    writeFileSync(join(SCREENSHOT_DIR, `30-overlay-${kind}.png`), PNG.sync.write(composed));
    // The visible text is there: some overlay pixels are far more opaque than the forensic pattern's.
    let textPixels = 0;
    for (let i = 3; i < layer.data.length; i += 4) if ((layer.data[i] ?? 0) > 40) textPixels++;
    expect(textPixels).toBeGreaterThan(5000);
    const decoded = decodeWatermark({ width: composed.width, height: composed.height, data: composed.data });
    expect(decoded?.code).toBe(h.core.controls.watermarks.current()?.codeHex);
  });

  test('after lock no artifact text is left in the DOM or in the page heap (query cache included)', async () => {
    await openArtifact(h.page, 'model-card.md');
    await h.page.getByText(MARKDOWN_MARKER, { exact: false }).first().waitFor();
    expect(await heapSnapshot(h.page, h.context)).toContain(MARKDOWN_MARKER);
    await h.page.keyboard.press('Control+L');
    await h.page.getByRole('heading', { name: 'Unlock' }).waitFor();
    expect(await h.page.content()).not.toContain(MARKDOWN_MARKER);
    expect(h.core.controls.watermarks.current()).toBeNull();
    const heap = await heapSnapshot(h.page, h.context);
    expect(heap.includes(MARKDOWN_MARKER)).toBe(false);
  });
});
