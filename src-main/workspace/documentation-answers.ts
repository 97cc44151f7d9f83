/**
 * Where the documentation answers each rubric criterion: for every criterion that names phrases to look
 * for, the case's documents (Markdown, text, PDF pages: the search index built at import) are searched
 * phrase by phrase, in the rubric's order of preference, and the first hit is proposed with its place
 * (page or line, and the Markdown section). A proposal is only that: the reviewer confirms it by linking
 * the document to the item; a criterion with no confirmed place is listed as unanswered.
 */
import type { Database } from '@signalapp/sqlcipher';
import type { ChecklistAnswerPlace } from '../../src-shared/ipc/channels-workspace';
import { search } from '../search/search-service';
import type { RubricItem } from './rubric';

const DOCUMENT_KINDS = ['pdf', 'md', 'text'] as const;

/** A phrase as the search language writes it: quoted when it has more than one word. */
function queryFor(phrase: string): string {
  const clean = phrase.replace(/"/g, ' ').trim();
  return /\s/.test(clean) ? `"${clean}"` : clean;
}

export function proposeAnswer(db: Database, caseId: string, item: RubricItem): ChecklistAnswerPlace | null {
  for (const phrase of item.lookFor ?? []) {
    let hits;
    try {
      hits = search(db, { query: queryFor(phrase), caseId, kinds: DOCUMENT_KINDS, limit: 1 }).hits;
    } catch {
      // A phrase the search language cannot use (too short, no letters) proposes nothing.
      continue;
    }
    const hit = hits[0];
    if (!hit || hit.artifactId === null || hit.path === null) continue;
    return { artifactId: hit.artifactId, path: hit.path, where: hit.where, section: hit.label, excerpt: hit.snippet.replace(/\*\*/g, '').slice(0, 300), phrase };
  }
  return null;
}
