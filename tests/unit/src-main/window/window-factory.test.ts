import { beforeEach, describe, expect, it } from 'vitest';
import type { BrowserWindow } from 'electron';
import { createMainWindow } from '../../../../src-main/window/window-factory';
import { FakeBrowserWindow } from '../../../helpers/fake-electron';

function build(isPackaged: boolean): FakeBrowserWindow {
  const reports: string[] = [];
  createMainWindow({
    BrowserWindow: FakeBrowserWindow as unknown as typeof BrowserWindow,
    preloadPath: '/app/out/preload/index.cjs',
    isPackaged,
    report: (kind, target) => reports.push(`${kind}:${target}`),
  });
  return FakeBrowserWindow.instances.at(-1) as FakeBrowserWindow;
}

describe('the main window factory', () => {
  beforeEach(() => {
    FakeBrowserWindow.instances = [];
  });

  it('sets every item of the Electron security checklist on the renderer', () => {
    const window = build(true);
    expect(window.options.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
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
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('allows DevTools only when the app is not packaged', () => {
    expect((build(false).options.webPreferences as Record<string, unknown>).devTools).toBe(true);
  });

  it('turns on content protection and loads the app:// entry, never file://', () => {
    const window = build(true);
    expect(window.contentProtection).toBe(true);
    expect(window.loadedUrl).toBe('app://rw/index.html');
  });

  it('installs the navigation and window-open lockdown on the window it makes', () => {
    const window = build(true);
    expect(window.webContents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(window.webContents.fire('will-navigate', 'https://example.com/')).toBe(true);
  });

  it('swallows Ctrl+P on the window it makes', () => {
    const window = build(true);
    expect(window.webContents.fire('before-input-event', { type: 'keyDown', key: 'p', control: true, meta: false, shift: false, alt: false })).toBe(true);
  });
});
