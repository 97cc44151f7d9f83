/**
 * The second line behind markdown-it `html: false`: DOMPurify with an allow-list that keeps text
 * structure and drops anything that could fetch, navigate, submit, style or script. Its own instance,
 * so its hooks and settings touch nothing else.
 */
import createDOMPurify from 'dompurify';

let purifier: ReturnType<typeof createDOMPurify> | null = null;

const FORBID_TAGS = ['style', 'script', 'form', 'input', 'button', 'textarea', 'select', 'option', 'iframe', 'frame', 'object', 'embed', 'link', 'meta', 'base', 'svg', 'math', 'video', 'audio', 'source', 'picture', 'a'];
const FORBID_ATTR = ['style', 'src', 'srcset', 'href', 'xlink:href', 'action', 'formaction', 'id', 'name', 'target', 'ping', 'background', 'poster'];

export function sanitizeMarkdownHtml(html: string): string {
  purifier ??= createDOMPurify(window);
  return purifier.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS,
    FORBID_ATTR,
    ALLOW_DATA_ATTR: false,
    ADD_ATTR: ['data-rw-src'],
    ALLOW_UNKNOWN_PROTOCOLS: false,
    RETURN_TRUSTED_TYPE: false,
  });
}
