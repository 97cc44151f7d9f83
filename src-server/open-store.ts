/** Chooses the backend: PostgreSQL when a database URL is given, else SQLite in the data folder. */
import { join } from 'node:path';
import { SERVER_FILES } from './server-config';
import { openPostgresDriver } from './postgres-driver';
import { openSqliteDriver } from './sqlite-driver';
import { createServerStore, type ServerStore } from './server-store';

/** `writerThread`: a running server's SQLite commits wait on a worker thread, not on the event loop (sqlite-driver.ts). */
export async function openServerStore(dataDir: string, databaseUrl?: string, options: { writerThread?: boolean } = {}): Promise<ServerStore> {
  const driver = databaseUrl ? await openPostgresDriver(databaseUrl) : openSqliteDriver(join(dataDir, SERVER_FILES.sqlite), options);
  try {
    return await createServerStore(driver);
  } catch (error) {
    await driver.close().catch(() => undefined);
    throw error;
  }
}
