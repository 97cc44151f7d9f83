/**
 * One writer at a time on the content store's connection. An import keeps its transaction open across
 * awaits (reading the package while it stores it, so a refused package leaves nothing behind); on the
 * same connection any other write in that window would fail ("cannot start a transaction within a
 * transaction") or, worse, join the import's transaction and vanish with it if the import is refused.
 * So the long writer holds the connection, and short writes (a note, a finding, a claim decision)
 * wait for it and then run at once: synchronous, so nothing can interleave once they start.
 * See ARCHITECTURE: stores and keys.
 */
import type { Database } from '@signalapp/sqlcipher';
import { RwError } from '../../src-shared/errors';

const heldBy = new WeakMap<Database, Promise<unknown>>();

/** Runs a writer that keeps a transaction open across awaits; a second one meanwhile is refused. */
export async function holdContent<T>(db: Database, run: () => Promise<T>): Promise<T> {
  if (heldBy.has(db)) throw new RwError('CONFLICT', 'Another import or write is in progress; try again when it has finished.');
  const running = run();
  heldBy.set(db, running);
  try {
    return await running;
  } finally {
    heldBy.delete(db);
  }
}

/** Runs a synchronous write once no long writer holds the connection (waiting for it if one does). */
export async function writeContent<T>(db: Database, write: (db: Database) => T): Promise<T> {
  for (let holder = heldBy.get(db); holder; holder = heldBy.get(db)) {
    // Its failure is the holder's to report; this write only needs the connection back.
    await holder.catch(() => undefined);
  }
  return write(db);
}

