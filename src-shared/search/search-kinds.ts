/**
 * What a search hit can be: the artifact formats the indexer reads, Inspect evaluation logs, and the
 * reviewer's own records. `kind:` filters name these, or an alias a reviewer is likely to type.
 */
export const SEARCH_KINDS = ['pdf', 'md', 'text', 'json', 'csv', 'jsonl', 'log', 'note', 'finding', 'claim'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

const ALIASES: Record<string, readonly SearchKind[]> = {
  markdown: ['md'],
  txt: ['text'],
  tsv: ['csv'],
  table: ['csv', 'jsonl'],
  ndjson: ['jsonl'],
  eval: ['log'],
  notes: ['note'],
  findings: ['finding'],
  claims: ['claim'],
};

/** The kinds a `kind:` value names (case-insensitive), or null when it names none. */
export function kindsNamed(value: string): readonly SearchKind[] | null {
  const lower = value.toLowerCase();
  if ((SEARCH_KINDS as readonly string[]).includes(lower)) return [lower as SearchKind];
  return Object.hasOwn(ALIASES, lower) ? ALIASES[lower]! : null;
}

export function searchKindLabel(kind: SearchKind): string {
  switch (kind) {
    case 'pdf':
      return 'PDF';
    case 'md':
      return 'Markdown';
    case 'text':
      return 'Text';
    case 'json':
      return 'JSON';
    case 'csv':
      return 'Table';
    case 'jsonl':
      return 'JSON Lines';
    case 'log':
      return 'Evaluation log';
    case 'note':
      return 'Note';
    case 'finding':
      return 'Finding';
    case 'claim':
      return 'Claim';
  }
}
