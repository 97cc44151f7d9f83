/**
 * Markdown to HTML for the viewer, before sanitising. Submitted Markdown is untrusted: raw HTML is
 * off (markdown-it `html: false`), links are rendered inert (their text, then the URL in plain
 * sight, because a reviewer must see where a link points without being able to follow it), and an
 * image becomes a placeholder naming a file of the same submission; the viewer fills it from a blob
 * URL or says it is not there. Nothing here can produce a fetchable URL.
 */
import MarkdownIt, { type Token } from 'markdown-it';

type Md = ReturnType<typeof MarkdownIt>;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** A relative reference inside the submission: no scheme, no host, not absolute, no query. */
export function isSubmissionRelative(src: string): boolean {
  if (src.length === 0 || src.length > 1000) return false;
  if (/^[a-z][a-z0-9+.-]*:/i.test(src)) return false;
  if (src.startsWith('/') || src.startsWith('\\') || src.includes('?') || src.includes('#')) return false;
  return true;
}

/**
 * Resolves an image reference against the Markdown file's folder, inside the submission only; null
 * when it climbs out (`../` past the root) or is not a plain relative path.
 */
export function resolveSubmissionPath(markdownPath: string, src: string): string | null {
  if (!isSubmissionRelative(src)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(src);
  } catch {
    return null;
  }
  if (decoded.includes('\\') || decoded.includes('\0')) return null;
  const parts = markdownPath.split('/').slice(0, -1);
  for (const segment of decoded.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (parts.length === 0) return null;
      parts.pop();
      continue;
    }
    parts.push(segment);
  }
  return parts.length > 0 ? parts.join('/') : null;
}

function createRenderer(): Md {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });
  const hrefs: string[] = [];
  md.renderer.rules['link_open'] = (tokens, idx) => {
    hrefs.push(String(tokens[idx]?.attrGet('href') ?? ''));
    return '<span class="md-link">';
  };
  md.renderer.rules['link_close'] = () => {
    const href = hrefs.pop() ?? '';
    return `</span> <span class="md-link-url">(${escapeHtml(href)})</span>`;
  };
  md.renderer.rules['image'] = (tokens, idx, options, env, self) => {
    const token = tokens[idx] as Token;
    const src = String(token.attrGet('src') ?? '');
    const alt = self.renderInlineAsText(token.children ?? [], options, env);
    if (!isSubmissionRelative(src)) {
      return `<span class="md-image-missing">[image outside this submission, not loaded: ${escapeHtml(alt || 'untitled')} (${escapeHtml(src)})]</span>`;
    }
    return `<img data-rw-src="${escapeHtml(src)}" alt="${escapeHtml(alt)}">`;
  };
  // Column alignment arrives as a style attribute, which the CSP forbids: turn it into a class.
  md.core.ruler.push('rw-align-classes', (state) => {
    for (const token of state.tokens) {
      if (token.type !== 'th_open' && token.type !== 'td_open') continue;
      const style = token.attrGet('style');
      if (typeof style !== 'string') continue;
      const align = /text-align:\s*(left|right|center)/.exec(style)?.[1];
      token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
      if (align) token.attrJoin('class', `md-align-${align}`);
    }
  });
  return md;
}

let renderer: Md | null = null;

export function markdownToHtml(source: string): string {
  renderer ??= createRenderer();
  return renderer.render(source);
}
