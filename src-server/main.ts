/**
 * The central server's composition root: configuration, store, HTTP(S) listener and shutdown. `rwctl
 * server start` (and `npm run server`) call this; nothing else builds a running server, so the order in
 * which the store opens and closes around the listener lives in one place.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RwError } from '../src-shared/errors';
import { listen, parseListen } from './http-server';
import { openServerStore } from './open-store';
import { DEFAULT_LISTEN, SERVER_FILES, initDataDir, loadServerConfig } from './server-config';

export interface ServerStartOptions {
  dataDir: string;
  /** HOST:PORT; default from server.json, then DEFAULT_LISTEN. */
  listen?: string;
  /** postgres:// URL; default from server.json, then SQLite in the data folder. */
  database?: string;
  /** PEM files; default from server.json. */
  tls?: { cert: string; key: string };
  clock: () => number;
  log: (line: string) => void;
}

export interface StartedServer {
  name: string;
  url: string;
  storeKind: string;
  /** Set only when this start initialised an empty data folder: the admin token, to be shown once. */
  newAdminToken?: string;
  stop(): Promise<void>;
}

export async function startServer(options: ServerStartOptions): Promise<StartedServer> {
  const dir = options.dataDir;
  let newAdminToken: string | undefined;
  // A fresh checkout's `npm run server`: initialise the folder first (random keys and admin token, shown
  // once; never a default credential). A folder holding anything else is never initialised over.
  if (!existsSync(join(dir, SERVER_FILES.config)) && (!existsSync(dir) || readdirSync(dir).length === 0)) {
    newAdminToken = initDataDir(dir).adminToken;
  }
  const loaded = loadServerConfig(dir);
  let where: { host: string; port: number };
  try {
    where = parseListen(options.listen ?? loaded.config.listen ?? DEFAULT_LISTEN);
  } catch (error) {
    throw new RwError('USAGE', error instanceof Error ? error.message : 'Bad listen address.');
  }
  const tls = options.tls ?? (loaded.config.tls ? { cert: resolve(dir, loaded.config.tls.cert), key: resolve(dir, loaded.config.tls.key) } : undefined);
  const store = await openServerStore(dir, options.database ?? loaded.config.database, { writerThread: true });
  let running;
  try {
    running = await listen({ loaded, store, clock: options.clock, log: options.log }, { ...where, ...(tls ? { tls } : {}) });
  } catch (error) {
    await store.close();
    throw new RwError('INVALID_INPUT', `Cannot listen on ${where.host}:${where.port}: ${error instanceof Error && 'code' in error ? String(error.code) : 'failed'}.`);
  }
  return {
    name: loaded.config.name,
    url: running.url,
    storeKind: store.kind,
    ...(newAdminToken ? { newAdminToken } : {}),
    async stop() {
      await running.close();
      await store.close();
    },
  };
}
