/**
 * How a viewer offers an excerpt for the gated export (see ARCHITECTURE: insider-risk controls): the PDF viewer its current page as a
 * PNG, the image viewer the image, the table viewer the rows in view as CSV. The viewer registers a
 * provider; the export dialog asks it for the bytes only when the reviewer confirms.
 */
import { createContext, useContext, useEffect } from 'react';

export type Excerpt = { kind: 'png'; png: Uint8Array<ArrayBuffer> } | { kind: 'csv'; csv: string };

export interface ExcerptProvider {
  /** What the excerpt is, for the log and the file name (e.g. "page 3", "rows 10-42"). */
  label(): string;
  get(): Promise<Excerpt>;
}

export const ExcerptContext = createContext<(provider: ExcerptProvider | null) => void>(() => undefined);

export function useRegisterExcerpt(provider: ExcerptProvider | null): void {
  const register = useContext(ExcerptContext);
  useEffect(() => {
    register(provider);
    return () => register(null);
  }, [register, provider]);
}

export function canvasPng(canvas: HTMLCanvasElement): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (!blob) reject(new Error('The page could not be captured.'));
      else void blob.arrayBuffer().then((buffer) => resolve(new Uint8Array(buffer)), reject);
    }, 'image/png');
  });
}

export function toCsv(columns: string[], rows: string[][]): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [columns, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
