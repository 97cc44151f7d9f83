/**
 * Electron's security checklist, applied to every webContents and to the session: no navigation, no
 * new windows, no webviews, no permissions, no request that leaves app://. Each refusal is reported so
 * the access log shows attempts, not just outcomes.
 */
import type { Session, WebContents } from 'electron';
import { isAllowedRendererRequest } from './request-filter';

export type ReportRefusal = (kind: 'navigation' | 'window-open' | 'webview' | 'permission' | 'request' | 'key', target: string) => void;

export function lockDownContents(contents: WebContents, report: ReportRefusal): void {
  // The renderer is a single-page app: it never navigates, so any navigation is an attack or a bug.
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    report('navigation', url);
  });
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && isAllowedRendererRequest(event.url)) return;
    event.preventDefault();
    report('navigation', event.url);
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    report('navigation', url);
  });
  contents.setWindowOpenHandler(({ url }) => {
    report('window-open', url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event, _webPreferences, params) => {
    event.preventDefault();
    report('webview', params.src ?? '');
  });
}

export function lockDownSession(session: Session, report: ReportRefusal): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    report('permission', permission);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => {
    report('permission', 'display-media');
    callback({});
  });
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRendererRequest(details.url);
    if (!allowed) report('request', details.url);
    callback({ cancel: !allowed });
  });
}
