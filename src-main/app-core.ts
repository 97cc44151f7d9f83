/**
 * The main process without Electron: vault, services and the IPC router, composed once. The Electron
 * shell (index.ts), the browser preview and the Chromium harness all call this, so the code the tests
 * drive is the code the app runs.
 */
import { CONTRACT } from '../src-shared/ipc/contract';
import { DEFAULT_POLICY, type Policy } from '../src-shared/policy';
import { createRouter, type AuditHook, type Router } from './ipc/router';
import { sessionHandlers } from './session/session-handlers';
import { SessionManager } from './session/session-manager';
import type { UnlockedVault } from './vault/vault';
import { createVaultOps } from './session/vault-ops';

export interface AppCoreOptions {
  /** The vault folder (content.db, audit.db, key slots). */
  dataDir: string;
  clock(): number;
  /** True when running as the browser preview: Electron-only controls are not in force. */
  preview: boolean;
  /** `app://rw` in Electron; the harness's own origin in Chromium. */
  appOrigin: string;
  /** Where every router decision is recorded. */
  audit: AuditHook;
}

export interface AppCore {
  router: Router;
  sessions: SessionManager<UnlockedVault>;
  close(): Promise<void>;
}

export async function createAppCore(options: AppCoreOptions): Promise<AppCore> {
  const policy: Policy = DEFAULT_POLICY;
  const sessions = new SessionManager(createVaultOps(options.dataDir, { clock: options.clock, policy: () => policy }));
  const router = createRouter({
    contract: CONTRACT,
    handlers: {
      ...sessionHandlers({ sessions, policy: () => policy, preview: options.preview }),
    },
    session: () => sessions.caller(),
    audit: options.audit,
    appOrigin: options.appOrigin,
  });
  return {
    router,
    sessions,
    async close() {
      sessions.lock('shutdown');
    },
  };
}
