/**
 * Import progress pushed from main to the window (issue 3): the demo import's `import.progress` events
 * reach the page through the same createApi subscription the preload exposes, the determinate bar ends
 * at the package total, start and end are announced, the screen passes axe, nothing of it reaches the
 * access log but the one import call, and a failed import ends in the error alert with no bar left.
 * The demo (~15 KiB) imports in well under the 100 ms throttle interval, so no intermediate event is
 * expected here; tests/integration/artifacts/import-progress-events.test.ts shows them on a 5 MiB package.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../../src-preview/browser-shell';
import { createVaultThroughUi, unlockThroughUi } from './flows';
import { startHarness, type Harness } from './harness';

type Progress = { bytesDone: number; bytesTotal: number; phase: string };
type BarState = { value: string | null; max: string | null; text: string | null };

/** The bytes the importer stores: every package file except the signature bundle. */
function demoTotal(dir = join(REPO_ROOT, 'assets/demo/package')): number {
  return readdirSync(dir).reduce((n, name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return n + demoTotal(full);
    return name === 'model.sig' ? n : n + statSync(full).size;
  }, 0);
}

/**
 * Records, in the page, every import.progress event a subscriber receives (through window.rw, as the
 * app's hook does) and every state the import progress bar is rendered in (a MutationObserver).
 */
async function startRecording(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as unknown as {
      rw: { subscribe(e: string, h: (p: unknown) => void): () => void };
      __events: unknown[];
      __bars: unknown[];
      __said: string[];
      __stop: () => void;
    };
    g.__events = [];
    g.__bars = [];
    g.__said = [];
    const unsubscribe = g.rw.subscribe('import.progress', (p) => g.__events.push(p));
    const record = () => {
      for (const bar of document.querySelectorAll('.import-progress progress')) {
        g.__bars.push({ value: bar.getAttribute('value'), max: bar.getAttribute('max'), text: bar.getAttribute('aria-valuetext') });
      }
      const said = document.querySelector('main [role="status"].visually-hidden')?.textContent ?? '';
      if (said !== '' && said !== g.__said.at(-1)) g.__said.push(said);
    };
    const observer = new MutationObserver(record);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['value', 'max', 'aria-valuetext'] });
    g.__stop = () => {
      observer.disconnect();
      unsubscribe();
    };
  });
}

async function stopRecording(page: Page): Promise<{ events: Progress[]; bars: BarState[]; said: string[] }> {
  return page.evaluate(() => {
    const g = globalThis as unknown as { __events: Progress[]; __bars: BarState[]; __said: string[]; __stop: () => void };
    g.__stop();
    return { events: g.__events, bars: g.__bars, said: g.__said };
  });
}

const STARTED = 'Importing the demo submission: checking its signature and every file digest.';

describe('demo import progress', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await createVaultThroughUi(h.page);
  });
  afterAll(async () => {
    await h?.close();
  });

  test('the events reach the page and the bar ends at the package total, announced at start and end', async () => {
    const page = h.page;
    const total = demoTotal();
    await page.getByText('No submissions yet').waitFor();
    await startRecording(page);
    await page.getByRole('button', { name: 'Import the demo submission' }).click();
    await page.getByRole('button', { name: /Kestrel-7 7\.0\.2/ }).waitFor({ timeout: 60_000 });
    await page.getByRole('status').filter({ hasText: 'The demo submission was imported and verified.' }).waitFor();
    const { events, bars, said } = await stopRecording(page);
    expect(said).toEqual([STARTED, 'The demo submission was imported and verified.']);

    expect(events[0]).toEqual({ bytesDone: 0, bytesTotal: 0, phase: 'verifying' });
    expect(events.at(-1)).toEqual({ bytesDone: total, bytesTotal: total, phase: 'done' });
    expect(events.filter((e) => e.phase === 'done' || e.phase === 'failed')).toHaveLength(1);
    // Storing, then indexing the text for search (bytes counted again from 0), never back.
    const middle = events.slice(1, -1);
    for (const e of middle) expect(['storing', 'indexing']).toContain(e.phase);
    for (const e of middle) expect(e.bytesTotal).toBe(total);
    const firstIndexing = middle.findIndex((e) => e.phase === 'indexing');
    expect(firstIndexing).toBeGreaterThan(0);
    expect(middle.slice(firstIndexing).every((e) => e.phase === 'indexing')).toBe(true);

    // The bar was rendered at its maximum, with a spoken value, and never beyond it.
    expect(bars).toContainEqual({ value: String(total), max: String(total), text: `${(total / 1024).toFixed(1)} KiB of ${(total / 1024).toFixed(1)} KiB` });
    for (const bar of bars) if (bar.value !== null) expect(Number(bar.value)).toBeLessThanOrEqual(Number(bar.max));

    // The push path is not logged call by call: the import is one access-log entry.
    expect(h.audit.filter((e) => e.event === 'case.import')).toEqual([expect.objectContaining({ outcome: 'success' })]);
    // (The cases list's `case.progress` read afterwards is the list's own, not the import's.)
    expect(h.audit.some((e) => e.event.includes('progress') && e.event !== 'case.progress')).toBe(false);
  });

  test('the finished bar stays at its maximum under More actions, and the screen passes axe', async () => {
    const page = h.page;
    await page.getByText('More actions').click();
    const bar = page.getByRole('progressbar', { name: 'Demo submission imported' });
    await bar.waitFor();
    expect(await bar.getAttribute('value')).toBe(await bar.getAttribute('max'));
    expect(await page.getByText(/Imported: 10 files/).count()).toBe(1);
    await h.checkScreen('30-import-progress-done');
  });

  test('the page hears only schema-valid events, and the bar ignores events when no import runs here', async () => {
    const page = h.page;
    const heard = await page.evaluate(() => {
      const g = globalThis as unknown as {
        rw: { subscribe(e: string, h: (p: unknown) => void): () => void };
        __rwDeliverEvent: (e: string, p: unknown) => void;
      };
      const seen: unknown[] = [];
      const stop = g.rw.subscribe('import.progress', (p) => seen.push(p));
      g.__rwDeliverEvent('import.progress', { bytesDone: 9, bytesTotal: 1, phase: 'storing' });
      g.__rwDeliverEvent('import.progress', { bytesDone: 1, bytesTotal: 2, phase: 'storing', entry: '/home/x' });
      g.__rwDeliverEvent('import.progress', { bytesDone: 1, bytesTotal: 2, phase: 'storing' });
      stop();
      g.__rwDeliverEvent('import.progress', { bytesDone: 2, bytesTotal: 2, phase: 'done' });
      return seen;
    });
    expect(heard).toEqual([{ bytesDone: 1, bytesTotal: 2, phase: 'storing' }]);
    const bar = page.getByRole('progressbar', { name: 'Demo submission imported' });
    expect(await bar.getAttribute('value')).toBe(String(demoTotal()));
  });

  test('lock clears the progress: after unlocking there is no bar', async () => {
    const page = h.page;
    await page.keyboard.press('Control+L');
    await unlockThroughUi(page);
    await page.getByText('More actions').click();
    await page.getByRole('button', { name: 'Import the demo submission' }).waitFor();
    expect(await page.getByRole('progressbar').count()).toBe(0);
  });
});

describe('a demo import that fails verification', () => {
  let h: Harness;
  let assets: string;
  beforeAll(async () => {
    // A copy of the bundled demo with one byte of a signed file changed after signing.
    assets = mkdtempSync(join(tmpdir(), 'rw-e2e-assets-'));
    cpSync(join(REPO_ROOT, 'assets/demo'), join(assets, 'demo'), { recursive: true });
    const card = join(assets, 'demo/package/system-card.pdf');
    const bytes = readFileSync(card);
    bytes.writeUInt8(bytes.readUInt8(100) ^ 0x01, 100);
    writeFileSync(card, bytes);
    h = await startHarness({ assetsDir: assets });
    await createVaultThroughUi(h.page);
  });
  afterAll(async () => {
    await h?.close();
    rmSync(assets, { recursive: true, force: true });
  });

  test('ends with a failed event, the error alert, an announcement, and no bar', async () => {
    const page = h.page;
    await page.getByText('No submissions yet').waitFor();
    await startRecording(page);
    await page.getByRole('button', { name: 'Import the demo submission' }).click();
    await page.getByRole('alert').waitFor({ timeout: 60_000 });
    await page.getByRole('status').filter({ hasText: 'The demo import failed.' }).waitFor();
    const { events, said } = await stopRecording(page);
    expect(said).toEqual([STARTED, 'The demo import failed.']);
    expect(events[0]).toMatchObject({ phase: 'verifying' });
    expect(events.at(-1)).toMatchObject({ phase: 'failed' });
    expect(await page.getByRole('alert').innerText()).toContain('PACKAGE_REFUSED');
    expect(await page.getByRole('progressbar').count()).toBe(0);
    expect(await page.getByText('No submissions yet').count()).toBe(1);
    await h.checkScreen('31-import-progress-failed');
  });
});
