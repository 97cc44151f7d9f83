/**
 * Serves the built renderer from app://rw. Registered privileged (standard, secure) so the renderer has
 * a real origin for CSP 'self' and storage isolation, instead of file:// with its extra powers.
 */
import { readFile, realpath } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import type { Protocol } from 'electron';
import { APP_SCHEME } from './app-origin';
import { RENDERER_HEADERS } from './csp';
import { mimeTypeFor, resolveAppPath } from './resolve-app-path';

export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: false, corsEnabled: false, stream: false, bypassCSP: false, allowServiceWorkers: false },
} as const;

export async function handleAppRequest(url: string, rendererRoot: string): Promise<Response> {
  const root = await realpath(rendererRoot);
  const resolved = resolveAppPath(url, root, realpathSync);
  if (!resolved.ok) return new Response('Not found', { status: 404, headers: RENDERER_HEADERS });
  const body = await readFile(resolved.file);
  return new Response(body, { status: 200, headers: { ...RENDERER_HEADERS, 'Content-Type': mimeTypeFor(resolved.file) } });
}

export function registerAppProtocol(protocol: Protocol, rendererRoot: string): void {
  protocol.handle(APP_SCHEME, (request) => handleAppRequest(request.url, rendererRoot));
}
