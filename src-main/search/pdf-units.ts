/**
 * PDF text, page by page, with pdf.js in the main process. Configured as the viewer is, for hostile
 * files: no eval, no XFA, no scripting, no fetching (data in memory, no system fonts); text extraction
 * draws nothing. pdf.js runs its parser in-process here (its "fake worker"); each page is released
 * after its text is read, so memory holds the file and one page.
 */
import { HOSTILE_PDF_OPTIONS } from '../../src-shared/pdf-options';
import type { UnitDraft } from './search-units';

type PdfJs = typeof import('pdfjs-dist');

let loading: Promise<PdfJs> | null = null;

/** The Node build of pdf.js, loaded once on first use (it costs ~100 ms; most imports need it once). */
function pdfjs(): Promise<PdfJs> {
  loading ??= import('pdfjs-dist/legacy/build/pdf.mjs') as Promise<PdfJs>;
  return loading;
}

export async function* pdfPages(bytes: Uint8Array): AsyncGenerator<UnitDraft> {
  const { getDocument } = await pdfjs();
  // pdf.js takes ownership of (detaches) the buffer it is given, and refuses a Buffer: hand it a plain copy.
  const task = getDocument({
    ...HOSTILE_PDF_OPTIONS,
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    disableFontFace: true,
    verbosity: 0,
  });
  const doc = await task.promise;
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str;
        text += item.hasEOL ? '\n' : ' ';
      }
      page.cleanup();
      yield { text, loc: { kind: 'page', n } };
    }
  } finally {
    await doc.destroy();
  }
}
