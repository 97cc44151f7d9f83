/**
 * Catch-up indexing of a vault whose artifacts were stored before the search index existed: the
 * index rows are dropped after a real import (what such a vault looks like), then caught up.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appIndexers } from '../../../../src-main/search/app-indexers';
import { catchUpIndex, unindexedArtifacts } from '../../../../src-main/search/catch-up-index';
import type { IndexProgress } from '../../../../src-main/search/index-artifacts';
import { search } from '../../../../src-main/search/search-service';
import { ONLY_IN, openSearchFixture, type SearchFixture } from './search-fixture';

let f: SearchFixture;

function forgetIndex(): void {
  f.db.exec("DELETE FROM search_units WHERE kind NOT IN ('note', 'finding', 'claim'); DELETE FROM search_sources;");
}

beforeEach(async () => {
  f = await openSearchFixture();
  forgetIndex();
}, 30_000);
afterEach(() => {
  f.db.close();
  fs.rmSync(f.dir, { recursive: true, force: true });
});

const hits = (word: string) => search(f.db, { query: word, limit: 10 }).hits.length;

describe('catch-up indexing', () => {
  it('indexes every artifact missing from the index, reporting progress up to the total', async () => {
    const missing = unindexedArtifacts(f.db).length;
    expect(missing).toBeGreaterThan(5);
    expect(hits(ONLY_IN.pdf)).toBe(0);
    const progress: IndexProgress[] = [];
    const summary = await catchUpIndex(f.db, { indexers: appIndexers(), clock: () => 2_000, onProgress: (p) => progress.push(p) });
    expect(summary).toMatchObject({ artifacts: missing, cancelled: false });
    for (const word of [ONLY_IN.pdf, ONLY_IN.md, ONLY_IN.csv, ONLY_IN.jsonl]) expect(hits(word)).toBe(1);
    expect(hits('calculator')).toBe(3);
    expect(unindexedArtifacts(f.db)).toEqual([]);
    expect(progress.at(-1)!.bytesDone).toBe(progress.at(-1)!.bytesTotal);
    expect(progress.every((p, i) => i === 0 || p.bytesDone >= progress[i - 1]!.bytesDone)).toBe(true);
    // A second run finds nothing to do.
    expect(await catchUpIndex(f.db, { indexers: appIndexers(), clock: () => 3_000 })).toMatchObject({ artifacts: 0 });
  });

  it('stops between artifacts when the vault locks, and the next run resumes with what is left', async () => {
    const missing = unindexedArtifacts(f.db).length;
    let done = 0;
    const first = await catchUpIndex(f.db, { indexers: appIndexers(), clock: () => 2_000, isCancelled: () => done >= 2, onProgress: () => done++ });
    expect(first).toMatchObject({ cancelled: true, artifacts: 1 });
    expect(unindexedArtifacts(f.db)).toHaveLength(missing - 1);
    const rest = await catchUpIndex(f.db, { indexers: appIndexers(), clock: () => 2_000 });
    expect(rest.artifacts).toBe(missing - 1);
    expect(hits(ONLY_IN.pdf)).toBe(1);
  });

  it('waits while another transaction holds the connection (an import), and writes nothing inside it', async () => {
    f.db.exec('BEGIN IMMEDIATE');
    let waits = 0;
    const summary = await catchUpIndex(f.db, {
      indexers: appIndexers(),
      clock: () => 2_000,
      wait: async () => {
        waits++;
        // The "import" rolls back: had the catch-up written inside it, its rows would vanish too.
        if (waits === 3) f.db.exec('ROLLBACK');
      },
    });
    expect(waits).toBe(3);
    expect(summary.artifacts).toBeGreaterThan(5);
    expect(hits(ONLY_IN.pdf)).toBe(1);
    expect(unindexedArtifacts(f.db)).toEqual([]);
  });
});
