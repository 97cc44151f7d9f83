/**
 * Markdown: markdown-it (`html: false`, inert links, placeholder images) then DOMPurify. Images are
 * filled only from artifacts of the same case, read over IPC and shown through blob: URLs; anything
 * else is replaced by a visible note. The blob URLs are revoked when the view closes.
 */
import { useEffect, useMemo, useRef } from 'react';
import type { ArtifactSummary } from '../../src-shared/ipc/channels-cases';
import { useArtifactLoader } from '../api/hooks';
import { markdownToHtml, resolveSubmissionPath } from './markdown-html';
import { sanitizeMarkdownHtml } from './sanitize-html';
import { decodeForDisplay } from './text-decode';
import { IMAGE_TYPES } from './viewer-kind';

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
