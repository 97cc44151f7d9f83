/**
 * The insider-risk controls as the app composes them (see ARCHITECTURE: insider-risk controls), so app-core.ts stays a list of wires:
 * the signed-policy store (loaded at start from the signed pre-sign-in copy and at every unlock, always
 * verified under the trust root outside the vault folder), the watermark
 * session drawn and logged at every unlock and ended at every lock, the overlay payload, and the
 * router handlers for copy, print, export and the watermark lookup.
 */
import { join } from 'node:path';
import { randomBytes } from '../../src-shared/node/crypto';
import { zeroize } from '../../src-shared/encoding';
import type { OverlayPayload } from '../../src-shared/overlay-payload';
import type { Policy } from '../../src-shared/policy';
import { AuditQuery } from '../audit/audit-query';
import type { AuditHook, AuditRecord } from '../ipc/router';
import type { SessionManager } from '../session/session-manager';
import { unlockSigningKey, type UnlockedVault } from '../vault/vault';
import { rendererClipboardWriter, type ClipboardWriter } from './clipboard-gate';
import { controlsHandlers, type ControlsHandlers } from './controls-handlers';
import { enrollmentPolicyRecord, loadPolicyBeforeSignIn, policyDigest, policyLogObject, PolicyStore, refreshPreSignInPolicy, writePreSignInPolicy, type PolicyInvalid, type VerifiedPolicy } from './signed-policy';
import type { TrustRoot } from './trust-root';
import { overlayPayloadFor, watermarkSessionRecord, WatermarkSessions } from './watermark-session';

export interface AppControlsDeps {
  dataDir: string;
  sessions: SessionManager<UnlockedVault>;
  clock(): number;
  /** The router's audit hook (the access log): watermark sessions are recorded through it. */
  audit: AuditHook;
  /** Electron passes the main-process clipboard; preview and harness hand the text back. */
  writeClipboard?: ClipboardWriter;
  /** The main-chosen export folder; defaults to `exports` beside the vault folder's files. */
  exportDir?: string;
  random?(length: number): Uint8Array;
  /** The trust root the policy verifies under; defaults to RW_TRUST_ROOT or the machine-wide file. */
  trustRoot?(): TrustRoot | null;
}

export interface AppControls {
  policies: PolicyStore;
  watermarks: WatermarkSessions;
  policy(): Policy;
  /** What the overlay draws now (nothing while locked). */
  overlayPayload(): OverlayPayload;
  /** Called with every payload change (unlock, lock, policy change). */
  onOverlayChange(listener: (payload: OverlayPayload) => void): () => void;
  handlers: ControlsHandlers;
  exportDir: string;
  /**
   * A policy-only update (a DSSE file from the central office): verified against the key pinned at
   * enrollment and the installed version, stored in audit.db, in force at once, and logged as
   * `policy.change`. Needs a signed-in session (its audit.db). Refusals leave the current policy.
   */
  installPolicy(bytes: Uint8Array): Promise<VerifiedPolicy>;
}

export function createAppControls(deps: AppControlsDeps): AppControls {
  const policies = new PolicyStore(deps.trustRoot ? { trustRoot: deps.trustRoot } : {});
  const watermarks = new WatermarkSessions({ random: deps.random ?? randomBytes, clock: deps.clock });
  const exportDir = deps.exportDir ?? join(deps.dataDir, 'exports');

  const policyInvalidRecord = (actor: AuditRecord['actor'], invalid: PolicyInvalid): AuditRecord => ({
    channel: 'controls',
    event: 'policy.invalid',
    actor,
    outcome: 'denied',
    object: { kind: 'policy', id: invalid.where },
    detail: { reason: invalid.reason, kept: policies.source() === 'signed' ? `version ${policies.current().version}` : 'defaults' },
  });

  loadPolicyBeforeSignIn(policies, deps.dataDir);
  const startInvalid = policies.lastInvalid();
  // Before sign-in the refusal goes to the pre-sign-in journal; a failure to log it must not stop the app.
  if (startInvalid) void Promise.resolve(deps.audit.record(policyInvalidRecord({ role: 'anonymous', user: null }, startInvalid))).catch(() => undefined);

  const policyChangeRecord = (actor: { role: 'reviewer' | 'auditor'; user: string }, policy: Policy, source: string): AuditRecord => ({
    channel: 'controls',
    event: 'policy.change',
    actor,
    outcome: 'success',
    object: policyLogObject(policy),
    detail: { source, version: policy.version },
  });

  deps.sessions.onUnlock(async (open) => {
    const before = policyDigest(policies.current());
    policies.load(enrollmentPolicyRecord(open.audit));
    const invalid = policies.lastInvalid();
    if (invalid) await deps.audit.record(policyInvalidRecord({ role: open.role, user: open.user }, invalid));
    // The policy in force changed since start (an enrollment was installed meanwhile): on the record.
    if (policyDigest(policies.current()) !== before) await deps.audit.record(policyChangeRecord({ role: open.role, user: open.user }, policies.current(), policies.source()));
    // The lock screen reads this signed copy before the next sign-in (nothing in the folder opens audit.db).
    const envelope = policies.envelope();
    if (envelope) writePreSignInPolicy(deps.dataDir, envelope);
    const session = watermarks.begin({ user: open.user, role: open.role, workstationId: open.workstationId });
    // Fail closed: a session whose code is not in the log could not be traced, so the unlock is undone.
    try {
      await deps.audit.record(watermarkSessionRecord(session));
    } catch (error) {
      watermarks.end();
      throw error;
    }
  });
  deps.sessions.onLock(() => watermarks.end());
  // An enrollment installed during the session is what the next lock screen runs under.
  deps.sessions.onBeforeLock((open) => void refreshPreSignInPolicy(deps.dataDir, open.audit, deps.trustRoot));

  const overlayPayload = () => overlayPayloadFor(watermarks.current(), policies.current());

  return {
    policies,
    watermarks,
    policy: () => policies.current(),
    overlayPayload,
    onOverlayChange(listener) {
      const a = watermarks.onChange(() => listener(overlayPayload()));
      const b = policies.onChange(() => listener(overlayPayload()));
      return () => {
        a();
        b();
      };
    },
    exportDir,
    async installPolicy(bytes) {
      const open = deps.sessions.require();
      const verified = policies.install(enrollmentPolicyRecord(open.audit), bytes);
      writePreSignInPolicy(deps.dataDir, verified.envelope);
      await deps.audit.record(policyChangeRecord({ role: open.role, user: open.user }, verified.policy, 'signed'));
      return verified;
    },
    handlers: controlsHandlers({
      policy: () => policies.current(),
      session: () => watermarks.current(),
      writeClipboard: deps.writeClipboard ?? rendererClipboardWriter,
      async stepUp(passphrase) {
        // The vault's own step-up: same throttle as unlock; the unsealed signing key is dropped at once.
        const vault = deps.sessions.require();
        const key = await unlockSigningKey(deps.dataDir, vault, passphrase, { clock: deps.clock, policy: policies.current().lockout });
        zeroize(key.privateKey);
      },
      exportDir,
      clock: deps.clock,
      auditQuery: () => new AuditQuery(deps.sessions.require().audit),
    }),
  };
}
