/**
 * Maps an app:// URL to a file under the built renderer folder, or refuses. Pure over an injected
 * realpath so the refusal table is testable: `..`, encoded traversal, absolute paths, backslashes,
 * NUL, other hosts, and symlinks whose target leaves the root are all refused.
 */
import { isAbsolute, join, relative, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-origin';

export type ResolveResult = { ok: true; file: string } | { ok: false; reason: string };

export function resolveAppPath(url: string, rootRealPath: string, realpath: (p: string) => string): ResolveResult {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'malformed URL' };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return { ok: false, reason: 'wrong origin' };
  const raw = parsed.pathname;
  // Inspect the still-encoded path and the decoded one: %2e%2e and %2f must not sneak a segment past us.
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return { ok: false, reason: 'malformed escape' };
  }
  if (/[\\\0]/.test(decoded) || /%(?:2e|2f|5c|00)/i.test(raw)) return { ok: false, reason: 'encoded or forbidden character' };
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '..' || s === '.')) return { ok: false, reason: 'traversal' };
  const relativePath = segments.length === 0 ? 'index.html' : segments.join(sep);
  if (isAbsolute(relativePath)) return { ok: false, reason: 'absolute path' };
  const candidate = join(rootRealPath, relativePath);
  let real: string;
  try {
    real = realpath(candidate);
  } catch {
    return { ok: false, reason: 'not found' };
  }
  const rel = relative(rootRealPath, real);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { ok: false, reason: 'outside the renderer folder' };
  return { ok: true, file: real };
}

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.pfb': 'application/octet-stream',
  '.bcmap': 'application/octet-stream',
  '.wasm': 'application/wasm',
};

export function mimeTypeFor(file: string): string {
  const dot = file.lastIndexOf('.');
  return (dot >= 0 && MIME[file.slice(dot).toLowerCase()]) || 'application/octet-stream';
}
