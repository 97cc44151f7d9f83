/**
 * Which artifacts are shown as tables, decided once for both sides: the main process pages their rows
 * and the renderer picks the table viewer by the same rule.
 */
export const TABLE_FORMATS = ['csv', 'tsv', 'jsonl'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

/** From the media type the importer sniffed, and the file name for plain text. */
export function tableFormatOf(mediaType: string, path: string): TableFormat | null {
  const type = mediaType.split(';')[0]!.trim().toLowerCase();
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  if (type === 'application/jsonl' || type === 'application/x-ndjson') return 'jsonl';
  if (type === 'text/csv') return 'csv';
  if (type === 'text/tab-separated-values') return 'tsv';
  if (type.startsWith('text/')) {
    if (ext === 'csv') return 'csv';
    if (ext === 'tsv') return 'tsv';
    if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  }
  return null;
}
