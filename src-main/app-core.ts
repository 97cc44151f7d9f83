/**
 * The main process without Electron: vault, services and the IPC router, composed once. The Electron
 * shell (index.ts), the browser preview and the Chromium harness all call this, so the code the tests
 * drive is the code the app runs.
 */
import { resolve } from 'node:path';
import { CONTRACT } from '../src-shared/ipc/contract';
import { DEFAULT_POLICY, type Policy } from '../src-shared/policy';
import { createRouter, type AuditHook, type Router } from './ipc/router';
import { attestHandlers } from './attest/attest-handlers';
import { sessionHandlers } from './session/session-handlers';
import { SessionManager } from './session/session-manager';
import type { UnlockedVault } from './vault/vault';
import { createVaultOps } from './session/vault-ops';
import type { KdfParams } from './vault/kdf';
import { createAppControls, type AppControls } from './controls/app-controls';
import type { ClipboardWriter } from './controls/clipboard-gate';
import { createAppAccessLog } from './audit/app-access-log';
import { auditHandlers } from './audit/audit-handlers';
import { bundledDemo, caseHandlers } from './artifacts/case-handlers';
import { tableRowsService } from './artifacts/table-rows';
import { workspaceHandlers } from './workspace/workspace-handlers';
import { importHandlers, type ChooseImportSource } from './artifacts/import-handlers';
import { trustedSubmitterKeys } from './attest/enrollment';
import { adminHandlers } from './admin/admin-handlers';
import { enrollmentPolicyRecord } from './controls/signed-policy';
import { requireContentDb } from './vault/vault';
import { EvidenceService } from './evidence/evidence-service';
import { evidenceHandlers } from './evidence/evidence-handlers';
import { searchHandlers } from './search/search-handlers';
import { claimsHandlers, ledgerView } from './claims/claims-handlers';
import { findingsHandlers } from './findings/findings-handlers';
import { startCatchUpIndexing } from './search/catch-up-session';

export interface AppCoreOptions {
  /** The vault folder (content.db, audit.db, key slots). */
  dataDir: string;
  clock(): number;
  /** True when running as the browser preview: Electron-only controls are not in force. */
  preview: boolean;
  /** `app://rw` in Electron; the harness's own origin in Chromium. */
  appOrigin: string;
  /** An extra observer of every router decision (the harness uses it to assert on refusals). */
  audit?: AuditHook;
  /** Electron: the main-process clipboard (controls/electron-clipboard.ts); preview and harness hand text back. */
  writeClipboard?: ClipboardWriter;
  /** Where gated exports are written (main-chosen); defaults to `exports` in the vault folder. */
  exportDir?: string;
  /** The app's bundled assets (demo submission, rubric); defaults to ./assets of the working folder. */
  assetsDir?: string;
  /** Monotonic milliseconds for access-log leaves and clock-jump checks; defaults to performance.now. */
  monotonic?(): number;
  /** Electron: main's own open dialog for a package; absent in the preview (the page's file input is used). */
  chooseImportSource?: ChooseImportSource;
  /** Electron: main's folder chooser for files the workstation writes (the enrollment request). */
  chooseFolder?(title: string): Promise<string | null>;
  /** Electron: main's file chooser for files the workstation reads (the enrollment approval). */
  chooseFile?(title: string): Promise<string | null>;
  /** Electron: main's save dialog for what the workstation writes out (a media bundle's folder). */
  chooseSaveTarget?(title: string, defaultName: string): Promise<string | null>;
  /** Electron: the OS keystore's key that MACs the unlock record, or null where no real backend exists. */
  counterKey?(): Uint8Array | null;
  /** Argon2id parameters for new key slots; calibrated on this machine when absent (the app). Tests pass the floor. */
  kdf?: KdfParams;
}

export interface AppCore {
  router: Router;
  sessions: SessionManager<UnlockedVault>;
  /** The policy in force (signed once enrolled, the built-in default before). */
  policy(): Policy;
  /** Insider-risk controls: signed-policy store, watermark session and overlay payload (see ARCHITECTURE: insider-risk controls). */
  controls: AppControls;
  /** Records a refusal by the Electron shell (navigation, permission, request) in the access log. */
  recordShellRefusal(kind: string, target: string): Promise<void>;
  close(): Promise<void>;
}

export async function createAppCore(options: AppCoreOptions): Promise<AppCore> {
  // The installed signed policy once enrolled, the built-in default before (controls/signed-policy.ts).
  let controls: AppControls | null = null;
  const policy = (): Policy => controls?.policy() ?? DEFAULT_POLICY;
  const sessions = new SessionManager(createVaultOps(options.dataDir, { clock: options.clock, policy, ...(options.counterKey ? { counterKey: options.counterKey } : {}), ...(options.kdf ? { kdf: options.kdf } : {}) }));
  // The tamper-evident access log (src-main/audit) records every router decision; fail closed.
  const monotonic = options.monotonic ?? (() => performance.now());
  const accessLog = createAppAccessLog({ dataDir: options.dataDir, sessions, clock: options.clock, monotonic });
  accessLog.start();
  const audit: AuditHook = {
    async record(entry) {
      await accessLog.hook.record(entry);
      await options.audit?.record(entry);
    },
  };
  const appControls = createAppControls({
    dataDir: options.dataDir,
    sessions,
    clock: options.clock,
    audit,
    ...(options.writeClipboard ? { writeClipboard: options.writeClipboard } : {}),
    ...(options.exportDir ? { exportDir: options.exportDir } : {}),
  });
  controls = appControls;
  const assetsDir = options.assetsDir ?? resolve('assets');
  // Content services ask for content.db per call: a locked vault or an auditor's session has none.
  const contentDb = () => requireContentDb(sessions.require());
  // Row indexes and sort orders of open tables are dropped with the keys.
  const tableRows = tableRowsService({ contentDb, clock: options.clock });
  sessions.onLock(() => tableRows.forget());
  // Checked evaluation logs (their sample rows) live in memory for one unlocked session only.
  const evidence = new EvidenceService(contentDb);
  sessions.onLock(() => evidence.clear());
  const catchUp = startCatchUpIndexing(sessions, options.clock);
  const router = createRouter({
    contract: CONTRACT,
    handlers: {
      ...sessionHandlers({ sessions, policy, preview: options.preview }),
      ...attestHandlers({
        dataDir: options.dataDir,
        sessions,
        policy,
        clock: options.clock,
        sessionLog: () => accessLog.sessionLog(),
        claimCounts: async (caseId) => (await ledgerView({ contentDb, evidence, clock: options.clock }, caseId)).counts,
        ...(options.chooseSaveTarget ? { chooseSaveTarget: options.chooseSaveTarget } : {}),
      }),
      ...appControls.handlers,
      ...caseHandlers({ contentDb, clock: options.clock, monotonic, tableRows, demo: () => bundledDemo(assetsDir) }),
      ...workspaceHandlers(contentDb, { clock: options.clock }),
      ...searchHandlers(contentDb, catchUp.progress),
      ...importHandlers({
        contentDb,
        trustedKeys: () => trustedSubmitterKeys(sessions.require().audit),
        clock: options.clock,
        monotonic,
        ...(options.chooseImportSource ? { choose: options.chooseImportSource } : {}),
      }),
      ...adminHandlers({
        ...(options.counterKey ? { counterKey: options.counterKey } : {}),
        ...(options.kdf ? { kdf: options.kdf } : {}),
        dataDir: options.dataDir,
        sessions,
        clock: options.clock,
        signedCheckpoint: () => accessLog.sessionLog().log.checkpoint('sync').note,
        policy,
        policySource: () => appControls.policies.source(),
        reloadPolicy: () => void appControls.policies.load(enrollmentPolicyRecord(sessions.require().audit)),
        exportDir: appControls.exportDir,
        ...(options.chooseFolder ? { chooseFolder: options.chooseFolder } : {}),
        ...(options.chooseFile ? { chooseFile: options.chooseFile } : {}),
      }),
      ...auditHandlers({
        sessions,
        clock: options.clock,
        policy,
        accessLog: () => accessLog.sessionLog().log,
        exportDir: appControls.exportDir,
        ...(options.chooseFolder ? { chooseFolder: options.chooseFolder } : {}),
      }),
      ...evidenceHandlers(evidence, contentDb, monotonic),
      ...claimsHandlers({ contentDb, evidence, clock: options.clock }),
      ...findingsHandlers({
        dataDir: options.dataDir,
        sessions,
        contentDb,
        policy,
        session: () => appControls.watermarks.current(),
        stepUp: (passphrase) => appControls.stepUp(passphrase),
        exportDir: appControls.exportDir,
        clock: options.clock,
        sessionLog: () => accessLog.sessionLog(),
      }),
    },
    session: () => sessions.caller(),
    audit,
    appOrigin: options.appOrigin,
  });
  return {
    router,
    sessions,
    policy,
    controls: appControls,
    async recordShellRefusal(kind, target) {
      await audit.record({ channel: 'shell', event: `shell.refused.${kind}`, actor: sessions.caller(), outcome: 'denied', detail: { target: target.slice(0, 512) } });
    },
    async close() {
      sessions.lock('shutdown');
      accessLog.stop('shutdown');
    },
  };
}
