import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { search } from '../../../../src-main/search/search-service';
import { UnitWriter } from '../../../../src-main/search/search-units';
import { openTestContentDb } from '../../../helpers/package-fixtures';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('unit writer', () => {
  it('writes a batch of gathered units at finish, each with its own place, and replaces them when the source is indexed again', () => {
    const vault = openTestContentDb();
    dirs.push(vault.dir);
    const { db } = vault;
    db.prepare("INSERT INTO cases VALUES ('case-u', 'M', 'D', '1', 's', 'r', 'd', 'p', 'k', 1, '{}')").run();
    const source = { caseId: 'case-u', kind: 'text', sourceId: 'src-1', artifactId: null } as const;
    const writer = new UnitWriter(db, 4);
    const count = () => Number(db.prepare('SELECT count(*) AS n FROM search_units').get()?.n);
    db.exec('BEGIN');
    for (let n = 1; n <= 6; n++) writer.add(source, { text: `line ${n} of a lambrequin log, run_${n}`, loc: { kind: 'line', n } });
    // The first four went out as a batch; two wait for the next batch or finish.
    expect(count()).toBe(4);
    writer.finish(source, 6, 0, 'indexed', 1);
    db.exec('COMMIT');
    expect(count()).toBe(6);
    expect(search(db, { query: 'lambrequin', limit: 10 }).hits.map((h) => h.where).sort()).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6']);
    expect(search(db, { query: 'run_5', limit: 10 }).hits.map((h) => h.where)).toEqual(['line 5']);
    // Indexed again: the old units go (through the delete trigger), the new ones come.
    db.exec('BEGIN');
    writer.remove('src-1');
    writer.add(source, { text: 'a quillon now', loc: { kind: 'line', n: 1 } });
    writer.finish(source, 1, 0, 'indexed', 2);
    db.exec('COMMIT');
    expect(search(db, { query: 'lambrequin', limit: 10 }).hits).toEqual([]);
    expect(search(db, { query: 'quillon', limit: 10 }).hits).toHaveLength(1);
    db.exec("INSERT INTO search_words(search_words, rank) VALUES ('integrity-check', 1); INSERT INTO search_idents(search_idents, rank) VALUES ('integrity-check', 1);");
    db.close();
  });
});
