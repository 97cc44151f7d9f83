/**
 * IPC handlers for the case channels. The router has checked sender, schema and role (reviewer,
 * content); these call the queries and name what was touched for the access log: the case, or the
 * artifact with its path and signed digest, so an auditor can tell which document was read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Database } from '@signalapp/sqlcipher';
import { parsePublicKeyPem, type PublicKey } from '../../src-shared/node/crypto';
import { RwError } from '../../src-shared/errors';
import type { caseChannels } from '../../src-shared/ipc/channels-cases';
import type { Handler } from '../ipc/router';
import { getArtifact, getCase, listArtifacts, listCaseSummaries, readArtifactChunk } from './case-queries';
import { importPackageDetailed, type ImportResult } from './import-package';
import { removeCase } from './remove-case';
import { createImportProgressReporter } from './import-progress-reporter';
import { tableRowsService, type TableRowsService } from './table-rows';
import { writeContent } from '../vault/content-writer';

type CaseChannels = typeof caseChannels;
export type CaseHandlers = { [K in keyof CaseChannels]: Handler<CaseChannels[K]> };

export interface DemoPackage {
  /** The bundled demo package folder (assets/demo/package). */
  dir: string;
  /** Its bundled, demo-only submitter key: trusted for this import only. */
  trustedKey: PublicKey;
}

export interface CaseHandlerDeps {
  /** The unlocked content.db; throws VAULT_LOCKED when there is none. */
  contentDb(): Database;
  clock(): number;
  demo(): DemoPackage;
  /** Monotonic milliseconds for throttling import progress; defaults to performance.now. */
  monotonic?(): number;
  /** Pages of table artifacts; the composition root passes one so it can drop its caches on lock. */
  tableRows?: TableRowsService;
}

export function caseHandlers(deps: CaseHandlerDeps): CaseHandlers {
  const tableRows = deps.tableRows ?? tableRowsService({ contentDb: deps.contentDb, clock: deps.clock });
  return {
    'cases.list': async () => listCaseSummaries(deps.contentDb(), deps.clock()),
    'cases.remove': async ({ caseId }, ctx) => {
      const db = deps.contentDb();
      const detail = getCase(db, caseId, deps.clock());
      ctx.describe({ kind: 'case', id: detail.id, name: `${detail.model} ${detail.version}`, digest: detail.packageDigest });
      await writeContent(db, (held) => removeCase(held, caseId));
      return { caseId };
    },
    'cases.get': async ({ caseId }, ctx) => {
      const detail = getCase(deps.contentDb(), caseId, deps.clock());
      ctx.describe({ kind: 'case', id: detail.id, name: `${detail.model} ${detail.version}`, digest: detail.packageDigest });
      return detail;
    },
    'artifacts.list': async ({ caseId }, ctx) => {
      ctx.describe({ kind: 'case', id: caseId });
      return listArtifacts(deps.contentDb(), caseId);
    },
    'artifacts.open': async ({ artifactId }, ctx) => {
      ctx.describe({ kind: 'artifact', id: artifactId });
      const artifact = getArtifact(deps.contentDb(), artifactId);
      ctx.describe({ kind: 'artifact', id: artifact.id, name: artifact.path, digest: `sha256:${artifact.sha256}` }, { caseId: artifact.caseId });
      return artifact;
    },
    'artifacts.read': async ({ artifactId, chunk }, ctx) => {
      ctx.describe({ kind: 'artifact', id: artifactId }, { chunk });
      const result = readArtifactChunk(deps.contentDb(), artifactId, chunk);
      const a = result.artifact;
      ctx.describe({ kind: 'artifact', id: a.id, name: a.path, digest: `sha256:${a.sha256}` }, { caseId: a.caseId, chunk, chunkCount: a.chunkCount });
      return result.chunk;
    },
    'artifact.rows': async (request, ctx) => {
      ctx.describe({ kind: 'artifact', id: request.artifactId });
      const { artifact: a, page } = await tableRows.page(request);
      // Which rows were shown, and under which order and filter, is what an auditor needs to know.
      ctx.describe(
        { kind: 'artifact', id: a.id, name: a.path, digest: `sha256:${a.sha256}` },
        { caseId: a.caseId, offset: request.offset, rows: page.rows.length, matched: page.matchedRows, ...(request.sort ? { sortColumn: request.sort.column, sortDirection: request.sort.direction } : {}), ...(request.filter ? { filter: request.filter.text } : {}) },
      );
      return page;
    },
    'cases.importDemo': async (_request, ctx) => {
      const demo = deps.demo();
      const contentDb = deps.contentDb();
      // Progress goes to the calling window only (ctx.emit), throttled, and always ends done or failed.
      const reporter = createImportProgressReporter((event) => ctx.emit('import.progress', event), deps.monotonic ?? (() => performance.now()));
      reporter.start();
      let result: ImportResult;
      try {
        result = await importPackageDetailed({
          contentDb,
          source: demo.dir,
          trustedKeys: [demo.trustedKey],
          clock: deps.clock,
          onProgress: (p) => reporter.progress(p),
        });
      } catch (error) {
        reporter.failed();
        throw error;
      }
      reporter.done(result.totalBytes);
      ctx.describe({ kind: 'case', id: result.caseId, digest: result.packageDigest }, { artifacts: result.artifactCount, bytes: result.totalBytes, demo: true });
      return { caseId: result.caseId, artifactCount: result.artifactCount, totalBytes: result.totalBytes };
    },
  };
}

/**
 * The demo bundled with the app: `<assetsRoot>/demo/package`, trusted only through its own demo-only
 * public key, and only for `cases.importDemo` (never added to the trusted submitter keys).
 */
export function bundledDemo(assetsRoot: string): DemoPackage {
  const keyFile = path.join(assetsRoot, 'demo/keys/demo-submitter.public.pem');
  let pem: string;
  try {
    pem = fs.readFileSync(keyFile, 'utf8');
  } catch {
    throw new RwError('NOT_FOUND', 'The bundled demo is not installed.');
  }
  return { dir: path.join(assetsRoot, 'demo/package'), trustedKey: parsePublicKeyPem(pem) };
}
