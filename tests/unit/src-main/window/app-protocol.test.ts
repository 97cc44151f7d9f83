import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { handleAppRequest, registerAppProtocol } from '../../../../src-main/window/app-protocol';
import { RENDERER_CSP } from '../../../../src-main/window/csp';
import { resolveAppPath } from '../../../../src-main/window/resolve-app-path';
import { FakeProtocol } from '../../../helpers/fake-electron';
import type { Protocol } from 'electron';

let root: string;
let outside: string;

beforeAll(() => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'rw-proto-')));
  root = join(base, 'renderer');
  outside = join(base, 'secret');
  mkdirSync(join(root, 'assets'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>rw</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(outside, 'key.txt'), 'TOP-SECRET');
  symlinkSync(join(outside, 'key.txt'), join(root, 'assets', 'link.js'));
  symlinkSync(outside, join(root, 'escape'));
  // Decoys: in-root files named like the outside targets, and a file whose name holds a backslash.
  mkdirSync(join(root, 'secret'));
  writeFileSync(join(root, 'secret', 'key.txt'), 'decoy');
  mkdirSync(join(root, 'etc'));
  writeFileSync(join(root, 'etc', 'passwd'), 'decoy');
  writeFileSync(join(root, 'back\\slash.js'), 'decoy');
});

describe('app:// path resolution', () => {
  it('serves files under the renderer folder, and index.html for the root', () => {
    expect(resolveAppPath('app://rw/assets/app.js', root, realpathSync)).toEqual({ ok: true, file: join(root, 'assets', 'app.js') });
    expect(resolveAppPath('app://rw/', root, realpathSync)).toEqual({ ok: true, file: join(root, 'index.html') });
  });

  // Each refusal names its reason, and each traversal aims at a file that exists (outside the root, or a
  // file whose name only a skipped check would let through), so a resolver that lost its path checks
  // answers differently ("outside the renderer folder" or a served file) instead of "not found" by luck.
  it.each([
    ['an encoded dot-dot-slash that decodes to ../../secret', 'app://rw/assets/%2e%2e%2f%2e%2e%2fsecret/key.txt', 'encoded or forbidden character'],
    ['an encoded slash between literal dots', 'app://rw/assets%2f..%2f..%2fsecret/key.txt', 'encoded or forbidden character'],
    ['an encoded slash inside the root', 'app://rw/assets%2fapp.js', 'encoded or forbidden character'],
    ['a backslash in a name that exists', 'app://rw/back\\slash.js', 'encoded or forbidden character'],
    ['an encoded backslash in a name that exists', 'app://rw/back%5cslash.js', 'encoded or forbidden character'],
    ['an encoded NUL', 'app://rw/index.html%00.js', 'encoded or forbidden character'],
    ['a symlinked file pointing out of the root', 'app://rw/assets/link.js', 'outside the renderer folder'],
    ['a symlinked folder pointing out of the root', 'app://rw/escape/key.txt', 'outside the renderer folder'],
    ['another host', 'app://evil/index.html', 'wrong origin'],
    ['another scheme', 'file:///etc/passwd', 'wrong origin'],
    ['a missing file', 'app://rw/nope.js', 'not found'],
    ['a malformed escape', 'app://rw/%E0%A4%A', 'malformed escape'],
  ])('refuses %s', (_name, url, reason) => {
    expect(resolveAppPath(url, root, realpathSync)).toEqual({ ok: false, reason });
  });

  // URL parsing folds literal and percent-encoded dot segments and empty segments before the resolver
  // sees the path (WHATWG URL path state): these can only reach a file under the root, here a decoy
  // named like the outside target, never the outside file itself.
  it.each([
    ['a literal ..', 'app://rw/assets/../../secret/key.txt'],
    ['an encoded ..', 'app://rw/assets/%2e%2e/%2e%2e/secret/key.txt'],
    ['an upper-case encoded ..', 'app://rw/%2E%2E/secret/key.txt'],
    ['a mixed .%2e', 'app://rw/assets/.%2e/.%2e/secret/key.txt'],
  ])('keeps %s inside the root', (_name, url) => {
    expect(resolveAppPath(url, root, realpathSync)).toEqual({ ok: true, file: join(root, 'secret', 'key.txt') });
  });

  it('reads an absolute path smuggled as //etc/passwd as a path under the root', () => {
    expect(resolveAppPath('app://rw//etc/passwd', root, realpathSync)).toEqual({ ok: true, file: join(root, 'etc', 'passwd') });
  });
});

describe('app:// handler', () => {
  it('answers with the CSP and nosniff headers and the right type', async () => {
    const response = await handleAppRequest('app://rw/index.html', root);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('answers 404 without the file content for a symlink escape', async () => {
    const response = await handleAppRequest('app://rw/assets/link.js', root);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('TOP-SECRET');
  });

  it('is registered for the app scheme only', async () => {
    const protocol = new FakeProtocol();
    registerAppProtocol(protocol as unknown as Protocol, root);
    expect([...protocol.handlers.keys()]).toEqual(['app']);
    const response = await protocol.handlers.get('app')?.({ url: 'app://rw/assets/app.js' });
    expect(await response?.text()).toBe('console.log(1)');
  });

  it('has a CSP without inline script, eval or remote sources', () => {
    expect(RENDERER_CSP).toContain("default-src 'none'");
    expect(RENDERER_CSP).toMatch(/script-src 'self'(;|$)/);
    expect(RENDERER_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });
});
