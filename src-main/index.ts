/**
 * Electron composition root: lifecycle and wiring only. Every decision lives in a module that is
 * tested without Electron; this file connects them to the real app, protocol, session and IPC.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, powerMonitor, protocol, safeStorage, session } from 'electron';
import { randomBytes } from '../src-shared/node/crypto';
import { createAppCore, type AppCore } from './app-core';
import { electronClipboardWriter } from './window/electron-clipboard';
import { watchIdle } from './window/electron-idle';
import { bindRouterToIpc } from './ipc/electron-ipc';
import { APP_ORIGIN } from './window/app-origin';
import { APP_SCHEME_PRIVILEGES, registerAppProtocol } from './window/app-protocol';
import { refusedLaunchReasons } from './window/argv-guard';
import { applicationMenuTemplate } from './window/app-menu';
import { lockDownContents, lockDownSession, type ReportRefusal } from './window/lockdown';
import { createOverlayWindow } from './window/overlay-window';
import { createMainWindow } from './window/window-factory';
import { fileDialog, folderDialog, importDialog, saveDialog } from './window/import-dialog';
import { safeStorageCounterKey } from './window/safe-storage-counter-key';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererRoot = join(here, '../renderer');
const preloadPath = join(here, '../preload/index.cjs');

const refusals = refusedLaunchReasons(process.argv, process.env);
if (refusals.length > 0) {
  process.stderr.write(`Reviewer Workstation will not start: ${refusals.join('; ')}.\n`);
  app.exit(1);
}
if (!app.requestSingleInstanceLock()) app.exit(0);

protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

let core: AppCore | null = null;
let mainWindow: BrowserWindow | null = null;

const report: ReportRefusal = (kind, target) => {
  void core?.recordShellRefusal(kind, target);
};

app.on('web-contents-created', (_event, contents) => lockDownContents(contents, report));

app.on('second-instance', () => {
  if (mainWindow?.isMinimized()) mainWindow.restore();
  mainWindow?.focus();
});

app.on('window-all-closed', () => app.quit());

app.on('will-quit', () => {
  void core?.close();
});

app
  .whenReady()
  .then(async () => {
    Menu.setApplicationMenu(Menu.buildFromTemplate(applicationMenuTemplate(process.platform)));
    lockDownSession(session.defaultSession, report);
    registerAppProtocol(protocol, rendererRoot);
    const vaultDir = join(app.getPath('userData'), 'vault');
    core = await createAppCore({
      dataDir: vaultDir,
      // The unlock record is MACed under a key the OS keystore holds, where a real one exists.
      counterKey: safeStorageCounterKey(safeStorage, join(vaultDir, 'counter-key.safe'), randomBytes),
      clock: () => Date.now(),
      preview: false,
      appOrigin: APP_ORIGIN,
      // Fingerprinted copies are placed by main; gated exports land in a folder main chooses.
      writeClipboard: electronClipboardWriter(clipboard),
      exportDir: join(app.getPath('documents'), 'Reviewer Workstation exports'),
      chooseImportSource: importDialog(dialog, () => mainWindow),
      chooseFolder: folderDialog(dialog, () => mainWindow),
      chooseFile: fileDialog(dialog, () => mainWindow),
      chooseSaveTarget: saveDialog(dialog, () => mainWindow),
    });
    bindRouterToIpc(ipcMain, core.router);
    const lockForOs = () => core?.sessions.lock('os');
    powerMonitor.on('suspend', lockForOs);
    powerMonitor.on('lock-screen', lockForOs);
    const window = createMainWindow({ BrowserWindow, preloadPath, isPackaged: app.isPackaged, report });
    mainWindow = window;
    const appCore = core;
    // The watermark overlay: main's own window over the app, repainted at every unlock, lock and policy change.
    const overlay = createOverlayWindow({ BrowserWindow, parent: window, initial: appCore.controls.overlayPayload() });
    appCore.controls.onOverlayChange((payload) => overlay.update(payload));
    watchIdle({
      powerMonitor,
      contents: window.webContents,
      clock: () => Date.now(),
      idleMinutes: () => appCore.policy().idleMinutes,
      isUnlocked: () => appCore.sessions.current() !== null,
      lock: () => appCore.sessions.lock('idle'),
    });
    // A lock reloads the renderer: every React, zustand and query-cache byte of the session is gone.
    appCore.sessions.onLock(() => window.webContents.reload());
  })
  .catch(() => {
    process.stderr.write('Reviewer Workstation failed to start.\n');
    app.exit(1);
  });
