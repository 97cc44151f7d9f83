import { beforeEach, describe, expect, it } from 'vitest';
import type { BrowserWindow } from 'electron';
import { decodeOverlayPayload, LOCKED_OVERLAY, type OverlayPayload } from '../../../../src-shared/overlay-payload';
import { createOverlayWindow, overlayUrl } from '../../../../src-main/window/overlay-window';
import { FakeBrowserWindow } from '../../../helpers/fake-electron';

const SESSION: OverlayPayload = { v: 1, fields: ['user', 'workstation', 'session', 'time', 'classification'], user: 'avery', workstation: 'ws-1', classification: 'CUI', code: '0a1b2c3d4e5f' };

function build(initial: OverlayPayload = LOCKED_OVERLAY) {
  const parent = new FakeBrowserWindow({});
  const handle = createOverlayWindow({ BrowserWindow: FakeBrowserWindow as unknown as typeof BrowserWindow, parent: parent as unknown as BrowserWindow, initial });
  const overlay = FakeBrowserWindow.instances.at(-1) as FakeBrowserWindow;
  return { parent, overlay, handle };
}

describe('the watermark overlay window', () => {
  beforeEach(() => {
    FakeBrowserWindow.instances = [];
  });

  it('is a transparent, frameless, unfocusable, always-on-top child over the main window content, with a sandboxed preload-less renderer', () => {
    const { parent, overlay } = build();
    expect(overlay.options).toEqual({
      parent,
      x: 100,
      y: 80,
      width: 1280,
      height: 860,
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
    expect((overlay.options['webPreferences'] as Record<string, unknown>)['preload']).toBeUndefined();
  });

  it('lets every click through, stays on top at screen-saver level, and is content-protected', () => {
    const { overlay } = build();
    expect(overlay.ignoreMouseEvents).toEqual({ ignore: true, options: { forward: false } });
    expect(overlay.alwaysOnTop).toEqual({ flag: true, level: 'screen-saver' });
    expect(overlay.contentProtection).toBe(true);
  });

  it('loads the overlay page from app:// with the payload in the fragment, and reloads it on update', () => {
    const { overlay, handle } = build();
    expect(overlay.loadedUrls).toEqual([overlayUrl(LOCKED_OVERLAY)]);
    expect(overlay.loadedUrl?.startsWith('app://rw/overlay.html#')).toBe(true);
    handle.update(SESSION);
    const url = new URL(overlay.loadedUrls.at(-1) ?? '');
    expect(`${url.protocol}//${url.host}${url.pathname}`).toBe('app://rw/overlay.html');
    expect(url.search).toBe('');
    expect(decodeOverlayPayload(url.hash)).toEqual(SESSION);
  });

  it('follows the main window: bounds on move and resize, hidden when minimised, shown without focus on restore', () => {
    const { parent, overlay } = build();
    parent.visible = true;
    overlay.emit('ready-to-show');
    expect(overlay.shows).toEqual(['showInactive']);
    parent.contentBounds = { x: 5, y: 6, width: 700, height: 500 };
    parent.emit('resize');
    expect(overlay.bounds).toEqual({ x: 5, y: 6, width: 700, height: 500 });
    parent.contentBounds = { x: 50, y: 60, width: 700, height: 500 };
    parent.emit('move');
    expect(overlay.bounds).toEqual({ x: 50, y: 60, width: 700, height: 500 });
    parent.emit('minimize');
    expect(overlay.visible).toBe(false);
    parent.emit('restore');
    expect(overlay.visible).toBe(true);
    expect(overlay.shows).toEqual(['showInactive', 'showInactive']);
  });

  it('is on top only while the app is in front, so it never floats over other applications', () => {
    const { parent, overlay } = build();
    parent.emit('blur');
    expect(overlay.alwaysOnTop).toEqual({ flag: false, level: undefined });
    parent.emit('focus');
    expect(overlay.alwaysOnTop).toEqual({ flag: true, level: 'screen-saver' });
  });

  it('does not show before the main window is visible, and is destroyed with it', () => {
    const { parent, overlay } = build();
    overlay.emit('ready-to-show');
    expect(overlay.visible).toBe(false);
    parent.emit('closed');
    expect(overlay.destroyed).toBe(true);
  });
});
