/**
 * Printing is blocked in every frame of the renderer (see ARCHITECTURE: insider-risk controls): content leaves only through the gated
 * export flow, which burns the watermark in. Layers, because each alone has a gap:
 * - window.print is replaced, non-configurably, in the top frame at startup;
 * - every iframe's window is patched as soon as it can be reached: when the frame is added (a
 *   MutationObserver), when it loads (capturing `load`), and whenever script asks for
 *   `contentWindow` (the getter is wrapped), which covers the synchronous
 *   append-then-print that a MutationObserver (a microtask) would see too late. frame-src 'none' already
 *   refuses remote frames; same-origin about:blank frames are the remaining way in;
 * - `beforeprint` is logged as an attempt (Ctrl/Cmd+P never gets this far in Electron: the main
 *   process swallows it in before-input-event);
 * - print-block.css blanks the page for print media, should a print still start.
 */
export type PrintAttemptReporter = (where: 'window' | 'frame' | 'beforeprint') => void;

const PATCHED = new WeakSet<object>();

function patchWindow(win: Window, where: 'window' | 'frame', report: PrintAttemptReporter): void {
  if (PATCHED.has(win)) return;
  try {
    Object.defineProperty(win, 'print', { value: () => report(where), writable: false, configurable: false, enumerable: false });
    win.addEventListener('beforeprint', () => report('beforeprint'));
    PATCHED.add(win);
  } catch {
    // A cross-origin window cannot be patched; frame-src 'none' keeps those from loading at all.
  }
}

function patchFrame(frame: HTMLIFrameElement, report: PrintAttemptReporter, contentWindowOf: (f: HTMLIFrameElement) => Window | null): void {
  const win = contentWindowOf(frame);
  if (win) patchWindow(win, 'frame', report);
  if (win) {
    try {
      // Frames inside frames: watch the nested document the same way.
      const doc = win.document;
      if (doc?.documentElement) observeFrames(doc, report, contentWindowOf);
    } catch {
      // Cross-origin: unreachable, and refused by CSP anyway.
    }
  }
}

const OBSERVED = new WeakSet<object>();

function observeFrames(doc: Document, report: PrintAttemptReporter, contentWindowOf: (f: HTMLIFrameElement) => Window | null): void {
  if (OBSERVED.has(doc)) return;
  OBSERVED.add(doc);
  const visit = (node: Node) => {
    if (node instanceof HTMLIFrameElement || (node as Element).tagName === 'IFRAME') patchFrame(node as HTMLIFrameElement, report, contentWindowOf);
    if (node instanceof Element || node instanceof DocumentFragment) node.querySelectorAll?.('iframe').forEach((f) => patchFrame(f as HTMLIFrameElement, report, contentWindowOf));
  };
  new MutationObserver((records) => {
    for (const record of records) record.addedNodes.forEach(visit);
  }).observe(doc, { childList: true, subtree: true });
  doc.addEventListener(
    'load',
    (event) => {
      const target = event.target as Element | null;
      if (target && target.tagName === 'IFRAME') patchFrame(target as HTMLIFrameElement, report, contentWindowOf);
    },
    true,
  );
  visit(doc.documentElement);
}

/** Installs every layer on the top window. Call once, before the app renders. */
export function installPrintGuard(win: Window, report: PrintAttemptReporter): void {
  patchWindow(win, 'window', report);
  const proto = (win as unknown as { HTMLIFrameElement: typeof HTMLIFrameElement }).HTMLIFrameElement.prototype;
  const original = Object.getOwnPropertyDescriptor(proto, 'contentWindow');
  const getter = original?.get;
  const contentWindowOf = (frame: HTMLIFrameElement): Window | null => (getter ? (getter.call(frame) as Window | null) : null);
  if (getter) {
    Object.defineProperty(proto, 'contentWindow', {
      configurable: false,
      enumerable: original.enumerable ?? true,
      get(this: HTMLIFrameElement) {
        const inner = getter.call(this) as Window | null;
        if (inner) patchWindow(inner, 'frame', report);
        return inner;
      },
    });
  }
  observeFrames(win.document, report, contentWindowOf);
}
