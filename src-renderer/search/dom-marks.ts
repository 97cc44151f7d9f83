/**
 * Wraps a search hit's matched words in <mark> inside a rendered document (the sanitised Markdown),
 * by splitting text nodes: no HTML is parsed, so marking cannot inject anything. Returns the first
 * mark so the viewer can bring it into view.
 */
import { markParts } from './hit-place';

export function markTextIn(root: Element, marks: readonly string[]): HTMLElement | null {
  if (marks.length === 0) return null;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
  let first: HTMLElement | null = null;
  for (const node of nodes) {
    const parts = markParts(node.data, marks);
    if (parts.length === 1 && !parts[0]!.mark) continue;
    const fragment = document.createDocumentFragment();
    for (const part of parts) {
      if (!part.mark) {
        fragment.append(document.createTextNode(part.text));
        continue;
      }
      const mark = document.createElement('mark');
      mark.className = 'search-mark';
      mark.textContent = part.text;
      first ??= mark;
      fragment.append(mark);
    }
    node.replaceWith(fragment);
  }
  return first;
}
