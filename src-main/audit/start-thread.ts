/**
 * Starts one of the main process's worker threads by its entry name (the audit layer's audit-worker and
 * tally-worker, search's extraction thread): the built file beside the bundle (electron-vite writes
 * `<entry>.js` next to the main entry; a shared chunk sits one folder down), else the TypeScript source
 * through tsx (tests, the preview and benches run from source; tsx is a development dependency only).
 * The rwctl bundle builds no worker entries, so there this throws and the two threads rwctl can reach
 * (the tally, the extraction thread) fall back to doing their work on the caller's thread.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { RwError } from '../../src-shared/errors';

/** Each entry's source, relative to this file. */
const SOURCES = {
  'audit-worker': './audit-worker.ts',
  'tally-worker': './tally-worker.ts',
  'search-extract-worker': '../search/extract-worker.ts',
} as const;

export function startThread(entry: keyof typeof SOURCES, options: WorkerOptions): Worker {
  for (const candidate of [`./${entry}.js`, `../${entry}.js`]) {
    const url = new URL(candidate, import.meta.url);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return new Worker(url, options);
  }
  const source = new URL(SOURCES[entry], import.meta.url);
  if (!existsSync(fileURLToPath(source))) throw new RwError('INTERNAL', `The ${entry} is missing from this build.`);
  // The ES module build of tsx's API (the CommonJS one registers its hooks by a path that does not exist).
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => m.tsImport(${JSON.stringify(source.href)}, ${JSON.stringify(source.href)}))`;
  return new Worker(boot, { ...options, eval: true });
}
