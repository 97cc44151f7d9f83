/**
 * Architecture rules that keep the privileged surface small enough to review (DESIGN §3). They read
 * the real source tree; each rule's detector is also shown to fire on a planted violation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSourceFiles } from '../../helpers/source-files';

const ROOT = process.cwd();
const files = listSourceFiles(ROOT).map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));

const importsModule = (text: string, module: string) => new RegExp(`(?:from\\s+|import\\s*\\(\\s*|require\\s*\\(\\s*)['"]${module}['"]`).test(text);
const constructsWindow = (text: string) => /new\s+(?:\w+\.)?BrowserWindow\s*\(/.test(text);

const ELECTRON_ALLOWED = [/^src-main\/index\.ts$/, /^src-main\/window\//, /^src-main\/ipc\/electron-ipc\.ts$/, /^src-preload\/index\.ts$/];

describe('architecture boundaries', () => {
  it('imports electron only from the shell files', () => {
    const offenders = files.filter((f) => importsModule(f.text, 'electron') && !ELECTRON_ALLOWED.some((r) => r.test(f.path))).map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('constructs a BrowserWindow only in the window factory (and the watermark overlay factory)', () => {
    const offenders = files.filter((f) => constructsWindow(f.text) && !/^src-main\/window\/(window-factory|overlay-window)\.ts$/.test(f.path)).map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('imports node:crypto only in the shared Node crypto wrappers (src-shared/node)', () => {
    const offenders = files.filter((f) => (importsModule(f.text, 'node:crypto') || importsModule(f.text, 'crypto')) && !f.path.startsWith('src-shared/node/')).map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('keeps Node built-ins out of the renderer', () => {
    const offenders = files.filter((f) => f.path.startsWith('src-renderer/') && /from\s+['"]node:/.test(f.text)).map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('keeps the watermark overlay page to shared pure code: no Node, no Electron, nothing of the app renderer or main', () => {
    const overlay = files.filter((f) => f.path.startsWith('src-overlay/'));
    expect(overlay.length).toBeGreaterThan(0);
    const offenders = overlay.filter((f) => /from\s+['"](?:node:|electron|\.\.\/src-(?:main|renderer|preload)\/)/.test(f.text)).map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('the detectors fire on planted violations', () => {
    expect(importsModule("import { app } from 'electron';", 'electron')).toBe(true);
    expect(importsModule("const e = require('electron')", 'electron')).toBe(true);
    expect(importsModule("import x from 'electron-builder';", 'electron')).toBe(false);
    expect(constructsWindow('const w = new electron.BrowserWindow({})')).toBe(true);
    expect(constructsWindow('const w = new BrowserWindow ({})')).toBe(true);
  });
});
