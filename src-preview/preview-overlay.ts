/**
 * The watermark overlay in the browser preview: Electron draws it in main's own window over the app;
 * the preview has no such window, so it paints the same overlay (src-overlay/inline-overlay.ts, built
 * around the overlay renderer's own paintOverlay) into the page, from the same payload the Electron
 * overlay gets (appCore.controls), again at every change, after every navigation and each minute.
 * Evaluated through the browser's debugging protocol, so the page's CSP (no inline script) stands.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { encodeOverlayPayload, type OverlayPayload } from '../src-shared/overlay-payload';
import { REPO_ROOT } from './browser-shell';

export interface OverlaySource {
  overlayPayload(): OverlayPayload;
  onOverlayChange(listener: (payload: OverlayPayload) => void): unknown;
}

let overlayScript: Promise<string> | null = null;

/** src-overlay/inline-overlay.ts bundled into one classic script defining `rwInlineOverlay`. */
export function buildOverlayScript(): Promise<string> {
  overlayScript ??= (async () => {
    const { build } = await import('vite');
    const output = await build({
      configFile: false,
      logLevel: 'warn',
      root: REPO_ROOT,
      build: {
        write: false,
        minify: false,
        target: 'chrome120',
        lib: { entry: join(REPO_ROOT, 'src-overlay/inline-overlay.ts'), formats: ['iife'], name: 'rwInlineOverlay', fileName: () => 'overlay.js' },
      },
    });
    for (const out of Array.isArray(output) ? output : [output]) {
      if (!('output' in out)) continue;
      const chunk = out.output.find((o) => o.type === 'chunk');
      if (chunk && chunk.type === 'chunk') return chunk.code;
    }
    throw new Error('overlay bundle produced no chunk');
  })();
  return overlayScript;
}

export interface PreviewOverlay {
  /** Paints the current payload now (resolves when the page has it). */
  repaint(): Promise<void>;
  stop(): void;
}

export async function installPreviewOverlay(page: Page, source: OverlaySource): Promise<PreviewOverlay> {
  const script = await buildOverlayScript();
  let payload = source.overlayPayload();
  let stopped = false;
  const repaint = async () => {
    if (stopped || page.isClosed()) return;
    const hash = JSON.stringify(encodeOverlayPayload(payload));
    await page.evaluate(`${script}\n;rwInlineOverlay.paint(${hash});`).catch(() => undefined);
  };
  source.onOverlayChange((next) => {
    payload = next;
    void repaint();
  });
  page.on('domcontentloaded', () => void repaint());
  const minute = setInterval(() => void repaint(), 60_000);
  await repaint();
  return {
    repaint,
    stop() {
      stopped = true;
      clearInterval(minute);
    },
  };
}
