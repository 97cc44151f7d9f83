/**
 * The watermark overlay window (see ARCHITECTURE: insider-risk controls): main's own transparent, click-through, always-on-top,
 * unfocusable, content-protected child window laid exactly over the main window's content area. It
 * runs the small overlay page (src-renderer/overlay.html + src-overlay/) in a sandbox with no preload,
 * so the content renderer — which cannot open windows, holds no reference to this one and shares no
 * channel with it — can neither reach nor hide the watermark. Options are written inline, literally,
 * so static scanners and reviewers read every setting here.
 *
 * Why a separate window and not a WebContentsView inside the main window: a view cannot ignore mouse
 * events, so it would swallow the reviewer's clicks; a window can (`setIgnoreMouseEvents`).
 *
 * How the payload travels (one-way, main-initiated): main encodes it into the overlay URL's fragment
 * and calls loadURL. Chosen over the alternatives because it needs no receiving API at all in the page:
 * `webContents.executeJavaScript` would be script injection (and CSP forbids eval-like paths);
 * `MessageChannelMain` ports and `webContents.postMessage` arrive through ipcRenderer, which only a
 * preload could expose — a preload is surface we do not need. A fragment never reaches a request or a
 * log, and only main can navigate this webContents (will-navigate is refused by the lockdown).
 */
import type { BrowserWindow as BrowserWindowClass, Rectangle } from 'electron';
import { encodeOverlayPayload, type OverlayPayload } from '../../src-shared/overlay-payload';
import { APP_ORIGIN } from './app-origin';

export const OVERLAY_PAGE_URL = `${APP_ORIGIN}/overlay.html`;

export function overlayUrl(payload: OverlayPayload): string {
  return `${OVERLAY_PAGE_URL}#${encodeOverlayPayload(payload)}`;
}

export interface OverlayWindowDeps {
  BrowserWindow: typeof BrowserWindowClass;
  /** The main window the overlay covers and follows. */
  parent: BrowserWindowClass;
  initial: OverlayPayload;
}

export interface OverlayHandle {
  window: BrowserWindowClass;
  /** Sends a new payload (session begun or ended, policy changed). */
  update(payload: OverlayPayload): void;
}

export function createOverlayWindow(deps: OverlayWindowDeps): OverlayHandle {
  const parent = deps.parent;
  const bounds: Rectangle = parent.getContentBounds();
  const overlay = new deps.BrowserWindow({
    parent,
    x: bounds.x,
    y: bounds.y,
    width: bounds.width,
    height: bounds.height,
    show: false,
    frame: false,
    transparent: true,
    backgroundColor: '#00000000',
    hasShadow: false,
    resizable: false,
    movable: false,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    focusable: false,
    skipTaskbar: true,
    alwaysOnTop: true,
    title: 'Reviewer Workstation watermark',
    webPreferences: {
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
      devTools: false,
      backgroundThrottling: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  // Click-through: every mouse event goes to the app below; none is forwarded to the overlay page.
  overlay.setIgnoreMouseEvents(true, { forward: false });
  // Above the main window (and its dialogs) at the level screen savers use, so nothing of ours covers it.
  // Only while the app is in front: an always-on-top watermark must not float over other applications'
  // windows when the reviewer switches away (as a child window it still stays above the app itself).
  overlay.setAlwaysOnTop(true, 'screen-saver');
  // Same protection as the main window: capture tools see nothing rather than the bare overlay.
  overlay.setContentProtection(true);

  const follow = () => {
    if (overlay.isDestroyed() || parent.isDestroyed()) return;
    overlay.setBounds(parent.getContentBounds());
  };
  const hide = () => {
    if (!overlay.isDestroyed()) overlay.hide();
  };
  const reveal = () => {
    if (overlay.isDestroyed() || parent.isDestroyed() || parent.isMinimized() || !parent.isVisible()) return;
    follow();
    overlay.showInactive();
  };
  parent.on('move', follow);
  parent.on('resize', follow);
  parent.on('enter-full-screen', follow);
  parent.on('leave-full-screen', follow);
  parent.on('focus', () => {
    if (!overlay.isDestroyed()) overlay.setAlwaysOnTop(true, 'screen-saver');
  });
  parent.on('blur', () => {
    if (!overlay.isDestroyed()) overlay.setAlwaysOnTop(false);
  });
  parent.on('minimize', hide);
  parent.on('hide', hide);
  parent.on('restore', reveal);
  parent.on('show', reveal);
  parent.on('closed', () => {
    if (!overlay.isDestroyed()) overlay.destroy();
  });
  overlay.once('ready-to-show', reveal);
  void overlay.loadURL(overlayUrl(deps.initial));

  return {
    window: overlay,
    update(payload) {
      if (!overlay.isDestroyed()) void overlay.loadURL(overlayUrl(payload));
    },
  };
}
