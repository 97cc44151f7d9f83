/**
 * PDF with pdf.js 4.9, configured for hostile files: no eval (isEvalSupported: false), no XFA forms,
 * no scripting (the display layer alone never runs document JavaScript; the viewer layer that would
 * is not used), no annotation or link layer (nothing clickable), no fetches (data in memory, fonts
 * bundled, worker from our own bundle). One canvas per page, one page at a time, keyboard paging;
 * the page's text is also extracted into a visually hidden region for screen readers.
 */
import { GlobalWorkerOptions, Util, getDocument, type PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { canvasPng, useRegisterExcerpt, type ExcerptProvider } from './excerpt-context';
import { BundledStandardFontFactory } from './pdf-fonts';
import { HOSTILE_PDF_OPTIONS } from '../../src-shared/pdf-options';
import { useViewerPosition } from './viewer-position';
import { Marked } from '../search/marked';
import { markParts } from '../search/hit-place';

GlobalWorkerOptions.workerSrc = workerUrl;

const SCALES = [0.75, 1, 1.25, 1.5, 2];

export function PdfViewer({ bytes, name, onPageView }: { bytes: Uint8Array; name: string; onPageView?: (page: number, dwellMs: number) => void }) {
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [scaleIndex, setScaleIndex] = useState(1);
  const [pageText, setPageText] = useState('');
  const [rendering, setRendering] = useState(false);
  // A search hit's matched words: boxes drawn over them on the page, and a line saying how many.
  const [marks, setMarks] = useState<readonly string[]>([]);
  const [highlighted, setHighlighted] = useState<number | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const ids = useId();
  const shownAt = useRef<{ page: number; at: number } | null>(null);
  const region = useRef<HTMLDivElement>(null);
  const { report, pending, done } = useViewerPosition();
  const pageRef = useRef(page);
  pageRef.current = page;
  const excerpt = useMemo<ExcerptProvider>(
    () => ({
      label: () => `page ${pageRef.current}`,
      get: async () => {
        if (!canvas.current) throw new Error('No page is drawn.');
        return { kind: 'png', png: await canvasPng(canvas.current) };
      },
    }),
    [],
  );
  useRegisterExcerpt(doc ? excerpt : null);

  // Each page change reports the page left and how long it was in view (who saw which page, how long).
  useEffect(() => {
    if (!doc) return;
    const previous = shownAt.current;
    shownAt.current = { page, at: performance.now() };
    if (previous && previous.page !== page) onPageView?.(previous.page, performance.now() - previous.at);
  }, [doc, page, onPageView]);
  useEffect(
    () => () => {
      const last = shownAt.current;
      if (last) onPageView?.(last.page, performance.now() - last.at);
    },
    [onPageView],
  );

  useEffect(() => {
    let cancelled = false;
    // pdf.js takes ownership of (transfers) the buffer it is given: hand it a copy.
    const task = getDocument({
      ...HOSTILE_PDF_OPTIONS,
      data: bytes.slice(),
      StandardFontDataFactory: BundledStandardFontFactory,
      isOffscreenCanvasSupported: false,
    });
    task.promise.then(
      (loaded) => {
        if (cancelled) void loaded.destroy();
        else {
          setDoc(loaded);
          setPage(1);
        }
      },
      (reason: unknown) => {
        if (!cancelled) setError(reason instanceof Error ? reason.message : 'The PDF could not be read.');
      },
    );
    return () => {
      cancelled = true;
      void task.destroy();
    };
  }, [bytes]);

  useEffect(() => {
    if (!doc || !canvas.current) return;
    let cancelled = false;
    const target = canvas.current;
    setRendering(true);
    let renderTask: { cancel(): void; promise: Promise<void> } | null = null;
    void (async () => {
      try {
        const p = await doc.getPage(page);
        if (cancelled) return;
        const ratio = window.devicePixelRatio || 1;
        const viewport = p.getViewport({ scale: SCALES[scaleIndex]! * ratio });
        target.width = Math.floor(viewport.width);
        target.height = Math.floor(viewport.height);
        // CSS size in layout pixels (CSSOM, allowed by the CSP); the bitmap is devicePixelRatio times larger.
        target.style.width = `${Math.floor(viewport.width / ratio)}px`;
        const context = target.getContext('2d');
        if (!context) throw new Error('No 2D canvas context.');
        renderTask = p.render({ canvasContext: context, viewport, annotationMode: 0 });
        await renderTask.promise;
        const text = await p.getTextContent();
        if (cancelled) return;
        setPageText(text.items.map((item) => ('str' in item ? item.str : '')).join(' '));
        if (marks.length > 0) {
          let count = 0;
          context.save();
          context.globalCompositeOperation = 'multiply';
          context.fillStyle = 'rgba(255, 214, 0, 0.55)';
          for (const item of text.items) {
            if (!('str' in item) || item.str.length === 0) continue;
            const parts = markParts(item.str, marks);
            if (!parts.some((part) => part.mark)) continue;
            // The item's box in canvas pixels; a word inside it is placed by its share of the item's
            // width as a sans-serif font measures it (pdf.js gives widths per item, not per glyph).
            const t = Util.transform(viewport.transform, item.transform);
            const height = Math.hypot(t[2], t[3]);
            const width = item.width * viewport.scale;
            context.font = `${Math.max(1, Math.round(height))}px sans-serif`;
            const whole = context.measureText(item.str).width || 1;
            let before = '';
            for (const part of parts) {
              if (part.mark) {
                const x = (context.measureText(before).width / whole) * width;
                const w = (context.measureText(part.text).width / whole) * width;
                context.fillRect(t[4] + x, t[5] - height, w, height * 1.25);
                count++;
              }
              before += part.text;
            }
          }
          context.restore();
          setHighlighted(count);
        } else {
          setHighlighted(null);
        }
      } catch (e) {
        if (!cancelled && !(e instanceof Error && e.name === 'RenderingCancelledException')) setError(e instanceof Error ? e.message : 'The page could not be drawn.');
      } finally {
        if (!cancelled) setRendering(false);
      }
    })();
    return () => {
      cancelled = true;
      renderTask?.cancel();
    };
  }, [doc, page, scaleIndex, marks]);

  const pages = doc?.numPages ?? 0;
  const go = (n: number) => setPage(Math.min(Math.max(1, n), Math.max(1, pages)));

  // The page in view is where a new note is anchored; a note's "Go to" turns to its page once the
  // document is open (the request may come before it has loaded).
  useEffect(() => {
    if (doc) report({ kind: 'page', page });
  }, [doc, page, report]);
  useEffect(() => {
    if (!doc || !pending || pending.anchor.kind !== 'page') return;
    setPage(Math.min(Math.max(1, pending.anchor.page), doc.numPages));
    setMarks(pending.marks);
    region.current?.focus();
    done(pending.seq);
  }, [doc, pending, done]);
  const onKeyDown = (e: KeyboardEvent) => {
    const keys: Record<string, () => void> = {
      PageDown: () => go(page + 1),
      ArrowRight: () => go(page + 1),
      PageUp: () => go(page - 1),
      ArrowLeft: () => go(page - 1),
      Home: () => go(1),
      End: () => go(pages),
      '+': () => setScaleIndex((i) => Math.min(SCALES.length - 1, i + 1)),
      '-': () => setScaleIndex((i) => Math.max(0, i - 1)),
    };
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  };

  if (error) {
    return (
      <div className="alert alert-error" role="alert">
        <strong className="alert-label">Error:</strong> This PDF could not be shown: {error}
      </div>
    );
  }
  return (
    <div className="pdf-viewer">
      <div className="viewer-toolbar" role="toolbar" aria-label="PDF pages">
        <button type="button" onClick={() => go(page - 1)} disabled={page <= 1} aria-label="Previous page">
          ‹ Previous
        </button>
        <label>
          Page{' '}
          <input
            className="page-input"
            type="number"
            min={1}
            max={Math.max(1, pages)}
            value={page}
            onChange={(e) => {
              const n = Number(e.target.value);
              if (Number.isInteger(n)) go(n);
            }}
          />
        </label>
        <span>of {pages || '…'}</span>
        <button type="button" onClick={() => go(page + 1)} disabled={page >= pages} aria-label="Next page">
          Next ›
        </button>
        <button type="button" onClick={() => setScaleIndex((i) => Math.max(0, i - 1))} disabled={scaleIndex === 0}>
          Zoom out
        </button>
        <span aria-live="polite">{Math.round(SCALES[scaleIndex]! * 100)}%</span>
        <button type="button" onClick={() => setScaleIndex((i) => Math.min(SCALES.length - 1, i + 1))} disabled={scaleIndex === SCALES.length - 1}>
          Zoom in
        </button>
      </div>
      {/* Above the page, where it is read before the page is scrolled. */}
      {highlighted !== null ? (
        <p className="pdf-highlight-note hint" role="status">
          {highlighted > 0
            ? `Highlighted on this page: ${marks.join(', ')} (${highlighted} ${highlighted === 1 ? 'place' : 'places'}, boxed in yellow).`
            : `The searched words (${marks.join(', ')}) are not drawn as text on this page.`}
        </p>
      ) : null}
      <div
        ref={region}
        className="pdf-page"
        tabIndex={0}
        role="region"
        aria-roledescription="PDF page"
        aria-label={`${name}, page ${page} of ${pages || 'unknown'}. Page Up and Page Down turn pages; plus and minus zoom.`}
        aria-describedby={`${ids}-text`}
        aria-busy={rendering}
        onKeyDown={onKeyDown}
      >
        <canvas ref={canvas} aria-hidden="true" data-page={page} data-highlights={highlighted ?? undefined} />
      </div>
      <div id={`${ids}-text`} className="visually-hidden">
        {marks.length > 0 ? <Marked text={pageText} marks={marks} /> : pageText}
      </div>
    </div>
  );
}
