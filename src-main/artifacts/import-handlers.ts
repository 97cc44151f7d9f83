/**
 * IPC handlers for importing a real package and comparing versions. The package comes either from the
 * main process's own file chooser (Electron: a path the renderer never sees) or as the bytes of a .zip
 * the preview's file input read. Trust comes from the enrolled, signed approval only: a workstation
 * that has not been enrolled trusts no submitter and says how to fix that.
 */
import type { Database } from '@signalapp/sqlcipher';
import type { PublicKey } from '../../src-shared/node/crypto';
import { isRwError, RwError } from '../../src-shared/errors';
import type { ImportOutcome, importChannels } from '../../src-shared/ipc/channels-import';
import type { CallContext, Handler } from '../ipc/router';
import { compareWithPrevious, diffWithPrevious } from './case-compare';
import { importPackageDetailed, type ImportResult } from './import-package';
import { createImportProgressReporter } from './import-progress-reporter';
import type { ZipBytes } from './zip-source';

type ImportChannels = typeof importChannels;
export type ImportHandlers = { [K in keyof ImportChannels]: Handler<ImportChannels[K]> };

/** Electron: the system open dialog, shown by main; resolves to null when the user cancels. */
export type ChooseImportSource = (kind: 'zip' | 'folder') => Promise<string | null>;

export interface ImportHandlerDeps {
  contentDb(): Database;
  /** The submitter keys the enrolled, signed approval trusts. */
  trustedKeys(): PublicKey[];
  clock(): number;
  /** Absent in the preview and the harness: there the page's file input is the chooser. */
  choose?: ChooseImportSource;
  monotonic?(): number;
}

function outcome(result: ImportResult): ImportOutcome {
  return {
    caseId: result.caseId,
    model: result.model,
    developer: result.developer,
    version: result.version,
    artifactCount: result.artifactCount,
    totalBytes: result.totalBytes,
    signer: result.submitterKey,
    previous: result.previous,
  };
}

export function importHandlers(deps: ImportHandlerDeps): ImportHandlers {
  async function run(source: string | ZipBytes, ctx: CallContext): Promise<ImportOutcome> {
    const contentDb = deps.contentDb();
    const trustedKeys = deps.trustedKeys();
    if (trustedKeys.length === 0) {
      throw new RwError('POLICY_REFUSED', 'This workstation trusts no submitter key yet. Import the enrollment approval (Settings, Enrollment) before importing a package.');
    }
    const reporter = createImportProgressReporter((event) => ctx.emit('import.progress', event), deps.monotonic ?? (() => performance.now()));
    reporter.start();
    let result: ImportResult;
    try {
      result = await importPackageDetailed({ contentDb, source, trustedKeys, clock: deps.clock, onProgress: (p) => reporter.progress(p) });
    } catch (error) {
      reporter.failed();
      if (isRwError(error) && error.detail['reason'] === 'duplicate') {
        ctx.describe({ kind: 'case', id: String(error.detail['caseId']) }, { reason: 'duplicate' });
      }
      throw error;
    }
    reporter.done(result.totalBytes);
    ctx.describe(
      { kind: 'case', id: result.caseId, name: `${result.model} ${result.version}`, digest: result.packageDigest },
      { artifacts: result.artifactCount, bytes: result.totalBytes, submitter: result.submitterKey, ...(result.previous ? { previous: result.previous.caseId } : {}) },
    );
    return outcome(result);
  }

  return {
    'cases.importChoose': async ({ kind }, ctx) => {
      if (!deps.choose) throw new RwError('DENIED', 'This window has no file chooser; use the file field to pick a package.');
      const chosen = await deps.choose(kind);
      if (chosen === null) {
        ctx.describe(undefined, { cancelled: true });
        return { cancelled: true as const };
      }
      return { ...(await run(chosen, ctx)), cancelled: false as const };
    },
    'cases.importUpload': async ({ name, data }, ctx) => run({ bytes: data, label: name }, ctx),
    'cases.compare': async ({ caseId }, ctx) => {
      ctx.describe({ kind: 'case', id: caseId });
      return compareWithPrevious(deps.contentDb(), caseId);
    },
    'cases.diff': async ({ caseId, path }, ctx) => {
      ctx.describe({ kind: 'case', id: caseId, name: path });
      const diff = diffWithPrevious(deps.contentDb(), caseId, path);
      // Both versions of the document were read: the entry names the new one and points at the old.
      ctx.describe({ kind: 'artifact', id: diff.artifactIds.after, name: path }, { caseId, previousArtifact: diff.artifactIds.before });
      return { path: diff.path, previous: diff.previous, rows: diff.rows, complete: diff.complete };
    },
  };
}
