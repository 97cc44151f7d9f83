/**
 * The SQLite driver with its writer on a worker thread (how a running server opens its store): a
 * transaction commits everything or, when it throws or a statement fails, nothing; statements sent
 * together run in order; the driver keeps working after a failed transaction; and what it committed is
 * what a fresh connection reads. The transaction rules hold on the thread and on the calling thread: a
 * COMMIT after a failed statement commits nothing, a statement after COMMIT is refused, and the next
 * transaction runs behind the previous COMMIT and sees its rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteDriver } from '../../../src-server/sqlite-driver';

const dir = mkdtempSync(join(tmpdir(), 'rw-writer-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite writer on a worker thread', () => {
  it('commits all or nothing, keeps order, and survives a failed transaction', async () => {
    const path = join(dir, 'db.sqlite');
    const driver = openSqliteDriver(path, { writerThread: true });
    try {
      await driver.exec('CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB NOT NULL)');
      await driver.transaction(async (conn) => {
        // Issued together: one message to the thread, run in this order.
        await Promise.all([conn.run('INSERT INTO t(k, v) VALUES (?, ?)', [1, new Uint8Array([1, 2])]), conn.run('INSERT INTO t(k, v) VALUES (?, ?)', [2, new Uint8Array([3])])]);
        expect(await conn.all('SELECT k FROM t ORDER BY k')).toEqual([{ k: 1 }, { k: 2 }]);
      });
      // A thrown error rolls back what the transaction wrote.
      await expect(
        driver.transaction(async (conn) => {
          await conn.run('INSERT INTO t(k, v) VALUES (?, ?)', [3, new Uint8Array([4])]);
          throw new Error('refused half-way');
        }),
      ).rejects.toThrow('refused half-way');
      // A failing statement fails the ones sent with it after it, and the transaction rolls back.
      const together = driver.transaction((conn) =>
        Promise.all([conn.run('INSERT INTO t(k, v) VALUES (?, ?)', [4, new Uint8Array([5])]), conn.run('INSERT INTO t(k, v) VALUES (?, ?)', [1, new Uint8Array([6])]), conn.run('INSERT INTO t(k, v) VALUES (?, ?)', [5, new Uint8Array([7])])]),
      );
      await expect(together).rejects.toThrow(/UNIQUE|constraint/i);
      await driver.transaction((conn) => conn.run('INSERT INTO t(k, v) VALUES (?, ?)', [6, new Uint8Array([8])]));
      const rows = await driver.reader.all('SELECT k, v FROM t ORDER BY k');
      expect(rows.map((r) => r.k)).toEqual([1, 2, 6]);
      expect(new Uint8Array(rows[0]!.v as Uint8Array)).toEqual(new Uint8Array([1, 2]));
    } finally {
      await driver.close();
    }
    // A fresh connection on this thread reads the same committed rows.
    const again = openSqliteDriver(path);
    try {
      expect((await again.reader.all('SELECT k FROM t ORDER BY k')).map((r) => r.k)).toEqual([1, 2, 6]);
    } finally {
      await again.close();
    }
  });

  for (const writerThread of [true, false]) {
    it(`keeps the transaction rules ${writerThread ? 'on the writer thread' : 'on the calling thread'}`, async () => {
      const driver = openSqliteDriver(join(dir, `rules-${writerThread}.sqlite`), { writerThread });
      const insert = (conn: { run(sql: string, params: number[]): Promise<number> }, k: number) => conn.run('INSERT INTO t(k) VALUES (?)', [k]);
      try {
        await driver.exec('CREATE TABLE t(k INTEGER PRIMARY KEY)');
        await driver.transaction((conn) => insert(conn, 1));
        // A failed statement answered before the COMMIT is sent (another message): nothing commits.
        await expect(
          driver.transaction(async (conn) => {
            await insert(conn, 1).catch(() => 0);
            await insert(conn, 2);
            await conn.commit();
          }),
        ).rejects.toThrow();
        // Nothing is issued after COMMIT; what was issued with it commits.
        await expect(
          driver.transaction(async (conn) => {
            await Promise.all([insert(conn, 3), conn.commit()]);
            await insert(conn, 4);
          }),
        ).rejects.toThrow(/outside its transaction/);
        // The next transaction, asked while one is committing, reads its rows.
        const first = driver.transaction((conn) => Promise.all([insert(conn, 5), conn.commit()]));
        const second = driver.transaction((conn) => conn.all('SELECT k FROM t ORDER BY k'));
        await first;
        expect((await second).map((r) => r.k)).toEqual([1, 3, 5]);
        expect((await driver.reader.all('SELECT k FROM t ORDER BY k')).map((r) => r.k)).toEqual([1, 3, 5]);
      } finally {
        await driver.close();
      }
    });
  }
});
