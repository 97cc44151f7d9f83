/**
 * The main process's PDF text extraction against PDFs built to run script: none of the payloads runs
 * (the canary stays unset) and the page text is still read. The options that make it so are pinned in
 * tests/unit/src-shared/pdf-options.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pdfPages } from '../../../../src-main/search/pdf-units';
import { HOSTILE_PDFS, PWNED } from '../../../helpers/hostile-pdfs';

afterEach(() => {
  delete (globalThis as Record<string, unknown>)[PWNED];
});

describe('pdfPages on hostile PDFs', () => {
  it.each(HOSTILE_PDFS.map((p) => [p.name, p] as const))('%s: reads the page text and runs nothing', async (_name, pdf) => {
    const pages = [];
    for await (const unit of pdfPages(pdf.bytes)) pages.push(unit);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.loc).toEqual({ kind: 'page', n: 1 });
    expect(pages[0]!.text).toContain(pdf.text);
    expect((globalThis as Record<string, unknown>)[PWNED]).toBeUndefined();
  });

  it('the XFA form is not built: its field text is not read', async () => {
    const pdf = HOSTILE_PDFS.find((p) => p.name === 'xfa-form')!;
    for await (const unit of pdfPages(pdf.bytes)) expect(unit.text).not.toContain('xfa only text');
  });
});
