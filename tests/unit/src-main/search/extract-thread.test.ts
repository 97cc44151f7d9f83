/**
 * A large import reads the artifacts' text on the extraction thread: what it writes must be exactly what
 * the same indexing writes on one thread (units, their order, places, identifiers, statuses), with an
 * indexer the thread does not run (kept on the calling thread) interleaved, and a damaged PDF marked
 * unreadable by the thread as it is on one thread.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appIndexers } from '../../../../src-main/search/app-indexers';
import { textIndexer, type ArtifactIndexer } from '../../../../src-main/search/artifact-indexers';
import { ExtractThread } from '../../../../src-main/search/extract-thread';
import { indexCaseArtifacts } from '../../../../src-main/search/index-artifacts';
import { openTestContentDb, type TestContentDb } from '../../../helpers/package-fixtures';
import { importFiles, packageFiles } from './search-fixture';

let vault: TestContentDb;
let caseId: string;

beforeAll(async () => {
  vault = openTestContentDb();
  caseId = await importFiles(vault.db, { ...packageFiles(), 'reports/broken.pdf': '%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage' });
}, 30_000);
afterAll(() => {
  vault.db.close();
  fs.rmSync(vault.dir, { recursive: true, force: true });
});

/** Not one of the app's indexers: stays on the calling thread. */
const ownLogIndexer: ArtifactIndexer = { ...textIndexer, name: 'text', accepts: (a) => a.path.endsWith('.log') };

async function indexAll(threadMinBytes: number) {
  const { db } = vault;
  db.exec('BEGIN IMMEDIATE');
  const summary = await indexCaseArtifacts(db, caseId, { indexers: [ownLogIndexer, ...appIndexers()], clock: () => 5, threadMinBytes });
  db.exec('COMMIT');
  // Ids are new on every run: the order they give is what is compared.
  const units = db.prepare("SELECT kind, source_id, loc_kind, loc, label, body, idents FROM search_units WHERE kind NOT IN ('note', 'finding', 'claim') ORDER BY id").all();
  const sources = db.prepare("SELECT source_id, kind, units, text_bytes, status FROM search_sources WHERE kind NOT IN ('note', 'finding', 'claim') ORDER BY source_id").all();
  return { summary, units, sources };
}

describe('the extraction thread', () => {
  it('writes what one thread writes, in the same order, and ends with the import', async () => {
    const start = vi.spyOn(ExtractThread, 'start');
    const oneThread = await indexAll(Number.POSITIVE_INFINITY);
    expect(start).not.toHaveBeenCalled();
    const threaded = await indexAll(0);
    expect(start).toHaveBeenCalledTimes(1);
    expect(start.mock.results[0]?.value).toBeInstanceOf(ExtractThread);
    start.mockRestore();
    expect(threaded).toEqual(oneThread);
    expect(threaded.summary.unreadable).toBe(1);
    expect(threaded.sources.map((s) => s.status).sort()).toEqual(expect.arrayContaining(['indexed', 'no-text', 'unreadable']));
    expect(threaded.units.some((u) => u.loc_kind === 'sample' && u.label)).toBe(true);
    expect(threaded.units.some((u) => u.loc_kind === 'page')).toBe(true);
    const { db } = vault;
    db.exec("INSERT INTO search_words(search_words, rank) VALUES ('integrity-check', 1); INSERT INTO search_idents(search_idents, rank) VALUES ('integrity-check', 1);");
  }, 30_000);
});
