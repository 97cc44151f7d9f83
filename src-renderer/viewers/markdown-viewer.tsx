/**
 * Markdown: markdown-it (`html: false`, inert links, placeholder images) then DOMPurify. Images are
 * filled only from artifacts of the same case, read over IPC and shown through blob: URLs; anything
 * else is replaced by a visible note. The blob URLs are revoked when the view closes.
 */
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { ArtifactSummary } from '../../src-shared/ipc/channels-cases';
import { useArtifactLoader } from '../api/hooks';
import { markdownToHtml, resolveSubmissionPath } from './markdown-html';
import { sanitizeMarkdownHtml } from './sanitize-html';
import { decodeForDisplay } from './text-decode';
import { IMAGE_TYPES } from './viewer-kind';
import { selectionInside, useSelectionInside, useViewerPosition } from './viewer-position';
import { markTextIn } from '../search/dom-marks';

const HEADINGS = 'h1, h2, h3, h4, h5, h6';
/** The anchor schema's limit for a heading. */
const HEADING_MAX = 500;

function headingText(h: Element): string {
  return (h.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, HEADING_MAX);
}

/**
 * The section the reader is in: the last heading before the selection, else the last heading at or
 * above the top of the scrolling pane (the first heading when none is).
 */
function currentHeading(root: Element, pane: Element | null): Element | null {
  const headings = Array.from(root.querySelectorAll(HEADINGS));
  const selected = selectionInside(root)?.anchorNode;
  if (selected) {
    const before = headings.filter((h) => h.contains(selected) || (h.compareDocumentPosition(selected) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0);
    return before[before.length - 1] ?? headings[0] ?? null;
  }
  const top = (pane ?? root).getBoundingClientRect().top + 8;
  const above = headings.filter((h) => h.getBoundingClientRect().top <= top);
  return above[above.length - 1] ?? headings[0] ?? null;
}

function replaceWithNote(img: HTMLImageElement, text: string): void {
  const note = document.createElement('span');
  note.className = 'md-image-missing';
  note.textContent = text;
  img.replaceWith(note);
}

export function MarkdownViewer({ bytes, artifact, siblings }: { bytes: Uint8Array; artifact: ArtifactSummary; siblings: ArtifactSummary[] }) {
  const html = useMemo(() => sanitizeMarkdownHtml(markdownToHtml(decodeForDisplay(bytes))), [bytes]);
  const container = useRef<HTMLDivElement>(null);
  const load = useArtifactLoader();
  const { report, pending, done } = useViewerPosition();
  const pane = useRef<Element | null>(null);

  const reportPosition = useCallback(() => {
    const root = container.current;
    const heading = root ? currentHeading(root, pane.current) : null;
    const text = heading ? headingText(heading) : '';
    report(text ? { kind: 'heading', heading: text } : null);
  }, [report]);
  useEffect(reportPosition, [reportPosition, html]);
  useSelectionInside(container, reportPosition);
  // The document scrolls in the workspace's pane, not in itself: follow whichever ancestor scrolls.
  useEffect(() => {
    const onScroll = (e: Event) => {
      if (e.target instanceof Element && container.current && e.target.contains(container.current)) {
        pane.current = e.target;
        reportPosition();
      }
    };
    document.addEventListener('scroll', onScroll, { capture: true, passive: true });
    return () => document.removeEventListener('scroll', onScroll, { capture: true });
  }, [reportPosition]);
  useEffect(() => {
    if (!pending || !container.current) return;
    // A search hit's words are marked in the document (text nodes split, no HTML parsed).
    const firstMark = markTextIn(container.current, pending.marks);
    if (pending.anchor.kind !== 'heading') {
      // A hit before the first heading: no section to go to, so go to the first marked word.
      if (firstMark) firstMark.scrollIntoView({ block: 'center' });
      if (firstMark || pending.marks.length > 0) done(pending.seq);
      return;
    }
    const wanted = pending.anchor.heading;
    const heading = Array.from(container.current.querySelectorAll<HTMLElement>(HEADINGS)).find((h) => headingText(h) === wanted);
    if (heading) {
      // Focusable by script only, so keyboard and screen-reader users land on the section.
      heading.tabIndex = -1;
      heading.scrollIntoView({ block: 'start' });
      heading.focus({ preventScroll: true });
    }
    done(pending.seq);
  }, [pending, html, done]);

  useEffect(() => {
    const root = container.current;
    if (!root) return;
    let cancelled = false;
    const urls: string[] = [];
    const byPath = new Map(siblings.map((a) => [a.path, a]));
    for (const img of Array.from(root.querySelectorAll<HTMLImageElement>('img[data-rw-src]'))) {
      const src = img.getAttribute('data-rw-src') ?? '';
      const path = resolveSubmissionPath(artifact.path, src);
      const target = path ? byPath.get(path) : undefined;
      if (!target || !IMAGE_TYPES.has(target.mediaType)) {
        replaceWithNote(img, `[image not in this submission, not loaded: ${img.alt || src}]`);
        continue;
      }
      void load(target.id).then(
        (data) => {
          if (cancelled) return;
          const url = URL.createObjectURL(new Blob([data.slice()], { type: target.mediaType }));
          urls.push(url);
          img.src = url;
        },
        () => {
          if (!cancelled) replaceWithNote(img, `[image could not be read: ${img.alt || src}]`);
        },
      );
    }
    return () => {
      cancelled = true;
      for (const url of urls) URL.revokeObjectURL(url);
    };
    // The list of siblings is stable for a case; re-run only when the document changes.
  }, [html]);

  // The HTML is the sanitiser's output (no scripts, handlers, styles, links or sources).
  return <div ref={container} className="markdown-body" dangerouslySetInnerHTML={{ __html: html }} />;
}
