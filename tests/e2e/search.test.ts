/**
 * Search in Chromium on the real built renderer: Ctrl+K from the case list opens the search screen,
 * a search lists grouped hits with snippets and counts, kind and case chips edit the query's filters, a refused query is explained,
 * and Enter on a PDF hit opens the PDF at its page with the word highlighted. axe-core on each state.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createVaultThroughUi, openSearch, searchFor } from './flows';
import { startHarness, type Harness } from './harness';

describe('search screen', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await createVaultThroughUi(h.page);
    await h.page.getByRole('button', { name: 'Import the demo submission' }).click();
    await h.page.getByRole('button', { name: /Kestrel-7 7\.0\.2/ }).waitFor({ timeout: 60_000 });
  });
  afterAll(async () => {
    await h?.close();
  });

  test('Ctrl+K from the case list opens search; a search shows grouped hits with snippets and counts', async () => {
    const page = h.page;
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Search' });
    await dialog.waitFor();
    const box = dialog.getByRole('searchbox', { name: 'Search every artifact, note and finding' });
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    await h.checkScreen('search-open');

    await searchFor(dialog, 'capture', '2 hits in 1 place across 1 case for “capture”.');
    await dialog.getByRole('heading', { name: 'Kestrel-7 7.0.2 (2)', level: 3 }).waitFor();
    await dialog.getByRole('heading', { name: 'system-card.pdf (2)', level: 4 }).waitFor();
    const hit = dialog.getByRole('button', { name: /^system-card\.pdf, page 2 .*easy capture-the-flag tasks/ });
    expect(await hit.locator('mark').allTextContents()).toEqual(['capture']);
    await h.checkScreen('search-results');
    const leaf = h.audit.filter((r) => r.event === 'search').at(-1);
    expect(leaf).toMatchObject({ outcome: 'success', detail: { query: 'capture', results: 2 } });
  });

  test('kind chips filter; a query the parser refuses is explained, not sent', async () => {
    const page = h.page;
    const dialog = page.getByRole('dialog', { name: 'Search' });
    const box = dialog.getByRole('searchbox');
    const before = h.audit.filter((r) => r.event === 'search').length;
    // A pressed chip also shows a check mark (not colour alone), which is part of its name.
    const markdown = dialog.getByRole('button', { name: /^(✓ )?Markdown$/ });
    // A chip writes its filter into the query and searches again; pressed again, it takes it out.
    await markdown.click();
    expect(await markdown.getAttribute('aria-pressed')).toBe('true');
    expect(await box.inputValue()).toBe('capture kind:md');
    await dialog.getByRole('status').filter({ hasText: 'No hits for “capture kind:md”.' }).waitFor();
    await markdown.click();
    expect(await box.inputValue()).toBe('capture');
    await dialog.getByRole('status').filter({ hasText: '2 hits in 1 place across 1 case for “capture”.' }).waitFor();
    // A filter typed in the box presses its chip: the two never disagree.
    await box.fill('capture kind:pdf');
    const pdf = dialog.getByRole('button', { name: /^(✓ )?PDF$/ });
    expect(await pdf.getAttribute('aria-pressed')).toBe('true');
    expect(await markdown.getAttribute('aria-pressed')).toBe('false');
    await box.press('Enter');
    await dialog.getByRole('status').filter({ hasText: '2 hits in 1 place across 1 case for “capture kind:pdf”.' }).waitFor();

    await box.fill('-capture');
    await box.press('Enter');
    await dialog.getByRole('alert').filter({ hasText: 'Cannot search: Add a word to search for' }).waitFor();
    await h.checkScreen('search-refused');
    for (const hostile of ['"NEAR(capture', 'body:capture', "capture' OR 1=1 --"]) {
      await searchFor(dialog, hostile, /hit|No hits/);
    }
    expect(h.audit.filter((r) => r.event === 'search').length).toBe(before + 3 + 3);
    expect(h.pageErrors).toEqual([]);
  });

  test('Enter on a PDF hit opens the PDF at its page with the word highlighted', async () => {
    const page = h.page;
    const dialog = page.getByRole('dialog', { name: 'Search' });
    const box = dialog.getByRole('searchbox');
    await searchFor(dialog, 'capture', /^2 hits/);
    await box.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('search-hit');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('search-hit');
    const hit = dialog.getByRole('button', { name: /^system-card\.pdf, page 2 / });
    await hit.focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { name: 'system-card.pdf', level: 2 }).waitFor();
    await page.getByRole('region', { name: /system-card\.pdf, page 2 of 3/ }).waitFor({ timeout: 30_000 });
    await page.getByText(/Highlighted on this page: capture \(1 place/).waitFor({ timeout: 30_000 });
    expect(await page.locator('canvas[data-page="2"]').getAttribute('data-highlights')).toBe('1');
    // The highlight is drawn on the page: the pixels under the word are tinted yellow.
    const yellow = await page.locator('canvas[data-page="2"]').evaluate((canvas: HTMLCanvasElement) => {
      const ctx = canvas.getContext('2d')!;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! > 200 && data[i + 1]! > 170 && data[i + 2]! < 120) n++;
      return n;
    });
    expect(yellow).toBeGreaterThan(50);
    await h.checkScreen('search-opened-pdf-hit');
  });

  test('Enter on a hit in a note opens the Notes tab at that note, focused and marked', async () => {
    const page = h.page;
    await page.getByRole('tab', { name: 'Notes' }).click();
    await page.getByLabel('New note').fill('Ask the lab about the zorbulax elicitation protocol.');
    await page.getByRole('button', { name: 'Save note' }).click();
    const notes = page.getByRole('list', { name: 'Notes' });
    await notes.getByText(/zorbulax/).waitFor();
    // From another tab: the hit brings the reviewer to the note itself.
    await page.getByRole('tab', { name: 'Checklist' }).click();
    const { dialog } = await openSearch(page);
    await searchFor(dialog, 'zorbulax', 'for “zorbulax”');
    await dialog.getByRole('button', { name: /zorbulax/ }).press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByRole('tab', { name: 'Notes' }).getAttribute('aria-selected')).toBe('true');
    const item = notes.getByRole('listitem').filter({ hasText: 'zorbulax' });
    await expect.poll(() => item.evaluate((el) => el === document.activeElement && el.classList.contains('is-found'))).toBe(true);
    await h.checkScreen('search-opened-note');
  });

  test('"Only this case" writes its case: filter into the query, replacing another case\'s', async () => {
    const page = h.page;
    const { dialog, box } = await openSearch(page);
    await searchFor(dialog, 'capture', '2 hits in 1 place across 1 case for “capture”.');
    const only = dialog.getByRole('button', { name: /^(✓ )?Only Kestrel-7 7\.0\.2$/ });
    expect(await only.getAttribute('aria-pressed')).toBe('false');
    await only.click();
    const withCase = await box.inputValue();
    expect(withCase).toMatch(/^capture case:case-[0-9a-f]{32}$/);
    expect(await only.getAttribute('aria-pressed')).toBe('true');
    await dialog.getByText('Looking for capture · case: Kestrel-7 7.0.2').waitFor();
    await dialog.getByRole('status').filter({ hasText: `2 hits in 1 place across 1 case for “${withCase}”.` }).waitFor();
    // Kept to the open case, the search's leaf is about that case (an auditor filters leaves by object).
    expect(h.audit.filter((r) => r.event === 'search').at(-1)).toMatchObject({ object: { kind: 'case', id: withCase.slice('capture case:'.length) }, detail: { query: withCase, results: 2 } });
    await h.checkScreen('search-only-this-case');
    // A typed filter for another case releases the chip; pressed, the chip replaces it (two would mean either case).
    await box.fill('capture case:feed');
    expect(await only.getAttribute('aria-pressed')).toBe('false');
    await dialog.getByText('Looking for capture · case: feed (no such case)').waitFor();
    await only.click();
    expect(await box.inputValue()).toBe(withCase);
    await only.click();
    expect(await box.inputValue()).toBe('capture');
    await dialog.getByRole('status').filter({ hasText: '2 hits in 1 place across 1 case for “capture”.' }).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(h.pageErrors).toEqual([]);
  });

  test('"Show more hits" fetches the next page on request, each page a search leaf', async () => {
    const page = h.page;
    const { dialog } = await openSearch(page);
    const before = h.audit.filter((r) => r.event === 'search').length;
    await searchFor(dialog, 'the', 'the”');
    const status = dialog.getByRole('status');
    expect(await status.innerText()).toMatch(/^50\+ hits in \d+ places? across \d+ cases? for “the” \(more below: “Show more hits”\)\.$/);
    const shown = () => dialog.locator('button.search-hit').count();
    expect(await shown()).toBe(50);
    await dialog.getByRole('button', { name: 'Show more hits' }).click();
    await expect.poll(shown).toBeGreaterThan(50);
    const total = await shown();
    await status.filter({ hasText: new RegExp(`^${total}\\+? hits`) }).waitFor();
    // Two searches asked for, two leaves: the second names the same query and its page's hits.
    const leaves = h.audit.filter((r) => r.event === 'search').slice(before);
    expect(leaves.map((l) => l.detail)).toEqual([
      { query: 'the', results: 50 },
      { query: 'the', results: total - 50 },
    ]);
    await h.checkScreen('search-more-hits');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  test('Ctrl+K right after the dialog closed opens it again (the late close event does not win)', async () => {
    const page = h.page;
    const { dialog } = await openSearch(page);
    // Closed and asked for again in one task: the close event, queued behind both, comes last.
    await page.evaluate(() => {
      document.querySelector<HTMLDialogElement>('dialog.search-dialog')!.close();
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true, bubbles: true }));
    });
    await dialog.waitFor();
    await page.waitForTimeout(300);
    expect(await dialog.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForTimeout(300);
    expect(await dialog.isVisible()).toBe(false);
  });

  test('the header button opens search too, and Escape closes it', async () => {
    const page = h.page;
    await page.getByRole('button', { name: /^Search/ }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Search' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });
});
