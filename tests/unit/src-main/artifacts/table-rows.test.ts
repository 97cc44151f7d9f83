import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '@signalapp/sqlcipher';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { randomBytes } from '../../../../src-shared/node/crypto';
import { parseDelimited, parseJsonLines } from '../../../../src-shared/tabular/delimited';
import { sortRows, tableRowsService, type TableRowsService } from '../../../../src-main/artifacts/table-rows';
import { openEncryptedDb } from '../../../../src-main/vault/encrypted-db';
import { runMigrations } from '../../../../src-main/vault/migrations';
import { CONTENT_MIGRATIONS } from '../../../../src-main/vault/content-schema';

let dir: string;
let db: Database;
let service: TableRowsService;
let n = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rw-table-rows-'));
  db = openEncryptedDb(join(dir, 'content.db'), randomBytes(32), { create: true });
  runMigrations(db, CONTENT_MIGRATIONS, () => 0);
  db.exec("INSERT INTO cases VALUES ('case-1', 'm', 'd', 'v', 's', 'r', 'x', 'p', 'k', 0, '{}')");
  service = tableRowsService({ contentDb: () => db, clock: () => 0, inTurns: false });
});

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Stores text as an artifact cut into chunks of `chunk` bytes (small, so rows straddle chunks). */
function store(text: string | Uint8Array, path: string, chunk: number): string {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const id = `art-${(++n).toString(16).padStart(32, '0')}`;
  const count = Math.ceil(bytes.length / chunk);
  db.prepare('INSERT INTO artifacts VALUES (?, ?, ?, ?, ?, ?, ?)').run([id, 'case-1', `${n}/${path}`, bytes.length, 'ab'.repeat(32), 'text/plain', count]);
  for (let c = 0; c < count; c++) db.prepare('INSERT INTO artifact_chunks (artifact_id, seq, data) VALUES (?, ?, ?)').run([id, c, bytes.slice(c * chunk, (c + 1) * chunk)]);
  return id;
}

async function all(artifactId: string, extra: object = {}) {
  const first = await service.page({ artifactId, offset: 0, limit: 500, ...extra });
  return first.page;
}

const CSV_CASES: [string, string][] = [
  ['quotes, doubled quotes, embedded newlines, CRLF', 'a,b,c\r\n1,"x, y","say ""hi"""\n2,"line1\nline2",3\r\n'],
  ['no final newline', 'k,v\none,1\ntwo,2'],
  ['blank header cells and ragged rows', 'a,,c\n1,2\n1,2,3,4\n\n5,6,7\n'],
  ['lone CR line ends and an empty quoted field before a quote', 'a,b\r"",""""\r"x"y,z\r'],
  ['a quoted field left open', 'a,b\n1,"open\n2,3\n'],
  ['a byte-order mark and UTF-8', '\ufeffname,city\nZoë,Kraków\n"Ünïcode, ok",日本\n'],
  ['only a header', 'a,b,c\n'],
];

describe('table rows paged from the row index', () => {
  for (const [name, text] of CSV_CASES) {
    for (const chunk of [1, 2, 3, 5, 64]) {
      test(`CSV ${name}, chunks of ${chunk} bytes: same columns, rows and warnings as a whole-file parse`, async () => {
        const id = store(text, 'data.csv', chunk);
        const expected = parseDelimited(text.replace(/^\ufeff/, ''), ',');
        const page = await all(id);
        expect(page.columns).toEqual(expected.columns);
        expect(page.rows.map((r) => r.cells)).toEqual(expected.rows);
        expect(page.warnings).toEqual(expected.warnings);
        expect(page.totalRows).toBe(expected.rows.length);
      });
    }
  }

  test('TSV uses tabs', async () => {
    const text = 'k\tv\none\t1\n"q\tx"\t2\n';
    const page = await all(store(text, 'data.tsv', 4));
    expect(page.rows.map((r) => r.cells)).toEqual(parseDelimited(text, '\t').rows);
  });

  for (const chunk of [1, 3, 7, 1024]) {
    test(`JSON Lines with blank lines, scalars and invalid lines, chunks of ${chunk} bytes: the columns and cells of a whole-file parse`, async () => {
      const text = '{"a":1,"b":{"x":[1,2]}}\n\n  \r\n{"c":"three","a":null}\r\n42\nnot json\n{"a":"last"}';
      const id = store(text, 'runs.jsonl', chunk);
      const expected = parseJsonLines(text);
      const page = await all(id);
      expect(page.columns).toEqual(expected.columns);
      expect(page.rows.map((r) => r.cells)).toEqual(expected.rows);
      expect(page.rows.map((r) => r.row)).toEqual([1, 2, 3, 4, 5]);
      // Warnings name rows (what the table numbers), not physical lines.
      expect(page.warnings).toEqual(['Row 4 is not valid JSON; it is shown as text.']);
    });
  }

  test('pages by offset and limit, numbering rows by their place in the file', async () => {
    const lines = ['n,word', ...Array.from({ length: 1000 }, (_, i) => `${i},w${i}`)];
    const id = store(lines.join('\n'), 'big.csv', 100);
    const page = (await service.page({ artifactId: id, offset: 990, limit: 50 })).page;
    expect(page.totalRows).toBe(1000);
    expect(page.rows.map((r) => r.row)).toEqual(Array.from({ length: 10 }, (_, i) => 991 + i));
    expect(page.rows[0]!.cells).toEqual(['990', 'w990']);
  });

  test('sorts numerically and by text, filters by column or anywhere, in the main process', async () => {
    const id = store('n,name\n10,beta\n9,Alpha\n,gamma\n100,alpha\n', 'sort.csv', 3);
    const byNumber = await all(id, { sort: { column: 0, direction: 'asc' } });
    expect(byNumber.rows.map((r) => r.cells[0])).toEqual(['9', '10', '100', '']);
    const byNumberDesc = await all(id, { sort: { column: 0, direction: 'desc' } });
    expect(byNumberDesc.rows.map((r) => r.cells[0])).toEqual(['100', '10', '9', '']);
    const byName = await all(id, { sort: { column: 1, direction: 'asc' } });
    // Case folded, ties in file order.
    expect(byName.rows.map((r) => r.row)).toEqual([2, 4, 1, 3]);
    const filtered = await all(id, { filter: { text: 'ALPHA' } });
    expect(filtered.matchedRows).toBe(2);
    expect(filtered.totalRows).toBe(4);
    expect(filtered.rows.map((r) => r.row)).toEqual([2, 4]);
    const inColumn = await all(id, { filter: { text: '10', column: 0 }, sort: { column: 0, direction: 'desc' } });
    expect(inColumn.rows.map((r) => r.cells[0])).toEqual(['100', '10']);
  });

  test('stores the index once, encrypted in content.db, and reads it back in a new service', async () => {
    const text = 'a,b\n' + Array.from({ length: 300 }, (_, i) => `${i},"x\ny"`).join('\n');
    const id = store(text, 'stored.csv', 50);
    await all(id);
    const parts = db.prepare('SELECT count(*) AS n, sum(length(offsets)) AS bytes FROM artifact_row_chunks WHERE artifact_id = ?').get([id]);
    expect(parts?.bytes).toBe(300 * 4);
    const fresh = tableRowsService({ contentDb: () => db, clock: () => 0, inTurns: false });
    const page = (await fresh.page({ artifactId: id, offset: 299, limit: 5 })).page;
    expect(page.rows).toEqual([{ row: 300, cells: ['299', 'x\ny'] }]);
  });

  test('refuses an artifact that is not a table, an unknown artifact and a column that does not exist', async () => {
    const id = store('plain text', 'notes.txt', 10);
    await expect(service.page({ artifactId: id, offset: 0, limit: 10 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(service.page({ artifactId: `art-${'f'.repeat(32)}`, offset: 0, limit: 10 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const table = store('a,b\n1,2\n', 't.csv', 10);
    await expect(service.page({ artifactId: table, offset: 0, limit: 10, sort: { column: 2, direction: 'asc' } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  test('an offset past the end gives no rows, not an error', async () => {
    const id = store('a\n1\n', 'short.csv', 10);
    const page = (await service.page({ artifactId: id, offset: 10, limit: 10 })).page;
    expect(page.rows).toEqual([]);
    expect(page.totalRows).toBe(1);
  });
});

describe('sortRows', () => {
  test('keeps file order for ties and puts empty cells last in both directions', () => {
    expect([...sortRows([0, 1, 2, 3], ['b', '', 'a', 'b'], 'asc')]).toEqual([2, 0, 3, 1]);
    expect([...sortRows([0, 1, 2, 3], ['b', '', 'a', 'b'], 'desc')]).toEqual([0, 3, 2, 1]);
  });
});
