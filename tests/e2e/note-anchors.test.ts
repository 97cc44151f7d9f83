/**
 * Notes anchored to a place in an artifact (issue 3): the anchor is prefilled from the viewer (the PDF
 * page in view, the text lines selected) or typed, the selected text is quoted, the notes list says
 * where in words with the quote, and "Go to" opens the artifact at that place. Edits keep or change
 * the anchor; a bad anchor is refused in the form and a server refusal is shown readably.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { importFixturePackage } from './fixture-package';
import { createVaultThroughUi, openArtifact } from './flows';
import { startHarness, type Harness } from './harness';

function newNoteForm(page: Page) {
  return page.locator('form').filter({ has: page.getByLabel('New note') });
}

function notes(page: Page) {
  return page.getByRole('list', { name: 'Notes' });
}

async function openCase(page: Page, name: RegExp, title: string): Promise<void> {
  const back = page.getByRole('button', { name: '← All submissions' });
  if (await back.count()) await back.click();
  await page.getByRole('button', { name }).click();
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
  await page.getByRole('tab', { name: 'Notes' }).click();
}

/** Selects lines from..to of the open text viewer the way a mouse drag would (a DOM range over them). */
async function selectLines(page: Page, from: number, to: number): Promise<void> {
  await page.evaluate(
    ([a, b]) => {
      const start = document.querySelector(`.text-line[data-line="${a}"] .code`);
      const end = document.querySelector(`.text-line[data-line="${b}"] .code`);
      if (!start || !end) throw new Error('lines not rendered');
      const range = document.createRange();
      range.setStart(start.firstChild ?? start, 0);
      range.setEnd(end.firstChild ?? end, end.textContent?.length ?? 0);
      document.getSelection()!.removeAllRanges();
      document.getSelection()!.addRange(range);
    },
    [from, to] as const,
  );
}

describe('notes anchored to a page, a line range and a section', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await createVaultThroughUi(h.page);
    await h.page.getByRole('button', { name: 'Import the demo submission' }).click();
    await h.page.getByRole('button', { name: /Kestrel-7 7\.0\.2/ }).waitFor({ timeout: 60_000 });
    await importFixturePackage(h.core);
    await h.page.reload();
    await openCase(h.page, /Kestrel-7 7\.0\.2/, 'Kestrel-7 7.0.2');
  });
  afterAll(async () => {
    await h?.close();
  });

  test('a note on the PDF takes the page in view as its anchor', async () => {
    const page = h.page;
    await openArtifact(page, 'system-card.pdf');
    const region = page.getByRole('region', { name: /system-card\.pdf, page 1 of 3/ });
    await region.waitFor({ timeout: 30_000 });
    await region.focus();
    await page.keyboard.press('PageDown');
    await page.getByRole('region', { name: /system-card\.pdf, page 2 of 3/ }).waitFor();
    const form = newNoteForm(page);
    const anchor = form.getByRole('group', { name: 'Anchor to' });
    expect(await anchor.getByRole('radio', { name: 'Page' }).isChecked()).toBe(true);
    await expect.poll(() => anchor.getByLabel('Page number').inputValue()).toBe('2');
    await form.getByLabel('New note').fill('Table 2 omits the elicitation budget.');
    await form.getByRole('button', { name: 'Save note' }).click();
    const item = notes(page).getByRole('listitem').filter({ hasText: 'Table 2 omits the elicitation budget.' });
    await item.getByText('About system-card.pdf · Page 2').waitFor();
  });

  test('a note on selected lines takes them as its anchor and quotes them', async () => {
    const page = h.page;
    await openArtifact(page, 'eval/results.json');
    await page.getByRole('button', { name: 'Show raw text' }).click();
    await page.locator('.text-line[data-line="4"]').waitFor();
    await selectLines(page, 2, 4);
    const form = newNoteForm(page);
    const anchor = form.getByRole('group', { name: 'Anchor to' });
    await expect.poll(() => anchor.getByLabel('First line').inputValue()).toBe('2');
    expect(await anchor.getByLabel('Last line (optional)').inputValue()).toBe('4');
    const lines = await page.evaluate(() => [2, 3, 4].map((n) => document.querySelector(`.text-line[data-line="${n}"] .code`)!.textContent!.trim()));
    // Typing the note moves the selection into the text box; the viewer's selection is still quotable.
    await form.getByLabel('New note').fill('These scores lack confidence intervals.');
    await form.getByRole('button', { name: 'Quote the selected text' }).click();
    const quoted = await form.getByLabel('Quoted excerpt (optional)').inputValue();
    for (const line of lines) expect(quoted).toContain(line);
    expect(quoted).not.toMatch(/^\s*2\s/); // the line numbers are not part of the quote
    await form.getByRole('button', { name: 'Save note' }).click();
    const item = notes(page).getByRole('listitem').filter({ hasText: 'These scores lack confidence intervals.' });
    await item.getByText('About eval/results.json · Lines 2–4').waitFor();
    expect(await item.locator('blockquote').innerText()).toContain(lines[0]!);
    await h.checkScreen('60-notes-anchored');
  });

  test('"Go to" opens the PDF at the note\'s page and the JSON at its lines, and moves focus there', async () => {
    const page = h.page;
    await openArtifact(page, 'model-card.md');
    await page.getByRole('button', { name: 'Go to Page 2 of system-card.pdf' }).click();
    const region = page.getByRole('region', { name: /system-card\.pdf, page 2 of 3/ });
    await region.waitFor({ timeout: 30_000 });
    await expect.poll(() => region.evaluate((el) => el === document.activeElement)).toBe(true);

    // Keyboard: the button is reached and pressed without the mouse.
    const goToLines = page.getByRole('button', { name: 'Go to Lines 2–4 of eval/results.json' });
    await goToLines.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'eval/results.json', level: 2 }).waitFor();
    await page.locator('.text-line.is-target[data-line="2"]').waitFor();
    expect(await page.locator('.text-line.is-target').count()).toBe(3);
    await h.checkScreen('61-notes-go-to');
  });

  test('a note on a table row: prefilled with the first row in view, typed over, and "Go to" marks the row', async () => {
    const page = h.page;
    await openArtifact(page, 'eval/results.csv');
    await page.getByRole('table', { name: 'eval/results.csv' }).waitFor();
    const form = newNoteForm(page);
    const anchor = form.getByRole('group', { name: 'Anchor to' });
    await expect.poll(() => anchor.getByLabel('Row number').inputValue()).toBe('1');
    await anchor.getByLabel('Row number').fill('7');
    await form.getByLabel('New note').fill('Baseline for this row is from an older harness.');
    await form.getByRole('button', { name: 'Save note' }).click();
    await notes(page).getByText('About eval/results.csv · Row 7').waitFor();
    await openArtifact(page, 'model-card.md');
    await page.getByRole('button', { name: 'Go to Row 7 of eval/results.csv' }).click();
    await page.locator('.table-row.is-target[data-row="7"]').waitFor();
    expect(await page.locator('.table-row.is-target').count()).toBe(1);
  });

  test('a typed line range on a long log: a backwards range is refused in the form; "Go to" scrolls to it', async () => {
    const page = h.page;
    await openCase(page, /Fixture-9 0\.0\.1/, 'Fixture-9 0.0.1');
    await openArtifact(page, 'run.log');
    await page.getByRole('region', { name: /run\.log, \d+ lines/ }).waitFor();
    const form = newNoteForm(page);
    // The text selected earlier was in another case's artifact: it is not offered as this note's quote.
    expect(await form.getByRole('button', { name: 'Quote the selected text' }).isDisabled()).toBe(true);
    const anchor = form.getByRole('group', { name: 'Anchor to' });
    await anchor.getByRole('radio', { name: 'Lines' }).check();
    await anchor.getByLabel('First line').fill('4210');
    await anchor.getByLabel('Last line (optional)').fill('4200');
    await form.getByLabel('New note').fill('The retry storm starts here.');
    await form.getByRole('button', { name: 'Save note' }).click();
    await form.getByRole('alert').getByText('The last line is before the first line.').waitFor();
    expect(await notes(page).count()).toBe(0);
    await anchor.getByLabel('First line').fill('4200');
    await anchor.getByLabel('Last line (optional)').fill('4210');
    await form.getByRole('button', { name: 'Save note' }).click();
    await notes(page).getByText('About run.log · Lines 4200–4210').waitFor();
    expect(await form.getByRole('alert').count()).toBe(0);

    await openArtifact(page, 'hostile.md');
    await page.getByRole('button', { name: 'Go to Lines 4200–4210 of run.log' }).click();
    const line = page.locator('.text-line.is-target[data-line="4200"]');
    await line.waitFor();
    expect(await line.innerText()).toContain('line 4200: the quick brown fox');
    const visible = await page.evaluate(() => {
      const scroller = document.querySelector('.text-viewer')!.getBoundingClientRect();
      const row = document.querySelector('.text-line[data-line="4200"]')!.getBoundingClientRect();
      return row.top >= scroller.top && row.bottom <= scroller.bottom;
    });
    expect(visible).toBe(true);
  });

  test('a note on a Markdown section; edits change the anchor, drop it, and a stale edit is refused readably', async () => {
    const page = h.page;
    await openArtifact(page, 'hostile.md');
    const form = newNoteForm(page);
    const anchor = form.getByRole('group', { name: 'Anchor to' });
    await expect.poll(() => anchor.getByLabel('Section heading').inputValue()).toBe('Hostile document');
    await form.getByLabel('New note').fill('Raw HTML must stay inert.');
    await form.getByRole('button', { name: 'Save note' }).click();
    const item = notes(page).getByRole('listitem').filter({ hasText: 'Raw HTML must stay inert.' });
    await item.getByText('About hostile.md · Section: Hostile document').waitFor();

    // Change the anchor of the log note: lines 10-12.
    const logNote = notes(page).getByRole('listitem').filter({ hasText: 'The retry storm starts here.' });
    await logNote.getByRole('button', { name: /^Edit note/ }).click();
    const edit = logNote.locator('form');
    await edit.getByLabel('First line').fill('10');
    await edit.getByLabel('Last line (optional)').fill('12');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await logNote.getByText('About run.log · Lines 10–12').waitFor();

    // Drop it: the note stays about the artifact, with no place in it.
    await logNote.getByRole('button', { name: /^Edit note/ }).click();
    await logNote.getByRole('radio', { name: 'No anchor' }).check();
    await logNote.getByRole('button', { name: 'Save changes' }).click();
    await logNote.getByText('About run.log', { exact: true }).waitFor();
    await logNote.getByRole('button', { name: 'Go to run.log' }).waitFor();

    // Someone else's edit lands first (the same reviewer in another window): the stale edit is refused.
    await item.getByRole('button', { name: /^Edit note/ }).click();
    await page.evaluate(async () => {
      type Answer = { ok: boolean; value: unknown };
      const rw = (globalThis as unknown as { rw: Record<string, (r: unknown) => Promise<Answer>> }).rw;
      const cases = (await rw['cases.list']!({})).value as Array<{ id: string; model: string }>;
      const fixture = cases.find((c) => c.model === 'Fixture-9')!;
      const list = (await rw['notes.list']!({ caseId: fixture.id })).value as { notes: Array<{ id: string; revision: number; body: string }> };
      const note = list.notes.find((n) => n.body === 'Raw HTML must stay inert.')!;
      await rw['notes.edit']!({ id: note.id, revision: note.revision, body: 'Raw HTML must stay inert (edited elsewhere).' });
    });
    await item.getByRole('button', { name: 'Save changes' }).click();
    const alert = item.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/^Error: .+\(CONFLICT\)$/s);
    await h.checkScreen('62-notes-edit-refused');
  });

  test('notes on the case itself carry no anchor; nothing left the app origin', async () => {
    const page = h.page;
    await newNoteForm(page).getByRole('checkbox', { name: 'About hostile.md' }).uncheck();
    expect(await newNoteForm(page).getByRole('group', { name: 'Anchor to' }).count()).toBe(0);
    expect(await newNoteForm(page).getByLabel('Quoted excerpt (optional)').count()).toBe(0);
    await newNoteForm(page).getByLabel('New note').fill('Ask for the full run logs.');
    await newNoteForm(page).getByRole('button', { name: 'Save note' }).click();
    const item = notes(page).getByRole('listitem').filter({ hasText: 'Ask for the full run logs.' });
    await item.waitFor();
    expect(await item.getByRole('button', { name: /^Go to/ }).count()).toBe(0);
    expect(await item.locator('.note-anchor').count()).toBe(0);
    expect(h.offOriginRequests()).toEqual([]);
    expect(await h.cspViolations()).toEqual([]);
    expect(h.pageErrors).toEqual([]);
  });
});
