/**
 * IPC handlers for the attestation screen and the outbox (src-shared/ipc/channels-attest.ts). The
 * router has already checked sender, schema and role and logged the call; these call the same services
 * rwctl uses. The signing and sync events are written to the signed-in user's access log here, so the
 * signing leaf's index can go into the predicate.
 */
import { join } from 'node:path';
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
  fetch?: FetchFn;
  rubric?: Rubric;
  random?(): number;
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
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
    async 'sync.exportMedia'() {
      const vault = deps.sessions.require();
      const bundleName = `bundle-${stamp(deps.clock())}-${toHex(randomBytes(3))}`;
      const folder = join(deps.exportDir ?? join(deps.dataDir, 'exports'), bundleName);
      return withLog(vault, async (port) => {
        const result = await exportMediaBundle({ audit: vault.audit, keys: readOwnKeys(vault.audit, vault.content), workstationId: vault.workstationId, log: port, clock: deps.clock }, folder);
        return { bundleName, items: result.items, files: result.files, witnessSize: result.witness?.size ?? null };
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
