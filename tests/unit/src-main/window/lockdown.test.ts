import { describe, expect, it } from 'vitest';
import type { Session, WebContents } from 'electron';
import { lockDownContents, lockDownSession } from '../../../../src-main/window/lockdown';
import { FakeSession, FakeWebContents } from '../../../helpers/fake-electron';

function locked() {
  const reports: string[] = [];
  const contents = new FakeWebContents();
  lockDownContents(contents as unknown as WebContents, (kind, target) => reports.push(`${kind}:${target}`));
  const session = new FakeSession();
  lockDownSession(session as unknown as Session, (kind, target) => reports.push(`${kind}:${target}`));
  return { contents, session, reports };
}

describe('webContents lockdown', () => {
  it('prevents every top-level navigation and reports it', () => {
    const { contents, reports } = locked();
    expect(contents.fire('will-navigate', 'app://rw/other.html')).toBe(true);
    expect(contents.fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(reports).toEqual(['navigation:app://rw/other.html', 'navigation:https://evil.example/']);
  });

  it('lets a sub-frame load only app:// content', () => {
    const { contents } = locked();
    expect(contents.fire('will-frame-navigate', { isMainFrame: false, url: 'app://rw/pdf-frame.html' })).toBe(false);
    expect(contents.fire('will-frame-navigate', { isMainFrame: false, url: 'https://evil.example/' })).toBe(true);
    expect(contents.fire('will-frame-navigate', { isMainFrame: true, url: 'app://rw/index.html' })).toBe(true);
  });

  it('denies new windows and webview attachment', () => {
    const { contents, reports } = locked();
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.fire('will-attach-webview', {}, { src: 'https://evil.example/' })).toBe(true);
    expect(reports).toContain('webview:https://evil.example/');
  });
});

describe('session lockdown', () => {
  it.each(['clipboard-read', 'media', 'display-capture', 'notifications', 'geolocation', 'fullscreen'])('denies the %s permission request', (permission) => {
    const { session, reports } = locked();
    let granted: boolean | null = null;
    (session.permissionRequestHandler as unknown as (c: unknown, p: string, cb: (g: boolean) => void) => void)(null, permission, (g) => (granted = g));
    expect(granted).toBe(false);
    expect(reports).toContain(`permission:${permission}`);
  });

  it('answers every permission check and device request with no', () => {
    const { session } = locked();
    expect((session.permissionCheckHandler as unknown as () => boolean)()).toBe(false);
    expect((session.devicePermissionHandler as unknown as () => boolean)()).toBe(false);
  });

  it('refuses screen capture requests with no source', () => {
    const { session } = locked();
    let answer: unknown = null;
    (session.displayMediaRequestHandler as unknown as (r: unknown, cb: (a: unknown) => void) => void)({}, (a) => (answer = a));
    expect(answer).toEqual({});
  });

  it.each([
    ['app://rw/assets/index.js', false],
    ['blob:app://rw/8d3f', false],
    ['https://example.com/pixel.png', true],
    ['http://127.0.0.1:9222/json', true],
    ['file:///etc/passwd', true],
    ['app://other/index.html', true],
    ['data:text/html,hi', true],
  ])('request to %s is cancelled: %s', (url, cancel) => {
    const { session, reports } = locked();
    let decision: { cancel: boolean } | null = null;
    (session.beforeRequest as unknown as (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void)({ url }, (r) => (decision = r));
    expect(decision).toEqual({ cancel });
    expect(reports.includes(`request:${url}`)).toBe(cancel);
  });
});
