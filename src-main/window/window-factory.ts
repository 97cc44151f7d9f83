/**
 * The one BrowserWindow factory. Options are written inline, literally, so that Electronegativity and
 * reviewers can read every security setting in one place.
 */
import type { BrowserWindow as BrowserWindowClass } from 'electron';
import { APP_ENTRY_URL } from './app-origin';
import { installKeyFilter } from './key-filter';
import { lockDownContents, type ReportRefusal } from './lockdown';

export interface MainWindowDeps {
  BrowserWindow: typeof BrowserWindowClass;
  preloadPath: string;
  isPackaged: boolean;
  report: ReportRefusal;
}

export function createMainWindow(deps: MainWindowDeps): BrowserWindowClass {
  const window = new deps.BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Reviewer Workstation',
    backgroundColor: '#1b1f24',
    autoHideMenuBar: true,
    webPreferences: {
      preload: deps.preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      plugins: false,
      enableWebSQL: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: !deps.isPackaged,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  // Screen capture by other applications (screen sharing, screenshot tools) sees a black window.
  window.setContentProtection(true);
  lockDownContents(window.webContents, deps.report);
  installKeyFilter(window.webContents, deps.isPackaged, (decision) => deps.report('key', decision));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}
