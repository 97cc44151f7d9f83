/**
 * The Chromium end-to-end harness (DESIGN §6): the real built renderer in the system Chromium, with
 * `window.rw` built by the same createApi the preload uses, bridged to the real router from
 * createAppCore in this process. No network listener: Playwright routing answers every request.
 * Each screen can be screenshotted and checked with axe-core (WCAG 2.1 A/AA) in an isolated world, so
 * neither the page's CSP nor the page's scripts see or affect the checker.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createAppCore, type AppCore } from '../../src-main/app-core';
import { MIN_KDF_PARAMS } from '../../src-main/vault/kdf';
import { installPreviewOverlay } from '../../src-preview/preview-overlay';
import type { AuditRecord } from '../../src-main/ipc/router';
import {
  CHROMIUM_ARGS,
  HARNESS_ENTRY_URL,
  HARNESS_ORIGIN,
  REPO_ROOT,
  buildBridgeScript,
  ensureRendererBuilt,
  findChromium,
  installShell,
  type ExtraRoute,
  type RequestRecord,
} from '../../src-preview/browser-shell';

export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-output/screenshots');

export interface CspViolation {
  directive: string;
  blockedURI: string;
  sample: string;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

export interface HarnessOptions {
  preview?: boolean;
  /** Reuse a vault folder (e.g. to restart the app on the same data); a temp folder otherwise. */
  dataDir?: string;
  extraRoute?: (url: URL) => ExtraRoute | null;
  colorScheme?: 'light' | 'dark';
  /** Paint the watermark overlay into the page, as the browser preview does. */
  overlay?: boolean;
  /** The app's bundled assets (e.g. a tampered copy of the demo); ./assets otherwise. */
  assetsDir?: string;
}

export interface Harness {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  core: AppCore;
  dataDir: string;
  /** Every decision the router recorded (sender, schema, role refusals included). */
  audit: AuditRecord[];
  requests: RequestRecord[];
  refused: string[];
  pageErrors: string[];
  /** Requests whose URL is neither the app origin nor an in-page blob:/data: URL. */
  offOriginRequests(): RequestRecord[];
  cspViolations(): Promise<CspViolation[]>;
  screenshot(name: string): Promise<string>;
  axe(): Promise<AxeViolation[]>;
  /** Screenshot plus axe; throws listing every WCAG 2.1 A/AA violation, or when the window itself scrolls. */
  checkScreen(name: string): Promise<void>;
  close(): Promise<void>;
}

const CSP_RECORDER = `
  (() => {
    const seen = [];
    Object.defineProperty(globalThis, '__rwCspViolations', { value: seen, configurable: false, writable: false });
    document.addEventListener('securitypolicyviolation', (e) => {
      seen.push({ directive: e.violatedDirective, blockedURI: e.blockedURI, sample: e.sample || '' });
    });
  })();
`;

let axeSource: string | null = null;
function loadAxe(): string {
  axeSource ??= readFileSync(join(REPO_ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

/** Runs axe-core in a fresh isolated world of the top frame (same DOM, separate JS, outside the CSP). */
async function runAxe(context: BrowserContext, page: Page): Promise<AxeViolation[]> {
  const cdp = await context.newCDPSession(page);
  try {
    const tree = (await cdp.send('Page.getFrameTree')) as { frameTree: { frame: { id: string } } };
    const world = (await cdp.send('Page.createIsolatedWorld', { frameId: tree.frameTree.frame.id, worldName: 'rw-axe', grantUniveralAccess: false })) as {
      executionContextId: number;
    };
    const load = (await cdp.send('Runtime.evaluate', { expression: loadAxe(), contextId: world.executionContextId })) as { exceptionDetails?: unknown };
    if (load.exceptionDetails) throw new Error(`axe-core failed to load: ${JSON.stringify(load.exceptionDetails)}`);
    const expression = `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })
      .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact || null, help: v.help, nodes: v.nodes.slice(0, 8).map((n) => n.target.join(' ') + ' :: ' + (n.failureSummary || '').replace(/\\s+/g, ' ')) })))`;
    const result = (await cdp.send('Runtime.evaluate', { expression, contextId: world.executionContextId, awaitPromise: true, returnByValue: true })) as {
      result: { value?: AxeViolation[] };
      exceptionDetails?: unknown;
    };
    if (result.exceptionDetails) throw new Error(`axe-core run failed: ${JSON.stringify(result.exceptionDetails)}`);
    return result.result.value ?? [];
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  await ensureRendererBuilt({ log: (line) => console.log(`[e2e] ${line}`) });
  const bridgeScript = await buildBridgeScript();
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'rw-e2e-'));
  const audit: AuditRecord[] = [];
  const core = await createAppCore({
    dataDir,
    clock: () => Date.now(),
    // The floor: these flows are not about the KDF's cost (vault/kdf.ts calibration has its own tests).
    kdf: MIN_KDF_PARAMS,
    preview: options.preview ?? true,
    appOrigin: HARNESS_ORIGIN,
    audit: { record: (entry) => void audit.push(entry) },
    ...(options.assetsDir ? { assetsDir: options.assetsDir } : {}),
  });
  const browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: options.colorScheme ?? 'light', serviceWorkers: 'block' });
  const shellOptions: Parameters<typeof installShell>[1] = { router: core.router, bridgeScript };
  if (options.extraRoute) shellOptions.extraRoute = options.extraRoute;
  const shell = await installShell(context, shellOptions);
  await context.addInitScript({ content: CSP_RECORDER });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  if (options.overlay) await installPreviewOverlay(page, core.controls);
  await page.goto(HARNESS_ENTRY_URL);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });

  const harness: Harness = {
    browser,
    context,
    page,
    core,
    dataDir,
    audit,
    requests: shell.requests,
    refused: shell.refused,
    pageErrors,
    offOriginRequests: () =>
      shell.requests.filter((r) => {
        if (r.url.startsWith('blob:') || r.url.startsWith('data:')) return false;
        try {
          return new URL(r.url).origin !== HARNESS_ORIGIN;
        } catch {
          return true;
        }
      }),
    cspViolations: async () => page.evaluate(() => [...((globalThis as { __rwCspViolations?: CspViolation[] }).__rwCspViolations ?? [])]),
    async screenshot(name) {
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    axe: () => runAxe(context, page),
    async checkScreen(name) {
      await harness.screenshot(name);
      const violations = await harness.axe();
      if (violations.length > 0) {
        const lines = violations.map((v) => `- ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join('\n    ')}`);
        throw new Error(`axe found ${violations.length} WCAG 2.1 A/AA violation(s) on "${name}":\n${lines.join('\n')}`);
      }
      // The window is the frame (app.css): screens scroll inside their panes, never the window itself.
      const spill = await page.evaluate(() => ({ down: document.documentElement.scrollHeight - innerHeight, across: document.documentElement.scrollWidth - innerWidth }));
      if (spill.down > 0 || spill.across > 0) throw new Error(`The window itself scrolls on "${name}" (${spill.down} px down, ${spill.across} px across): something escaped its pane.`);
    },
    async close() {
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await core.close();
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}
