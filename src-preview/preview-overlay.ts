/**
 * The watermark overlay in the browser preview: Electron draws it in main's own window over the app;
 * the preview has no such window, so it paints the same overlay (src-overlay/inline-overlay.ts, built
 * around the overlay renderer's own paintOverlay) into the page, from the same payload the Electron
 * overlay gets (appCore.controls), again at every change, after every navigation and each minute.
 * Evaluated through the browser's debugging protocol, so the page's CSP (no inline script) stands.
 */
import type { Page } from 'playwright-core';
import { encodeOverlayPayload, type OverlayPayload } from '../src-shared/overlay-payload';
import { bundleClassicScript } from './browser-shell';

export interface OverlaySource {
  overlayPayload(): OverlayPayload;
  onOverlayChange(listener: (payload: OverlayPayload) => void): unknown;
}

let overlayScript: Promise<string> | null = null;

/** src-overlay/inline-overlay.ts bundled into one classic script defining `rwInlineOverlay`. */
export function buildOverlayScript(): Promise<string> {
  overlayScript ??= bundleClassicScript('src-overlay/inline-overlay.ts', 'rwInlineOverlay');
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
