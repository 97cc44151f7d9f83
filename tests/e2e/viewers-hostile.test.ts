/**
 * The viewers against content built to hurt: script and event handlers in Markdown, links and images
 * pointing off the machine or out of the package, a JSON document with a duplicate key, and sizes that
 * must stay smooth (100 000 CSV rows, 5 000 log lines: only the rows in view exist in the DOM).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BIG_CSV_ROWS, TEXT_LINES, importFixturePackage } from './fixture-package';
import { createVaultThroughUi, openArtifact } from './flows';
import { startHarness, type Harness } from './harness';

describe('viewers on hostile and large content', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await createVaultThroughUi(h.page);
    await importFixturePackage(h.core);
    await h.page.reload();
    await h.page.getByRole('button', { name: /Fixture-9 0\.0\.1/ }).click();
    await h.page.getByRole('heading', { name: 'Fixture-9 0.0.1', level: 1 }).waitFor();
  });
  afterAll(async () => {
    await h?.close();
  });

  test('hostile Markdown: no script runs, links are inert text, only the same-case image loads', async () => {
    const page = h.page;
    await openArtifact(page, 'hostile.md');
    const body = page.locator('.markdown-body');
    await body.getByRole('heading', { name: 'Hostile document' }).waitFor();
    await page.waitForFunction(() => (document.querySelector<HTMLImageElement>('.markdown-body img')?.naturalWidth ?? 0) > 0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await body.locator('a, [href], [onerror], [style], script').count()).toBe(0);
    const text = await body.innerText();
    expect(text).toContain('(https://evil.invalid/steal?c=1)');
    expect(text).toContain('<script>window.__pwned = 1</script>');
    expect(text).toContain('image outside this submission, not loaded: tracking pixel');
    expect(text).toContain('image not in this submission, not loaded: escape attempt');
    const imgs = await body.locator('img').evaluateAll((els) => els.map((e) => [(e as HTMLImageElement).src, (e as HTMLImageElement).alt]));
    expect(imgs).toHaveLength(1);
    expect(imgs[0]![0]).toMatch(/^blob:https:\/\/rw\.invalid\//);
    expect(imgs[0]![1]).toBe('the local chart');
    expect(await body.locator('td.md-align-right').count()).toBe(1);
    await h.checkScreen('30-viewer-markdown-hostile');
  });

  test(`a ${BIG_CSV_ROWS.toLocaleString('en')}-row CSV is virtualised and reaches its last row`, async () => {
    const page = h.page;
    await openArtifact(page, 'big.csv');
    const table = page.getByRole('table', { name: 'big.csv' });
    await table.getByRole('cell', { name: 'row 1, quoted', exact: true }).waitFor({ timeout: 60_000 });
    expect(Number(await table.getAttribute('aria-rowcount'))).toBe(BIG_CSV_ROWS + 1);
    const rendered = await table.locator('.table-row').count();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(200);
    await table.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await table.getByRole('cell', { name: `row ${BIG_CSV_ROWS}, quoted`, exact: true }).waitFor();
    expect(await table.locator('.table-row').count()).toBeLessThan(200);
    // A note's anchor proposes the first row the reader sees: the first mostly below the header.
    const firstSeen = await table.evaluate((el) => {
      const headBottom = el.querySelector('.table-head')!.getBoundingClientRect().bottom;
      const rows = Array.from(el.querySelectorAll<HTMLElement>('.table-row')).map((r) => ({ row: Number(r.dataset['row']), box: r.getBoundingClientRect() }));
      return rows.filter((r) => r.box.top + r.box.height / 2 >= headBottom).sort((a, b) => a.box.top - b.box.top)[0]!.row;
    });
    await expect.poll(() => page.getByLabel('Row number').inputValue()).toBe(String(firstSeen));
    await h.checkScreen('31-viewer-csv-100k');
  });

  test('JSON with a duplicate key is not shown as a tree: the reason and the raw text are', async () => {
    const page = h.page;
    await openArtifact(page, 'dup.json');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('duplicate key "verdict"');
    await page.getByRole('region', { name: /dup\.json, 1 lines?/ }).waitFor();
    await h.checkScreen('32-viewer-json-duplicate');
  });

  test(`a ${TEXT_LINES.toLocaleString('en')}-line log shows line numbers and only the lines in view`, async () => {
    const page = h.page;
    await openArtifact(page, 'run.log');
    const region = page.getByRole('region', { name: `run.log, ${TEXT_LINES} lines` });
    await region.getByText('line 1: the quick brown fox', { exact: true }).waitFor();
    expect(await region.locator('.text-line').count()).toBeLessThan(200);
    await region.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await region.getByText(`line ${TEXT_LINES}: the quick brown fox`, { exact: true }).waitFor();
    // The widest line numbers fit their gutter: the number ends before the line's text begins.
    const last = region.locator(`.text-line[data-line="${TEXT_LINES}"]`);
    const number = await last.locator('.ln').evaluate((el) => ({ right: el.getBoundingClientRect().right, overflow: el.scrollWidth - el.clientWidth }));
    expect(number.overflow).toBe(0);
    expect(number.right).toBeLessThanOrEqual((await last.locator('.code').boundingBox())!.x);
    await h.checkScreen('33-viewer-text');
  });

  test('no request left the app origin (the tracking pixel was never fetched) and the CSP reported nothing', async () => {
    // Stands alone: it opens the hostile document itself (again, if the tests above ran) and waits for its
    // one local image, so the off-machine pixel and links have had their chance to be fetched.
    const page = h.page;
    await openArtifact(page, 'hostile.md');
    await page.locator('.markdown-body').getByRole('heading', { name: 'Hostile document' }).waitFor();
    await page.waitForFunction(() => (document.querySelector<HTMLImageElement>('.markdown-body img')?.naturalWidth ?? 0) > 0);
    // The recorder saw the app's own requests, so an empty off-origin list is a finding, not a deaf recorder.
    expect(h.requests.length).toBeGreaterThan(0);
    expect(h.offOriginRequests()).toEqual([]);
    expect(h.refused).toEqual([]);
    expect(await h.cspViolations()).toEqual([]);
    expect(h.pageErrors).toEqual([]);
  });
});
