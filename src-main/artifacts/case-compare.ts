/**
 * What changed between a case and the version before it: files added, removed and changed (by signed
 * digest), and a side-by-side line diff of one changed text document. Both sides come from content.db;
 * nothing is written anywhere. A diff is refused for files too large or not text, so a reviewer is not
 * shown a wall of binary noise or made to wait on a quadratic comparison.
 */
import type { Database } from '@signalapp/sqlcipher';
import { RwError } from '../../src-shared/errors';
import { diffLines, sideBySide, splitLines, type SideBySideRow } from '../../src-shared/text-diff';
import { previousVersion, type CaseRef } from './case-lineage';
import { listArtifacts, readArtifactChunk } from './case-queries';
import type { ArtifactSummary } from '../../src-shared/ipc/channels-cases';

export const MAX_DIFF_BYTES = 2 * 1024 * 1024;

export interface FileChange {
  path: string;
  size: number;
  mediaType: string;
}

export interface ChangedFile extends FileChange {
  previousSize: number;
  sha256: string;
  previousSha256: string;
  /** True when both sides are text small enough for a line diff. */
  diffable: boolean;
}

export interface CaseComparison {
  previous: CaseRef | null;
  added: FileChange[];
  removed: FileChange[];
  changed: ChangedFile[];
  unchanged: number;
}

const TEXT_TYPES = /^(text\/|application\/(json|x-ndjson|jsonl|xml|x-yaml|yaml|csv))/;

function isText(a: ArtifactSummary): boolean {
  return TEXT_TYPES.test(a.mediaType) || /\.(md|txt|json|jsonl|csv|tsv|ya?ml|log|xml)$/i.test(a.path);
}

export function compareWithPrevious(db: Database, caseId: string): CaseComparison {
  const current = listArtifacts(db, caseId);
  const previous = previousVersion(db, caseId);
  if (!previous) return { previous: null, added: [], removed: [], changed: [], unchanged: 0 };
  const before = new Map(listArtifacts(db, previous.caseId).map((a) => [a.path, a]));
  const comparison: CaseComparison = { previous, added: [], removed: [], changed: [], unchanged: 0 };
  for (const a of current) {
    const old = before.get(a.path);
    before.delete(a.path);
    if (!old) comparison.added.push({ path: a.path, size: a.size, mediaType: a.mediaType });
    else if (old.sha256 === a.sha256) comparison.unchanged += 1;
    else
      comparison.changed.push({
        path: a.path,
        size: a.size,
        mediaType: a.mediaType,
        previousSize: old.size,
        sha256: a.sha256,
        previousSha256: old.sha256,
        diffable: isText(a) && isText(old) && a.size <= MAX_DIFF_BYTES && old.size <= MAX_DIFF_BYTES,
      });
  }
  for (const old of before.values()) comparison.removed.push({ path: old.path, size: old.size, mediaType: old.mediaType });
  return comparison;
}

function readText(db: Database, artifact: ArtifactSummary): string {
  const parts: Uint8Array[] = [];
  for (let chunk = 0; chunk < artifact.chunkCount; chunk += 1) parts.push(readArtifactChunk(db, artifact.id, chunk).chunk.data);
  const bytes = Buffer.concat(parts);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new RwError('INVALID_INPUT', `${artifact.path} is not UTF-8 text; it cannot be shown as a line diff.`);
  }
}

export interface TextDiff {
  path: string;
  previous: CaseRef;
  /** The two artifacts read, so the access log can name both. */
  artifactIds: { before: string; after: string };
  rows: SideBySideRow[];
  /** False when the files differ too much for a line diff (the rows are then empty). */
  complete: boolean;
}

export function diffWithPrevious(db: Database, caseId: string, path: string): TextDiff {
  const comparison = compareWithPrevious(db, caseId);
  if (!comparison.previous) throw new RwError('NOT_FOUND', 'This case has no previous version to compare with.');
  const change = comparison.changed.find((c) => c.path === path);
  if (!change) throw new RwError('NOT_FOUND', `${path} did not change between the two versions.`);
  if (!change.diffable) throw new RwError('TOO_LARGE', `${path} is not a text file of at most ${MAX_DIFF_BYTES / (1024 * 1024)} MiB; it cannot be shown as a line diff.`);
  const after = listArtifacts(db, caseId).find((a) => a.path === path);
  const before = listArtifacts(db, comparison.previous.caseId).find((a) => a.path === path);
  if (!after || !before) throw new RwError('NOT_FOUND', `${path} is missing from one of the versions.`);
  const left = splitLines(readText(db, before));
  const right = splitLines(readText(db, after));
  const ops = diffLines(left, right);
  return {
    path,
    previous: comparison.previous,
    artifactIds: { before: before.id, after: after.id },
    rows: ops ? sideBySide(left, right, ops) : [],
    complete: ops !== null,
  };
}
