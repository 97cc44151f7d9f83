/**
 * IPC handlers for administration. The router has checked sender, schema and role; these re-check
 * what only the vault can know (the acting reviewer's passphrase, the last reviewer) and name the
 * user or file touched for the access log. Files are written and chosen by main: in Electron through
 * the system dialogs, elsewhere into the export folder, and the answer says where.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toHex } from '../../src-shared/encoding';
import { RwError } from '../../src-shared/errors';
import type { adminChannels, SettingsView, UserListView } from '../../src-shared/ipc/channels-admin';
import { parsePublicKeyPem, randomBytes, sha256 } from '../../src-shared/node/crypto';
import type { Policy } from '../../src-shared/policy';
import { createEnrollmentRequest, importApproval, readEnrollment } from '../attest/enrollment';
import { reviewerPublicKeys } from '../attest/own-keys';
import { recordWitnessSize } from '../attest/media-bundle';
import { parseCheckpoint } from '../../src-shared/node/checkpoint';
import { parseNote } from '../../src-shared/node/signed-note';
import { logOrigin } from '../audit/access-log';
import type { Handler } from '../ipc/router';
import type { SessionManager } from '../session/session-manager';
import { calibrateKdf, type KdfParams } from '../vault/kdf';
import { authoriseReviewer, removeUser } from '../vault/user-admin';
import { applyLockoutRelease, clearUserLockout, readLockouts } from '../vault/lockout';
import { addUser, changePassphrase, listVaultUsers, preSignInJournal, type UnlockedVault } from '../vault/vault';
import { ensurePrivateDir } from '../vault/vault-files';
import { processTrustRoot } from '../controls/trust-root';
import { workstationCeiling } from '../vault/unlock-throttle';

/** The trust root policies verify against (outside the vault folder), in words for the settings screen. */
function describeTrustRoot(): string {
  let root;
  try {
    root = processTrustRoot();
  } catch (error) {
    return `Refused: ${error instanceof Error ? error.message : 'unreadable'} Only the strictest built-in policy applies.`;
  }
  if (!root) return 'None installed on this machine: only the strictest built-in policy applies; no signed policy can replace it.';
  const keys = root.policyKeys.map((k) => fingerprint(k)).join(', ');
  return `The administrator's trust root ${root.source}: only a policy signed by ${keys} replaces the one in force.`;
}

type AdminChannels = typeof adminChannels;
export type AdminHandlers = { [K in keyof AdminChannels]: Handler<AdminChannels[K]> };

export interface AdminHandlerDeps {
  dataDir: string;
  sessions: SessionManager<UnlockedVault>;
  clock(): number;
  /** A device-signed checkpoint of the whole log now: the enrollment request carries it so the witness starts there. */
  signedCheckpoint(): string;
  policy(): Policy;
  /** "signed" or "default": where the policy in force came from. */
  policySource(): string;
  /** Re-reads the installed policy after an enrollment, so it is in force at once. */
  reloadPolicy(): void;
  /** Where files are written when no dialog is offered (the preview, the harness). */
  exportDir: string;
  /** Electron: a folder (or drive) chooser for writing; null when cancelled. */
  chooseFolder?(title: string): Promise<string | null>;
  /** Electron: a file chooser (the approval bundle, a lockout release); null when cancelled. */
  chooseFile?(title: string): Promise<string | null>;
  /** Electron: the OS keystore's key that MACs the unlock record (passphrase checks here go through it too). */
  counterKey?(): Uint8Array | null;
  /** Argon2id parameters for new slots; calibrated once on first use when absent. */
  kdf?: KdfParams;
  /** The trust root's policy keys, which sign lockout releases too; defaults to this process's trust root. */
  policyKeys?(): Uint8Array[];
}

const MAX_RELEASE_BYTES = 16 * 1024;

function processPolicyKeys(): Uint8Array[] {
  return processTrustRoot()?.policyKeys ?? [];
}

const MAX_APPROVAL_BYTES = 512 * 1024;

function users(dataDir: string): UserListView {
  return { users: listVaultUsers(dataDir).map((u) => ({ name: u.user, role: u.role })) };
}

function fingerprint(key: Uint8Array): string {
  return `sha256:${toHex(sha256(key))}`;
}

/** Every control of the policy as a name and a value a person can read. */
export function policyControls(policy: Policy): { name: string; value: string }[] {
  return [
    { name: 'Classification', value: policy.classification },
    { name: 'Idle lock', value: `after ${policy.idleMinutes} minute${policy.idleMinutes === 1 ? '' : 's'}` },
    {
      name: 'Failed unlocks',
      value: `delays after ${policy.lockout.delayAfter}, a user locked out after ${policy.lockout.lockAfter}, the workstation after ${workstationCeiling(policy.lockout)} (a release file from the central office reopens it)`,
    },
    { name: 'Copy', value: policy.copyMode === 'deny' ? 'refused' : 'allowed with a fingerprint' },
    { name: 'Print and export', value: policy.printExportMode === 'deny' ? 'refused' : 'allowed with a written justification' },
    { name: 'Watermark shows', value: policy.watermark.fields.join(', ') },
    { name: 'Central server', value: policy.server ? policy.server.url : 'none (media transfer only)' },
    { name: 'Consent banner', value: policy.consentBanner },
  ];
}

/** A name in `dir` that does not exist yet: never overwrite a file on a drive someone else chose. */
function freshName(dir: string, base: string, ext: string): string {
  for (let i = 0; i < 1000; i += 1) {
    const name = i === 0 ? `${base}${ext}` : `${base}-${i + 1}${ext}`;
    if (!existsSync(join(dir, name))) return name;
  }
  throw new RwError('CONFLICT', 'Too many files of that name in the chosen folder.');
}

export function adminHandlers(deps: AdminHandlerDeps): AdminHandlers {
  let kdf = deps.kdf;
  const slotDeps = async () => {
    kdf ??= await calibrateKdf();
    return { clock: deps.clock, random: randomBytes, kdf, policy: deps.policy().lockout, ...(deps.counterKey ? { counterKey: deps.counterKey } : {}) };
  };

  /** The bytes the page sent (the preview's file field), or main's own chooser's file (Electron); null when cancelled. */
  const fileBytes = async (data: Uint8Array | undefined, title: string, what: string, max: number): Promise<Uint8Array | null> => {
    if (data) return data;
    if (!deps.chooseFile) throw new RwError('DENIED', `This window has no file chooser; use the file field to pick ${what}.`);
    const file = await deps.chooseFile(title);
    if (file === null) return null;
    if (statSync(file).size > max) throw new RwError('TOO_LARGE', `That file is too large to be ${what}.`);
    return new Uint8Array(readFileSync(file));
  };
  // With the keystore's counter key: a clear or a release must never rewrite a keyed record as plain.
  const lockoutDeps = () => ({ policy: deps.policy().lockout, ...(deps.counterKey ? { counterKey: deps.counterKey } : {}) });
  const lockoutStatus = (role: string) => {
    const view = readLockouts(deps.dataDir, lockoutDeps());
    // Before sign-in the lock screen needs the workstation's state only, not who else is locked out.
    return role === 'anonymous' ? { ...view, users: [] } : view;
  };

  return {
    'admin.users': async () => users(deps.dataDir),

    'lockout.status': async (_request, ctx) => lockoutStatus(ctx.session.role),

    'lockout.clear': async ({ user, asUser, asPassphrase }, ctx) => {
      ctx.describe({ kind: 'user', id: user }, { by: asUser });
      // Signed in, the session's reviewer vouches (their passphrase again); at the lock screen, any other reviewer.
      if (ctx.session.user !== null && ctx.session.user !== asUser) throw new RwError('DENIED', 'Clear a lockout with your own passphrase.');
      const by = await authoriseReviewer(deps.dataDir, { asUser, asPassphrase }, { clock: deps.clock, ...lockoutDeps() }, 'clear a lockout');
      const cleared = clearUserLockout(deps.dataDir, user, { user: by, role: 'reviewer' }, lockoutDeps());
      ctx.describe({ kind: 'user', id: cleared.user }, { by, failures: cleared.failures });
      return lockoutStatus(ctx.session.role);
    },

    'lockout.release': async ({ data }, ctx) => {
      ctx.describe({ kind: 'workstation', id: preSignInJournal(deps.dataDir)?.workstationId ?? 'unknown' });
      const bytes = await fileBytes(data, 'Import the lockout release from the central office', 'a lockout release', MAX_RELEASE_BYTES);
      if (bytes === null) return { cancelled: true as const };
      const release = applyLockoutRelease(deps.dataDir, bytes, (deps.policyKeys ?? processPolicyKeys)(), lockoutDeps());
      ctx.describe({ kind: 'workstation', id: release.workstation }, { failures: release.failures });
      return { cancelled: false as const, workstationId: release.workstation, failures: release.failures };
    },

    'admin.addUser': async ({ name, role, passphrase, authPassphrase }, ctx) => {
      const vault = deps.sessions.require();
      ctx.describe({ kind: 'user', id: name }, { role, by: vault.user });
      await addUser(deps.dataDir, { user: name, role, newPassphrase: passphrase }, { asUser: vault.user, asPassphrase: authPassphrase }, await slotDeps());
      return users(deps.dataDir);
    },

    'admin.removeUser': async ({ name, authPassphrase }, ctx) => {
      const vault = deps.sessions.require();
      ctx.describe({ kind: 'user', id: name }, { by: vault.user });
      const removed = await removeUser(deps.dataDir, name, { asUser: vault.user, asPassphrase: authPassphrase }, { clock: deps.clock, policy: deps.policy().lockout });
      ctx.describe({ kind: 'user', id: removed.user }, { role: removed.role, by: vault.user });
      return users(deps.dataDir);
    },

    'admin.changePassphrase': async ({ current, next }, ctx) => {
      const vault = deps.sessions.require();
      ctx.describe({ kind: 'user', id: vault.user });
      if (current === next) throw new RwError('INVALID_INPUT', 'The new passphrase must differ from the current one.');
      await changePassphrase(deps.dataDir, vault.user, current, next, await slotDeps());
      return { changed: true as const };
    },

    'admin.settings': async () => {
      const vault = deps.sessions.require();
      const policy = deps.policy();
      const enrollment = readEnrollment(vault.audit);
      const settings: SettingsView = {
        policy: {
          version: policy.version,
          source: deps.policySource() === 'signed' ? 'signed by the central office' : 'built-in default (not enrolled)',
          signer: enrollment ? fingerprint(enrollment.policyPublicKey) : null,
          controls: policyControls(policy),
        },
        enrollment: enrollment
          ? {
              serverName: enrollment.serverName,
              serverUrl: enrollment.serverUrl,
              serverKey: fingerprint(enrollment.serverPublicKey),
              installedAt: enrollment.installedAt,
              // Named as a case names its signer (SHA-256 of the DER key), so the two can be compared.
              trustedSubmitterKeys: enrollment.trustedSubmitterKeys.map((pem) => `${fingerprint(parsePublicKeyPem(pem).spki).slice(0, 23)}…`),
            }
          : null,
        trustRoot: describeTrustRoot(),
        workstationId: vault.workstationId,
      };
      return settings;
    },

    'admin.enrollRequest': async (_request, ctx) => {
      const vault = deps.sessions.require();
      ctx.describe({ kind: 'workstation', id: vault.workstationId });
      let dir: string | null = deps.exportDir;
      if (deps.chooseFolder) {
        dir = await deps.chooseFolder('Where to write the enrollment request (a folder or a removable drive)');
        if (dir === null) return { written: false, where: null, fileName: null };
      } else {
        ensurePrivateDir(dir);
      }
      const reviewers = reviewerPublicKeys(vault.content);
      const checkpoint = deps.signedCheckpoint();
      const envelope = createEnrollmentRequest(vault.audit, { workstationId: vault.workstationId, logOrigin: logOrigin(vault.workstationId), reviewers, checkpoint, clock: deps.clock });
      // The witness will hold this size once the request is approved: the first sync starts there.
      recordWitnessSize(vault.audit, parseCheckpoint(parseNote(checkpoint).text).size);
      const fileName = freshName(dir, `enrollment-request-${vault.workstationId.slice(0, 8)}`, '.json');
      writeFileSync(join(dir, fileName), `${JSON.stringify(envelope, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
      ctx.describe({ kind: 'workstation', id: vault.workstationId, name: fileName }, { reviewers: reviewers.length });
      return { written: true, where: dir, fileName };
    },

    'admin.enrollImport': async ({ data }, ctx) => {
      const vault = deps.sessions.require();
      ctx.describe({ kind: 'enrollment', id: vault.workstationId });
      const bytes = await fileBytes(data, 'Import the enrollment approval from the central office', 'the approval', MAX_APPROVAL_BYTES);
      if (bytes === null) return { cancelled: true as const };
      const before = readEnrollment(vault.audit);
      const installed = importApproval(vault.audit, vault.workstationId, bytes, deps.clock);
      deps.reloadPolicy();
      ctx.describe(
        { kind: 'policy', id: String(installed.policy.version) },
        { from: before?.policy.version ?? 0, to: installed.policy.version, server: installed.serverName, submitterKeys: installed.trustedSubmitterKeys.length },
      );
      return { cancelled: false as const, serverName: installed.serverName, policyVersion: installed.policy.version, trustedSubmitterKeys: installed.trustedSubmitterKeys.length };
    },
  };
}
