/**
 * The media type of an artifact, decided from its content first (magic bytes) and only then, for text,
 * from its extension. A name never makes bytes into a PDF or an image: a file called report.pdf that
 * does not start with %PDF- is opaque bytes, so no viewer parser is ever pointed at the wrong format.
 * HTML and SVG are deliberately never recognised as such: they are shown as text, never rendered.
 */
export const OCTET_STREAM = 'application/octet-stream';

/** How many leading bytes sniffing looks at. */
export const SNIFF_BYTES = 8192;

function startsWith(head: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (head.byteLength < offset + signature.length) return false;
  return signature.every((b, i) => head[offset + i] === b);
}

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

const TEXT_BY_EXTENSION: Record<string, string> = {
  md: 'text/markdown',
  markdown: 'text/markdown',
  txt: 'text/plain',
  text: 'text/plain',
  log: 'text/plain',
  json: 'application/json',
  jsonl: 'application/jsonl',
  ndjson: 'application/jsonl',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
};

/** Source and config files: shown as plain text (syntax is a viewer concern, not a trust one). */
const SOURCE_EXTENSIONS = new Set([
  'py', 'ipynb', 'ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'c', 'h', 'cc', 'cpp', 'hpp', 'rs', 'go', 'java', 'kt', 'swift',
  'rb', 'php', 'sh', 'bash', 'zsh', 'ps1', 'r', 'jl', 'scala', 'sql', 'yaml', 'yml', 'toml', 'ini', 'cfg', 'conf', 'xml',
  'html', 'htm', 'svg', 'css', 'tex', 'rst', 'proto', 'lua', 'pl', 'cs', 'm', 'hs', 'ml', 'ex', 'exs', 'dockerfile', 'makefile',
]);

/** Plausibly text: valid UTF-8 (allowing a character cut at the end of the sniffed window) and no NUL. */
function looksLikeText(head: Uint8Array): boolean {
  if (head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function extensionOf(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1).toLowerCase();
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? base : base.slice(dot + 1);
}

/** `head` is the first bytes of the file (up to SNIFF_BYTES; fewer for short files). */
export function sniffMediaType(name: string, head: Uint8Array): string {
  if (startsWith(head, ascii('%PDF-'))) return 'application/pdf';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return 'application/zip';
  if (!looksLikeText(head)) return OCTET_STREAM;
  const extension = extensionOf(name);
  const known = TEXT_BY_EXTENSION[extension];
  if (known) return known;
  if (SOURCE_EXTENSIONS.has(extension)) return 'text/plain';
  return head.byteLength === 0 ? OCTET_STREAM : 'text/plain';
}
