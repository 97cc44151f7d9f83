/**
 * IPC handlers for the attestation screen and the outbox (src-shared/ipc/channels-attest.ts). The
 * router has already checked sender, schema and role and logged the call; these call the same services
 * rwctl uses. The signing and sync events are written to the signed-in user's access log here, so the
 * signing leaf's index can go into the predicate.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { RwError } from '../../src-shared/errors';
import { randomBytes } from '../../src-shared/node/crypto';
import { fromUtf8, toHex } from '../../src-shared/encoding';
import type { attestChannels } from '../../src-shared/ipc/channels-attest';
import type { Policy } from '../../src-shared/policy';
import type { SessionLogTarget } from '../audit/app-access-log';
import type { Handlers } from '../ipc/router';
import type { SessionManager } from '../session/session-manager';
import type { UnlockedVault } from '../vault/vault';
import { defaultRubric, type Rubric } from '../workspace/rubric';
import { accessLogPort } from './access-log-adapter';
import type { AccessLogPort } from './access-log-port';
import { readEnrollment } from './enrollment';
import { exportMediaBundle } from './media-bundle';
import { listOutbox } from './outbox';
import { readOwnKeys } from './own-keys';
import { lastWitnessedSize } from './receipts';
import { previewReviewAttestation, signReviewAttestation, statementPayload } from './review-attestation';
import { platformFetch, serverTarget, syncNow, type FetchFn } from './sync-client';

export interface AttestHandlerDeps {
  dataDir: string;
  sessions: SessionManager<UnlockedVault>;
  policy(): Policy;
  clock(): number;
  /** The signed-in session's access log (the app's own, see audit/app-access-log.ts). */
  sessionLog(): SessionLogTarget;
  /** Main-chosen folder for media bundles; default `exports` in the vault folder. */
  exportDir?: string;
  /**
   * Electron: main's save dialog for a media bundle (the path of the bundle folder to create, or null
   * when cancelled). Absent in the preview, where a typed folder is accepted instead.
   */
  chooseSaveTarget?(title: string, defaultName: string): Promise<string | null>;
  fetch?: FetchFn;
  rubric?: Rubric;
  random?(): number;
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** A folder typed in the preview: absolute and already there (a mistyped path is not created). */
function checkTypedFolder(folder: string): void {
  if (folder.includes('\u0000') || !isAbsolute(folder)) throw new RwError('INVALID_INPUT', 'Give the full path of a folder (or a mounted drive).');
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new RwError('NOT_FOUND', 'There is no folder at that path.');
}

export function attestHandlers(deps: AttestHandlerDeps): Handlers<typeof attestChannels> {
  const rubric = deps.rubric ?? defaultRubric();
  const withLog = async <T>(vault: UnlockedVault, fn: (port: AccessLogPort, size: () => number) => Promise<T>): Promise<T> => {
    const { log, session } = deps.sessionLog();
    return fn(accessLogPort(log, { user: vault.user, role: vault.role }, session), () => log.size());
  };
  const jitter = deps.random ?? (() => randomBytes(1)[0]! / 256);

  return {
    async 'attest.preview'(request) {
      const vault = deps.sessions.require();
      // Predicted: the router logs the sign request, then the service logs `attestation.sign`.
      const nextLogIndex = await withLog(vault, async (_port, size) => size() + 1);
      const preview = previewReviewAttestation({ vault, rubric, policy: deps.policy(), nextLogIndex }, request);
      return { json: preview.json, predictedFields: [...preview.predictedFields] };
    },
    async 'attest.sign'(request) {
      const vault = deps.sessions.require();
      const { passphrase, ...input } = request;
      return withLog(vault, async (port) => {
        const signed = await signReviewAttestation(
          { vaultDir: deps.dataDir, vault, rubric, policy: deps.policy(), unlockDeps: { clock: deps.clock, policy: deps.policy().lockout }, logEvent: port.logEvent, clock: deps.clock },
          input,
          passphrase,
        );
        const predicate = signed.statement.predicate as { sequence: number; accessLogIndex: number };
        return { envelopeSha256: signed.item.envelopeSha256, json: fromUtf8(statementPayload(signed.statement)), sequence: predicate.sequence, accessLogIndex: predicate.accessLogIndex };
      });
    },
    async 'outbox.list'() {
      const vault = deps.sessions.require();
      const enrollment = readEnrollment(vault.audit);
      const target = serverTarget(deps.policy(), enrollment);
      const witnessed = lastWitnessedSize(vault.audit);
      return {
        items: listOutbox(vault.audit, readOwnKeys(vault.audit, vault.content)).map((i) => ({
          envelopeSha256: i.envelopeSha256,
          label: i.label,
          predicateType: i.predicateType,
          state: i.state,
          createdAt: i.createdAt,
          attempts: i.attempts,
          nextAttemptAt: i.nextAttemptAt,
          lastError: i.lastError,
          deliveredAt: i.deliveredAt,
          serverLogIndex: i.receipt?.logIndex ?? null,
        })),
        enrolled: enrollment !== null,
        serverUrl: target ? target.base : null,
        witnessedSize: witnessed > 0 ? witnessed : null,
      };
    },
    async 'sync.exportMedia'(request, ctx) {
      // In the app only main's dialog names a destination: a compromised renderer cannot aim the write.
      if (request.folder !== undefined && deps.chooseSaveTarget) throw new RwError('DENIED', 'The app asks where to write with the system dialog.');
      if (request.folder !== undefined) checkTypedFolder(request.folder);
      const vault = deps.sessions.require();
      const defaultName = `bundle-${stamp(deps.clock())}-${toHex(randomBytes(3))}`;
      let folder: string;
      let where: string | null = null;
      if (deps.chooseSaveTarget) {
        const chosen = await deps.chooseSaveTarget('Export attestations to removable media', defaultName);
        if (chosen === null) {
          ctx.describe({ kind: 'bundle', id: defaultName }, { destination: 'cancelled' });
          return { cancelled: true as const };
        }
        if (existsSync(chosen) && !statSync(chosen).isDirectory()) throw new RwError('CONFLICT', 'A file of that name exists there; choose a new name for the bundle folder.');
        folder = chosen;
        where = chosen;
      } else if (request.folder !== undefined) {
        folder = join(request.folder, defaultName);
        where = folder;
      } else {
        folder = join(deps.exportDir ?? join(deps.dataDir, 'exports'), defaultName);
      }
      const bundleName = basename(folder);
      ctx.describe({ kind: 'bundle', id: bundleName }, { destination: where === null ? 'export-folder' : 'chosen' });
      return withLog(vault, async (port) => {
        const result = await exportMediaBundle({ audit: vault.audit, keys: readOwnKeys(vault.audit, vault.content), workstationId: vault.workstationId, log: port, clock: deps.clock }, folder);
        return { cancelled: false as const, bundleName, where, items: result.items, files: result.files, witnessSize: result.witness?.size ?? null };
      });
    },
    async 'sync.now'() {
      const vault = deps.sessions.require();
      return withLog(vault, async (port) => {
        const result = await syncNow({
          audit: vault.audit,
          keys: readOwnKeys(vault.audit, vault.content),
          policy: deps.policy(),
          enrollment: readEnrollment(vault.audit),
          fetch: deps.fetch ?? platformFetch,
          clock: deps.clock,
          random: jitter,
          log: port,
        });
        return { mode: result.mode, delivered: result.delivered, failed: result.failed.length, deferred: result.deferred, witness: result.witness };
      });
    },
  };
}
