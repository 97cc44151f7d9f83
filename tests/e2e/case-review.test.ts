/**
 * A review from the demo import to a lock and back: every artifact type of the demo submission opens
 * in its viewer (Markdown, PDF, CSV, JSON Lines, JSON, PNG), a note, a finding and a checklist status
 * are recorded, the app is locked and unlocked, and all of it is still there. Each screen and viewer
 * is screenshotted and checked with axe; nothing leaves the app origin and the CSP reports nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createVaultThroughUi, openArtifact, unlockThroughUi } from './flows';
import { startHarness, type Harness } from './harness';

describe('case review on the demo submission', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await createVaultThroughUi(h.page);
  });
  afterAll(async () => {
    await h?.close();
  });

  test('the empty cases list offers the demo import, which lists the case', async () => {
    const page = h.page;
    await page.getByText('No submissions yet').waitFor();
    // An empty list asks for no progress (each ask is a leaf).
    expect(h.audit.filter((r) => r.event === 'case.progress')).toEqual([]);
    await h.checkScreen('10-cases-empty');
    await page.getByRole('button', { name: 'Import the demo submission' }).click();
    await page.getByRole('button', { name: /Kestrel-7 7\.0\.2/ }).waitFor({ timeout: 60_000 });
    expect(await page.getByText(/days? left to the review deadline|Review overdue/).count()).toBe(1);
    // Where the review stands, on the card: every case's progress in one call, one leaf.
    await page.getByRole('button', { name: /Kestrel-7 7\.0\.2/ }).getByText('Checklist 0/16 · Findings 0 · Notes 0').waitFor();
    expect(h.audit.filter((r) => r.event === 'case.progress').at(-1)).toMatchObject({ outcome: 'success', detail: { cases: 1 } });
    await h.checkScreen('11-cases-list');
  });

  test('opening the case shows its header and the artifact list', async () => {
    const page = h.page;
    await page.getByRole('button', { name: /Kestrel-7 7\.0\.2/ }).click();
    await page.getByRole('heading', { name: 'Kestrel-7 7.0.2', level: 1 }).waitFor();
    const header = await page.getByRole('main').locator('.workspace-header').innerText();
    expect(header).toContain('Northwind Cognition Labs (fictional)');
    expect(header).toContain('2027-01-19');
    expect(await page.getByRole('navigation', { name: 'Artifacts' }).getByRole('button').count()).toBeGreaterThanOrEqual(6);
    await h.checkScreen('12-workspace');
  });

  test('Markdown: rendered, links inert with the URL shown, no raw HTML', async () => {
    const page = h.page;
    await openArtifact(page, 'model-card.md');
    const body = page.locator('.markdown-body');
    await body.getByRole('heading', { name: 'Model card: Kestrel-7 (v7.0.2)' }).waitFor();
    expect(await body.locator('a').count()).toBe(0);
    expect(await body.locator('[style], script, iframe').count()).toBe(0);
    expect(await body.locator('table').count()).toBeGreaterThan(0);
    await h.checkScreen('13-viewer-markdown');
  });

  test('copying from a viewer is stopped by the default policy and the attempt is logged (length only)', async () => {
    const page = h.page;
    const before = h.audit.length;
    await page.locator('.markdown-body h1').selectText();
    // Headless Chromium on Linux does not turn Ctrl+C into the copy command, so the copy event the
    // browser would fire is dispatched on the selection (same event type, bubbling, with clipboardData).
    const clipboardText = await page.locator('.markdown-body h1').evaluate((el) => {
      const data = new DataTransfer();
      el.dispatchEvent(new ClipboardEvent('copy', { bubbles: true, cancelable: true, clipboardData: data }));
      return data.getData('text/plain');
    });
    expect(clipboardText).toBe('');
    await page.getByRole('status').getByText(/Copying from artifacts is not allowed by the policy in force/).waitFor();
    await expect.poll(() => h.audit.slice(before).filter((e) => e.channel === 'controls.copyAttempt').length).toBe(1);
    const entry = h.audit.slice(before).find((e) => e.channel === 'controls.copyAttempt');
    expect(JSON.stringify(entry)).not.toContain('Model card');
    await h.checkScreen('13b-copy-refused');
    await page.getByRole('button', { name: 'Dismiss' }).click();
  });

  test('window.print is replaced: the print attempt is stopped and logged', async () => {
    const page = h.page;
    const before = h.audit.length;
    await page.evaluate(() => window.print());
    await page.getByRole('status').getByText(/Printing is not available/).waitFor();
    await expect.poll(() => h.audit.slice(before).filter((e) => e.channel === 'controls.printAttempt').length).toBe(1);
    await page.getByRole('button', { name: 'Dismiss' }).click();
  });

  test('PDF: pages drawn on a canvas, turned with the keyboard', async () => {
    const page = h.page;
    await openArtifact(page, 'system-card.pdf');
    const region = page.getByRole('region', { name: /system-card\.pdf, page 1 of [1-9]/ });
    await region.waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => {
      const c = document.querySelector<HTMLCanvasElement>('.pdf-viewer canvas');
      return !!c && c.width > 100 && c.closest('[aria-busy="false"]') !== null;
    });
    const label = (await region.getAttribute('aria-label')) ?? '';
    const pages = Number(/of (\d+)/.exec(label)?.[1] ?? '0');
    expect(pages).toBeGreaterThan(0);
    // The canvas is not blank: some pixel is darker than paper.
    const inked = await page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('.pdf-viewer canvas')!;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < data.length; i += 4) if (data[i]! < 128) return true;
      return false;
    });
    expect(inked).toBe(true);
    if (pages > 1) {
      await region.focus();
      await page.keyboard.press('PageDown');
      await page.getByRole('region', { name: new RegExp(`page 2 of ${pages}`) }).waitFor();
    }
    await h.checkScreen('14-viewer-pdf');
    // Scrolled to the end of a page, the viewer keeps its page controls at its top.
    const area = page.getByRole('region', { name: 'Viewer: system-card.pdf' });
    await area.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    const areaBox = await area.boundingBox();
    const next = await page.getByRole('button', { name: 'Next page' }).boundingBox();
    expect(await area.evaluate((el) => el.scrollTop)).toBeGreaterThan(100);
    expect(next!.y).toBeGreaterThanOrEqual(areaBox!.y);
    expect(next!.y).toBeLessThan(areaBox!.y + 20);
  });

  test('CSV: a table with every row and a header', async () => {
    const page = h.page;
    await openArtifact(page, 'eval/results.csv');
    const table = page.getByRole('table', { name: 'eval/results.csv' });
    await table.waitFor();
    expect(Number(await table.getAttribute('aria-rowcount'))).toBe(11);
    await table.getByRole('cell', { name: 'reading-comp', exact: true }).waitFor();
    await h.checkScreen('15-viewer-csv');
  });

  test('CSV: sorting by a column (numbers as numbers) and filtering by text; row numbers stay the file rows', async () => {
    const page = h.page;
    const table = page.getByRole('table', { name: 'eval/results.csv' });
    const firstRow = () => table.getByRole('row').nth(1);
    await table.getByRole('button', { name: 'score: sort ascending' }).click();
    expect(await table.getByRole('columnheader', { name: /^score/ }).getAttribute('aria-sort')).toBe('ascending');
    const ascending = await firstRow().innerText();
    await table.getByRole('button', { name: 'score: sort descending' }).click();
    const descending = await firstRow().innerText();
    expect(ascending).not.toBe(descending);
    // Numbers compare as numbers: the first row holds the column's extreme value either way.
    const scores = (await table.getByRole('row').allInnerTexts()).slice(1).map((r) => Number(r.split(/\t|\n/)[3]));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    await page.getByLabel('Filter rows').fill('math');
    await expect.poll(async () => Number(await table.getAttribute('aria-rowcount'))).toBeLessThan(11);
    await page.getByText(/\d+ of 10 rows match/).waitFor();
    // The caption keeps the file's size; the filter's line alone says how many match.
    await page.getByText('10 rows × 5 columns.', { exact: false }).waitFor();
    expect(await page.getByText(/ of 10 rows/).count()).toBe(1);
    expect((await table.getByRole('row').allInnerTexts()).slice(1).every((r) => r.toLowerCase().includes('math'))).toBe(true);
    await h.checkScreen('15b-viewer-csv-sorted-filtered');
    await page.getByLabel('Filter rows').fill('');
    await table.getByRole('button', { name: 'score: sort in file order' }).click();
    expect(Number(await table.getAttribute('aria-rowcount'))).toBe(11);
  });

  test('JSON Lines: a table with the union of the keys', async () => {
    const page = h.page;
    await openArtifact(page, 'eval/samples.jsonl');
    const table = page.getByRole('table', { name: 'eval/samples.jsonl' });
    await table.getByRole('columnheader', { name: 'benchmark' }).waitFor();
    await table.getByRole('cell', { name: 's-001', exact: true }).waitFor();
    await h.checkScreen('16-viewer-jsonl');
  });

  test('JSON Lines: a row opens in full (click, or arrow keys and Enter); Escape closes it', async () => {
    const page = h.page;
    const table = page.getByRole('table', { name: 'eval/samples.jsonl' });
    await table.getByRole('cell', { name: 's-001', exact: true }).click();
    const pane = page.getByRole('region', { name: 'Row 1 in full' });
    await pane.waitFor();
    // The whole response, not the cut-off cell.
    expect(await pane.innerText()).toContain('They are predictable but costly to install and maintain.');
    await h.checkScreen('16b-viewer-jsonl-row-in-full');
    await page.keyboard.press('Escape');
    await pane.waitFor({ state: 'detached' });
    await table.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'Row 2 in full' }).waitFor();
    expect(await page.getByRole('region', { name: 'Row 2 in full' }).innerText()).toContain('A train leaves at 14:10');
    await page.keyboard.press('Escape');
    await page.getByRole('region', { name: 'Row 2 in full' }).waitFor({ state: 'detached' });
    expect(await table.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  test('JSON: a collapsible tree', async () => {
    const page = h.page;
    await openArtifact(page, 'eval/results.json');
    await page.locator('.json-viewer summary').first().waitFor();
    await page.getByRole('button', { name: 'Show raw text' }).click();
    await page.getByRole('region', { name: /eval\/results\.json, \d+ lines/ }).waitFor();
    await page.getByRole('button', { name: 'Show as tree' }).click();
    await h.checkScreen('17-viewer-json');
  });

  test('PNG: shown from a blob: URL', async () => {
    const page = h.page;
    await openArtifact(page, 'eval/chart.png');
    const img = page.getByRole('img', { name: 'Image artifact eval/chart.png' });
    await img.waitFor();
    await page.waitForFunction(() => (document.querySelector<HTMLImageElement>('.image-viewer img')?.naturalWidth ?? 0) > 0);
    expect(await img.getAttribute('src')).toMatch(/^blob:https:\/\/rw\.invalid\//);
    await h.checkScreen('18-viewer-png');
  });

  test('a note, a finding and a checklist status are recorded', async () => {
    const page = h.page;
    await openArtifact(page, 'model-card.md');
    await page.getByRole('tab', { name: 'Notes' }).click();
    await page.getByLabel('New note').fill('Bio uplift proxy rose from 0.109 to 0.118; ask for the elicitation details.');
    await page.getByRole('button', { name: 'Save note' }).click();
    await page.getByRole('list', { name: 'Notes' }).getByText('Bio uplift proxy rose').waitFor();
    await h.checkScreen('19-notes');
    await page.getByRole('button', { name: /^Edit note: Bio uplift/ }).click();
    await page.getByLabel('Edit note').fill('Bio uplift proxy rose from 0.109 to 0.118; ask for the elicitation details and the grader.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('revision 2').waitFor();
    const notes = page.getByRole('list', { name: 'Notes' });
    await notes.getByText('History').click();
    const noteHistory = page.getByRole('list', { name: /^History of the note Bio uplift/ });
    await noteHistory.getByText(/text: Bio uplift .* → Bio uplift .*and the grader\./).waitFor();
    expect(await noteHistory.getByRole('listitem').filter({ hasText: /^Revision/ }).count()).toBe(2);
    await h.checkScreen('19b-note-history');
    await notes.getByText('History').click();

    await page.getByRole('tab', { name: 'Findings' }).click();
    await page.getByLabel('Finding title').fill('Autonomy evaluation lacks elicitation detail');
    await page.getByLabel('Severity').selectOption('high');
    await page.getByRole('button', { name: 'Record finding' }).click();
    await page.getByRole('list', { name: 'Findings' }).getByText('Autonomy evaluation lacks elicitation detail').waitFor();
    // Scrolled to the end of the findings, the panel's tabs are still at its top, in reach.
    const panel = page.getByRole('complementary', { name: 'Review work' });
    await panel.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    const [panelBox, tabBox] = await Promise.all([panel.boundingBox(), panel.getByRole('tab', { name: 'Notes' }).boundingBox()]);
    expect(await panel.evaluate((el) => el.scrollTop)).toBeGreaterThan(100);
    expect(tabBox!.y - panelBox!.y).toBeGreaterThanOrEqual(0);
    expect(tabBox!.y - panelBox!.y).toBeLessThan(12);
    await h.checkScreen('20-findings');
    // Through its statuses: confirmed (with evidence), mitigated, withdrawn; each save a new revision.
    const findings = page.getByRole('list', { name: 'Findings' });
    const steps: Array<[string, number]> = [['confirmed', 2], ['mitigated', 3], ['withdrawn', 4]];
    for (const [status, revision] of steps) {
      await page.getByRole('button', { name: 'Edit finding Autonomy evaluation lacks elicitation detail' }).click();
      const form = page.getByRole('form', { name: 'Edit finding Autonomy evaluation lacks elicitation detail' });
      await form.getByLabel('Status').selectOption(status);
      if (status === 'confirmed') {
        await form.getByLabel('Description').fill('The report omits the elicitation effort behind the autonomy scores.');
        await form.getByLabel('Evidence references (one per line)').fill('artifact:model-card.md');
        await h.checkScreen('20b-finding-edit');
      }
      await form.getByRole('button', { name: 'Save finding' }).click();
      await findings.getByText(new RegExp(`revision ${revision}$`)).waitFor();
      expect(await findings.locator('.finding-status').first().innerText()).toBe(status);
    }
    const before = h.audit.filter((e) => e.event === 'finding.edit' && e.outcome === 'success');
    expect(before.map((e) => e.detail?.['status'])).toEqual(['confirmed', 'mitigated', 'withdrawn']);
    await findings.getByText('History').click();
    const history = page.getByRole('list', { name: 'History of Autonomy evaluation lacks elicitation detail' });
    await history.getByText('status: mitigated → withdrawn').waitFor();
    const revisions = await history.locator(':scope > li').allInnerTexts();
    expect(revisions).toHaveLength(4);
    expect(revisions[0]).toMatch(/^Revision 1 · avery\.reviewer · .*\s+recorded$/);
    expect(revisions[1]).toContain('status: open → confirmed');
    expect(revisions[1]).toContain('evidence: (none) → artifact:model-card.md');
    expect(revisions[2]).toContain('status: confirmed → mitigated');
    await h.checkScreen('20c-finding-history');
    await findings.getByText('History').click();

    await page.getByRole('tab', { name: 'Checklist' }).click();
    const first = page.getByLabel('Status').first();
    await first.waitFor();
    await first.selectOption('pass');
    await page.getByText(/Pass · set by avery\.reviewer/).first().waitFor();
    await h.checkScreen('21-checklist');
  });

  test('lock and unlock: the note, the finding and the checklist status are still there', async () => {
    const page = h.page;
    await page.getByRole('button', { name: /^Lock/ }).click();
    await page.getByRole('heading', { name: 'Unlock' }).waitFor();
    expect(await page.locator('.markdown-body, .side-panel').count()).toBe(0);
    await unlockThroughUi(page);
    // The card counts what the review left: one checklist answer, one note.
    await page.getByRole('button', { name: /Kestrel-7 7\.0\.2/ }).getByText(/^Checklist 1\/16 · Findings \d+ · Notes 1$/).waitFor();
    await page.getByRole('button', { name: /Kestrel-7 7\.0\.2/ }).click();
    await page.getByRole('heading', { name: 'Kestrel-7 7.0.2', level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Notes' }).click();
    await page.getByRole('list', { name: 'Notes' }).getByText('Bio uplift proxy rose').waitFor();
    await page.getByRole('tab', { name: 'Findings' }).click();
    await page.getByRole('list', { name: 'Findings' }).getByText('Autonomy evaluation lacks elicitation detail').waitFor();
    await page.getByRole('tab', { name: 'Checklist' }).click();
    expect(await page.getByLabel('Status').first().inputValue()).toBe('pass');
  });

  test('every artifact read went through the router and was logged; nothing left the app origin', async () => {
    const reads = h.audit.filter((e) => e.event === 'artifact.read' && e.outcome === 'success');
    expect(reads.length).toBeGreaterThanOrEqual(4);
    // Tables are paged by the main process: each page shown is its own logged read.
    const pages = h.audit.filter((e) => e.event === 'artifact.rows' && e.outcome === 'success');
    expect(pages.length).toBeGreaterThanOrEqual(2);
    // The viewers reported what was in view: opens, closes with dwell, and the PDF page turned away from.
    const views = h.audit.filter((e) => e.channel === 'artifact.view' && e.outcome === 'success').map((e) => e.detail ?? {});
    expect(views.some((d) => d['action'] === 'open')).toBe(true);
    expect(views.some((d) => d['action'] === 'close' && typeof d['dwellMs'] === 'number')).toBe(true);
    expect(views.some((d) => d['action'] === 'view' && d['page'] === 1)).toBe(true);
    expect(h.offOriginRequests()).toEqual([]);
    expect(h.refused).toEqual([]);
    expect(await h.cspViolations()).toEqual([]);
    expect(h.pageErrors).toEqual([]);
  });
});
