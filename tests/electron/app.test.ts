/**
 * The real app in a real Electron, driven by Playwright's _electron. scripts/test.mjs runs this suite
 * only when an Electron binary is installed and prints `skipped: no Electron binary` otherwise.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronBinary } from '../../scripts/electron-binary.mjs';

let app: ElectronApplication;
let page: Page;

beforeAll(async () => {
  const executablePath = electronBinary();
  if (!executablePath) throw new Error('No Electron binary: run this suite through npm test, which skips it and says so.');
  app = await electron.launch({ executablePath, args: ['.'], env: { ...process.env, HOME: mkdtempSync(join(tmpdir(), 'rw-electron-')) } });
  page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
});

afterAll(async () => {
  await app?.close();
});

describe('Reviewer Workstation in Electron', () => {
  it('loads the renderer from app://, never file://', async () => {
    expect(page.url()).toBe('app://rw/index.html');
  });

  it('opens on the lock screen with the consent banner', async () => {
    await expect(page.getByRole('heading', { name: 'Notice and consent' }).isVisible()).resolves.toBe(true);
  });

  it('gives the page no Node: require and process are undefined, window.rw is the only bridge', async () => {
    const globals = await page.evaluate(() => ({ require: typeof (window as unknown as { require?: unknown }).require, process: typeof (window as unknown as { process?: unknown }).process, rw: typeof (window as unknown as { rw?: unknown }).rw }));
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', rw: 'object' });
  });

  it('turns on content protection for the main window', async () => {
    const isProtected = await app.evaluate(({ BrowserWindow }) => {
      const window = BrowserWindow.getAllWindows().find((w) => w.webContents.getURL().startsWith('app://rw/index.html'));
      return window?.isContentProtected();
    });
    expect(isProtected).toBe(true);
  });

  it('refuses a navigation away from the app', async () => {
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe('app://rw/index.html');
  });
});
