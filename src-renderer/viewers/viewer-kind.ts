/** Which viewer shows an artifact, from the media type the importer sniffed (and the name for text). */
import { tableFormatOf } from '../../src-shared/tabular/table-format';

export type ViewerKind = 'markdown' | 'pdf' | 'json' | 'csv' | 'tsv' | 'jsonl' | 'image' | 'text' | 'none';

export const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp']);

export function viewerKind(mediaType: string, path: string): ViewerKind {
  const type = mediaType.split(';')[0]!.trim().toLowerCase();
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  if (type === 'application/pdf') return 'pdf';
  if (IMAGE_TYPES.has(type)) return 'image';
  if (type === 'text/markdown') return 'markdown';
  if (type === 'application/json') return 'json';
  // The main process pages these tables; both sides decide by the one rule.
  const table = tableFormatOf(mediaType, path);
  if (table) return table;
  if (type.startsWith('text/')) {
    if (ext === 'md' || ext === 'markdown') return 'markdown';
    return 'text';
  }
  return 'none';
}

export function kindLabel(kind: ViewerKind): string {
  switch (kind) {
    case 'markdown':
      return 'Markdown';
    case 'pdf':
      return 'PDF';
    case 'json':
      return 'JSON';
    case 'csv':
      return 'CSV table';
    case 'tsv':
      return 'TSV table';
    case 'jsonl':
      return 'JSON Lines table';
    case 'image':
      return 'Image';
    case 'text':
      return 'Text';
    default:
      return 'Binary (no viewer)';
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  return `${(n / (1024 * 1024 * 1024)).toFixed(2)} GiB`;
}
