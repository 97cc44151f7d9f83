/**
 * The browser preview (npm run preview): the app without Electron, for people without an Electron
 * binary. The same createAppCore in this Node process, the same built renderer in the system Chromium
 * (headful, an app-style window), bridged through the same createApi(invoke). No network listener:
 * Playwright routing answers every request in-process. It says plainly, in the window and here, that
 * Electron-only controls (content protection, the watermark overlay) are not in force.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { createAppCore } from '../src-main/app-core';
import type { AuditRecord } from '../src-main/ipc/router';
import { CHROMIUM_ARGS, HARNESS_ENTRY_URL, HARNESS_ORIGIN, RENDERER_DIR, buildBridgeScript, ensureRendererBuilt, findChromium, installShell } from './browser-shell';

export interface PreviewOptions {
  dataDir: string;
  /** Save a screenshot of the first screen there, then keep running (or exit with `exitAfterShot`). */
  screenshot: string | null;
  exitAfterShot: boolean;
  /** False: use out/renderer as it is (npm start has just built it); refuse if it is missing. */
  build: boolean;
  log(line: string): void;
}

export function previewDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['RW_DATA_DIR'];
  return fromEnv && fromEnv.length > 0 ? resolve(fromEnv) : join(homedir(), '.reviewer-workstation-preview');
}

function describeAudit(entry: AuditRecord): string {
  const who = entry.actor.user ?? entry.actor.role;
  return `[audit] ${entry.event} ${entry.outcome}${entry.errorCode ? ` ${entry.errorCode}` : ''} by ${who}`;
}

// The app window's first document: inline and empty, so nothing is fetched before routing is in place.
const STARTUP_URL = 'data:text/html,%3Ctitle%3EReviewer%20Workstation%3C%2Ftitle%3E';

function previewArgs(): string[] {
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (asRoot) return [...CHROMIUM_ARGS, '--test-type'];
  return CHROMIUM_ARGS.filter((arg) => arg !== '--no-sandbox');
}

export async function runPreview(options: PreviewOptions): Promise<void> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  if (options.build) {
    const built = await ensureRendererBuilt({ log: options.log });
    options.log(built === 'built' ? 'renderer built into out/renderer' : 'reusing out/renderer (newer than its sources)');
  } else if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error('out/renderer is missing: run `npm run build` first, or start the preview without --no-build.');
  }
  const bridgeScript = await buildBridgeScript();
  const core = await createAppCore({
    dataDir: options.dataDir,
    clock: () => Date.now(),
    preview: true,
    appOrigin: HARNESS_ORIGIN,
    audit: { record: (entry) => options.log(describeAudit(entry)) },
  });
  // A throwaway browser profile: nothing of the session stays in a Chromium profile after exit.
  const profile = mkdtempSync(join(tmpdir(), 'rw-preview-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChromium(),
    headless: false,
    viewport: null,
    // An app-style window (no tabs, no address bar); Playwright's own about:blank tab is dropped so the
    // app window is the only page. The sandbox stays on unless we run as root, where Chromium refuses it.
    args: [...previewArgs(), '--window-size=1280,860', `--app=${STARTUP_URL}`, '--disk-cache-size=1', '--password-store=basic'],
    ignoreDefaultArgs: ['about:blank'],
    serviceWorkers: 'block',
  });
  let closing = false;
  const shutdown = async (code: number) => {
    if (closing) return;
    closing = true;
    await context.close().catch(() => undefined);
    await core.close();
    rmSync(profile, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(130));
  process.on('SIGTERM', () => void shutdown(143));
  const shell = await installShell(context, { router: core.router, bridgeScript });
  context.on('close', () => void shutdown(0));
  // Windows the page tries to open (window.open, target=_blank) are closed at once, like the Electron shell.
  context.on('page', (page) => {
    if (context.pages()[0] !== page) void page.close();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('close', () => void shutdown(0));
  await page.goto(HARNESS_ENTRY_URL);
  options.log(`preview running: data folder ${options.dataDir}`);
  options.log('Browser preview: Electron-only controls (content protection, the watermark overlay window) are not in force.');
  if (options.screenshot) {
    await page.getByRole('heading', { name: 'Reviewer Workstation' }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: options.screenshot });
    options.log(`screenshot saved to ${options.screenshot}`);
    const leaked = shell.refused;
    if (leaked.length > 0) options.log(`refused ${leaked.length} request(s) outside the app origin: ${leaked.join(', ')}`);
    if (options.exitAfterShot) await shutdown(0);
  }
}
