/**
 * The browser preview paints the forensic watermark over the page as Electron's overlay window does:
 * a dark-themed screen is screenshotted (PNG, and as a JPEG q70 re-encode, what a shared screenshot
 * often becomes), decoded with the same decoder rwctl and the auditor console use, and traced back to
 * the reviewer's session through the access log.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeWatermark } from '../../src-shared/watermark/decoder';
import { REVIEWER, createVaultThroughUi } from './flows';
import { startHarness, type Harness } from './harness';

describe('browser preview: watermark overlay', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ overlay: true, colorScheme: 'dark' });
    await createVaultThroughUi(h.page);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  test('a dark page in the preview carries its session code, read back from a screenshot', async () => {
    const page = h.page;
    await page.waitForFunction(() => document.documentElement.dataset['overlay'] === 'session');
    const record = h.audit.find((e) => e.event === 'watermark.session' && e.actor.user === REVIEWER);
    const code = record?.object?.id ?? '';
    expect(code).toMatch(/^[0-9a-f]{12}$/);
    expect(h.core.controls.overlayPayload().code).toBe(code);
    const path = await h.screenshot('60-preview-dark-watermark');
    const png = PNG.sync.read((await import('node:fs')).readFileSync(path));
    let sum = 0;
    for (let i = 0; i < png.data.length; i += 4) sum += 0.299 * (png.data[i] ?? 0) + 0.587 * (png.data[i + 1] ?? 0) + 0.114 * (png.data[i + 2] ?? 0);
    // A dark page: mean luma well below mid grey.
    expect(sum / (png.width * png.height)).toBeLessThan(90);
    const found = decodeWatermark({ width: png.width, height: png.height, data: png.data });
    expect(found?.code).toBe(code);
    const reencoded = jpeg.decode(jpeg.encode({ width: png.width, height: png.height, data: png.data }, 70).data, { useTArray: true, formatAsRGBA: true });
    expect(decodeWatermark({ width: reencoded.width, height: reencoded.height, data: reencoded.data })?.code).toBe(code);
    await h.checkScreen('61-preview-dark-watermark-axe');
  }, 120_000);
});
