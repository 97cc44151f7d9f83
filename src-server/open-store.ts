/** Chooses the backend: PostgreSQL when a database URL is given, else SQLite in the data folder. */
import { join } from 'node:path';
import { SERVER_FILES } from './server-config';
import { openPostgresDriver } from './postgres-driver';
import { openSqliteDriver } from './sqlite-driver';
import { createServerStore, type ServerStore } from './server-store';

export async function openServerStore(dataDir: string, databaseUrl?: string): Promise<ServerStore> {
  const driver = databaseUrl ? await openPostgresDriver(databaseUrl) : openSqliteDriver(join(dataDir, SERVER_FILES.sqlite));
  try {
    return await createServerStore(driver);
  } catch (error) {
    await driver.close().catch(() => undefined);
    throw error;
  }
}
