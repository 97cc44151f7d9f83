/**
 * What the Chromium harness and the browser preview share: find the system Chromium, build the
 * renderer and the bridge, and wire a browser context to the real router with no network listener:
 * every request is answered in-process through Playwright routing, app files by the same handler the
 * Electron app:// protocol uses (same CSP and headers), everything else refused and recorded.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Route } from 'playwright-core';
import type { Router } from '../src-main/ipc/router';
import { handleAppRequest } from '../src-main/window/app-protocol';
import { APP_ORIGIN } from '../src-main/window/app-origin';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const RENDERER_DIR = join(REPO_ROOT, 'out/renderer');

/** The harness's stand-in for app://rw: https (a secure context) on a name that can never resolve. */
export const HARNESS_ORIGIN = 'https://rw.invalid';
export const HARNESS_ENTRY_URL = `${HARNESS_ORIGIN}/index.html`;

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-default-browser-check',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
];

export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`No Chromium found (looked at ${candidates.join(', ')}). install it: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return found;
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Inputs of the renderer bundle: anything newer than out/renderer/index.html means a rebuild. */
const RENDERER_INPUTS = ['src-renderer', 'src-overlay', 'src-shared', 'src-preload', 'electron.vite.config.ts', 'package-lock.json'];

export function rendererIsFresh(): boolean {
  const built = join(RENDERER_DIR, 'index.html');
  if (!existsSync(built)) return false;
  const builtAt = statSync(built).mtimeMs;
  return RENDERER_INPUTS.every((p) => newestMtime(join(REPO_ROOT, p)) <= builtAt);
}

/**
 * Builds only the renderer, with the renderer config electron-vite resolves from
 * electron.vite.config.ts (so the bundle is byte-for-byte what `electron-vite build` writes), unless
 * out/renderer is already newer than every input.
 */
export async function ensureRendererBuilt(options: { force?: boolean; log?: (line: string) => void } = {}): Promise<'reused' | 'built'> {
  if (!options.force && process.env['RW_E2E_REBUILD'] !== '1' && rendererIsFresh()) return 'reused';
  options.log?.('building the renderer (electron-vite renderer config)…');
  const previous = process.env['NODE_ENV_ELECTRON_VITE'];
  const cwd = process.cwd();
  process.chdir(REPO_ROOT);
  try {
    process.env['NODE_ENV_ELECTRON_VITE'] = 'production';
    const { resolveConfig } = await import('electron-vite');
    const { build } = await import('vite');
    const resolved = await resolveConfig({ logLevel: 'warn' }, 'build', 'production');
    const renderer = resolved.config?.renderer;
    if (!renderer) throw new Error('electron.vite.config.ts has no renderer section');
    await build({ ...renderer, logLevel: 'warn' });
  } finally {
    process.chdir(cwd);
    if (previous === undefined) delete process.env['NODE_ENV_ELECTRON_VITE'];
    else process.env['NODE_ENV_ELECTRON_VITE'] = previous;
  }
  return 'built';
}

/** One source file bundled (with what it imports) into a classic script that defines `globalName`, for addInitScript. */
export async function bundleClassicScript(entry: string, globalName: string): Promise<string> {
  const { build } = await import('vite');
  const output = await build({
    configFile: false,
    logLevel: 'warn',
    root: REPO_ROOT,
    build: {
      write: false,
      minify: false,
      target: 'chrome120',
      lib: { entry: join(REPO_ROOT, entry), formats: ['iife'], name: globalName, fileName: () => `${globalName}.js` },
    },
  });
  for (const out of Array.isArray(output) ? output : [output]) {
    if (!('output' in out)) continue;
    const chunk = out.output.find((o) => o.type === 'chunk');
    if (chunk && chunk.type === 'chunk') return chunk.code;
  }
  throw new Error(`${entry} bundled into no chunk`);
}

let bridgeScript: Promise<string> | null = null;

/** page-bridge.ts (with createApi and the contract) bundled into one classic script for addInitScript. */
export function buildBridgeScript(): Promise<string> {
  bridgeScript ??= bundleClassicScript('src-preview/page-bridge.ts', 'rwBridge');
  return bridgeScript;
}

export interface RequestRecord {
  url: string;
  method: string;
  resourceType: string;
  frameUrl: string;
}

export interface ExtraRoute {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface ShellOptions {
  router: Router;
  bridgeScript: string;
  /** Serve a URL outside the app origin (tests only: the cross-origin frame). Null refuses it. */
  extraRoute?: (url: URL) => ExtraRoute | null;
}

export interface ShellHandle {
  /** Every request any page of the context made, in order. */
  requests: RequestRecord[];
  /** Requests that were refused because they left the app origin. */
  refused: string[];
}

async function serveApp(route: Route, url: URL): Promise<void> {
  // Same handler as the Electron protocol: translate our origin to app://rw and let it resolve the file
  // (traversal-safe) and attach the production CSP and headers.
  const appUrl = `${APP_ORIGIN}${url.pathname}${url.search}`;
  const response = await handleAppRequest(appUrl, RENDERER_DIR);
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  await route.fulfill({ status: response.status, headers, body: Buffer.from(await response.arrayBuffer()) });
}

/** Wires a context: binding to the router (events back to the calling frame), the createApi bridge in every frame, in-process routing. */
export async function installShell(context: BrowserContext, options: ShellOptions): Promise<ShellHandle> {
  const handle: ShellHandle = { requests: [], refused: [] };
  await context.exposeBinding('rwInvoke', async (source, channel: unknown, request: unknown) => {
    const frame = source.frame;
    return options.router.handle(
      typeof channel === 'string' ? channel : '',
      request,
      { url: frame.url(), isTopFrame: frame.parentFrame() === null },
      // Like webContents.send in Electron: events reach only the frame that made the call (page-bridge.ts).
      (name, payload) =>
        void frame
          .evaluate(([n, p]) => (globalThis as { __rwDeliverEvent?: (n: string, p: unknown) => void }).__rwDeliverEvent?.(n, p), [name, payload] as const)
          .catch(() => undefined),
    );
  });
  await context.addInitScript({ content: options.bridgeScript });
  context.on('request', (request) => {
    let frameUrl = '';
    try {
      frameUrl = request.frame().url();
    } catch {
      frameUrl = '(worker)';
    }
    handle.requests.push({ url: request.url(), method: request.method(), resourceType: request.resourceType(), frameUrl });
  });
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin === HARNESS_ORIGIN) return serveApp(route, url);
    const extra = options.extraRoute?.(url) ?? null;
    if (extra) return route.fulfill({ status: extra.status, headers: extra.headers, body: extra.body });
    handle.refused.push(url.href);
    return route.abort('blockedbyclient');
  });
  return handle;
}
