/**
 * pdf.js's standard fonts (the 14 base fonts a PDF may use without embedding), bundled with the app
 * as hashed assets (`?url` works for any file type; .pfb is not one Vite knows). pdf.js would build
 * their URLs from a folder name, which hashed names break, so this factory maps the file name pdf.js
 * asks for to the bundled asset and reads it from our own origin (CSP connect-src 'self'). Nothing is
 * fetched from anywhere else, and only when a PDF uses a non-embedded base font.
 */
const FONT_URLS = import.meta.glob<string>('../../node_modules/pdfjs-dist/standard_fonts/*.{pfb,ttf}', { query: '?url', import: 'default', eager: true });

const byName = new Map<string, string>();
for (const [path, url] of Object.entries(FONT_URLS)) byName.set(path.slice(path.lastIndexOf('/') + 1), url);

/** Matches pdf.js's StandardFontDataFactory contract: `new F({ baseUrl })`, `fetch({ filename })`. */
export class BundledStandardFontFactory {
  constructor(_options: { baseUrl?: string | null } = {}) {}

  async fetch({ filename }: { filename: string }): Promise<Uint8Array> {
    const url = byName.get(filename);
    if (!url) throw new Error(`No bundled standard font named ${filename}`);
    const resolved = new URL(url, document.baseURI);
    // Defence in depth: only ever our own origin.
    if (resolved.origin !== window.location.origin) throw new Error('Refusing a font from another origin.');
    const response = await fetch(resolved, { credentials: 'omit', cache: 'force-cache' });
    if (!response.ok) throw new Error(`Font ${filename} is missing from the bundle (${response.status}).`);
    return new Uint8Array(await response.arrayBuffer());
  }
}

export function bundledFontNames(): string[] {
  return [...byName.keys()];
}
