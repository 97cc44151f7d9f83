/**
 * The renderer's confinement, proven in a real Chromium: the production CSP (from the app:// handler)
 * blocks inline script and inline style attributes, the router refuses callers other than the app's
 * own top frame even though the bridge is present in every frame, refused calls reach the access log,
 * and axe in this harness does detect a violation (so a clean screen means something).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HARNESS_ENTRY_URL, HARNESS_ORIGIN } from '../../src-preview/browser-shell';
import { startHarness, type Harness } from './harness';

const OTHER_ORIGIN = 'https://other.invalid';

// Pages a test serves outside the app origin (a hostile embedder and a page the window navigated to).
const FOREIGN_PAGE = '<!doctype html><html lang="en"><head><title>foreign</title></head><body><p>foreign</p></body></html>';

type Result = { ok: boolean; error?: { code: string } };

describe('renderer confinement', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      extraRoute: (url) =>
        url.origin === OTHER_ORIGIN ? { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: FOREIGN_PAGE } : null,
    });
    await h.page.getByRole('heading', { name: 'Notice and consent' }).waitFor();
  });
  afterAll(async () => {
    await h?.close();
  });

  test('the CSP blocks an inline script and reports it', async () => {
    const ran = await h.page.evaluate(async () => {
      const seen = new Promise<string>((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true }));
      const script = document.createElement('script');
      script.textContent = 'globalThis.__inlineRan = true;';
      document.head.append(script);
      const directive = await seen;
      return { directive, ran: (globalThis as { __inlineRan?: boolean }).__inlineRan === true };
    });
    expect(ran.ran).toBe(false);
    expect(ran.directive).toMatch(/^script-src/);
  });

  test('the CSP blocks a style attribute parsed from HTML', async () => {
    const result = await h.page.evaluate(async () => {
      const seen = new Promise<string>((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true }));
      const div = document.createElement('div');
      div.innerHTML = '<span style="color: rgb(1, 2, 3)">x</span>';
      document.body.append(div);
      const directive = await seen;
      const colour = getComputedStyle(div.firstElementChild as Element).color;
      div.remove();
      return { directive, colour };
    });
    expect(result.directive).toMatch(/^style-src/);
    expect(result.colour).not.toBe('rgb(1, 2, 3)');
  });

  test('the CSP refuses to frame another origin in the app page', async () => {
    const directive = await h.page.evaluate(async (other) => {
      const seen = new Promise<string>((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true }));
      const frame = document.createElement('iframe');
      frame.title = 'probe';
      frame.src = `${other}/frame.html`;
      document.body.append(frame);
      const d = await seen;
      frame.remove();
      return d;
    }, OTHER_ORIGIN);
    expect(directive).toBe('frame-src');
  });

  test('the bridge refuses unknown channels, bad payloads and calls the role does not allow, and logs them', async () => {
    const results = await h.page.evaluate(async () => {
      const rw = (globalThis as unknown as { rw: Record<string, (r: unknown) => Promise<unknown>> }).rw;
      const raw = (globalThis as unknown as { rwInvoke: (c: string, r: unknown) => Promise<unknown> }).rwInvoke;
      return {
        unknown: await raw('vault.dumpKeys', {}),
        invalid: await rw['session.unlock']!({ user: '', passphrase: '', extra: 1 }),
        role: await rw['session.lock']!({ reason: 'manual' }),
      };
    });
    expect((results.unknown as Result).error?.code).toBe('UNKNOWN_CHANNEL');
    expect((results.invalid as Result).error?.code).toBe('INVALID_INPUT');
    expect((results.role as Result).error?.code).toBe('DENIED');
    const denied = h.audit.filter((e) => e.outcome === 'denied').map((e) => e.errorCode);
    expect(denied).toEqual(expect.arrayContaining(['UNKNOWN_CHANNEL', 'INVALID_INPUT', 'DENIED']));
  });

  test('a cross-origin iframe and a same-origin iframe get SENDER_REFUSED although the bridge is there', async () => {
    // A host page on the app origin without the app's CSP (which forbids frames, see above), served by
    // a page-level route that overrides the app files for this one path: only the router is under test.
    const hostUrl = `${HARNESS_ORIGIN}/__frame-host.html`;
    await h.page.route(hostUrl, (route) =>
      route.fulfill({
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: `<!doctype html><html lang="en"><head><title>host</title></head><body>
          <iframe title="foreign" name="foreign" src="${OTHER_ORIGIN}/frame.html"></iframe>
          <iframe title="same" name="same" src="${HARNESS_ORIGIN}/__same.html"></iframe></body></html>`,
      }),
    );
    await h.page.route(`${HARNESS_ORIGIN}/__same.html`, (route) =>
      route.fulfill({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: FOREIGN_PAGE }),
    );
    await h.page.goto(hostUrl);
    const before = h.audit.length;
    for (const name of ['foreign', 'same']) {
      const frame = h.page.frame({ name });
      expect(frame, `frame ${name}`).not.toBeNull();
      await frame!.waitForLoadState();
      const result = (await frame!.evaluate(async () => {
        const rw = (globalThis as unknown as { rw?: Record<string, (r: unknown) => Promise<unknown>> }).rw;
        if (!rw) return { ok: false, error: { code: 'NO_BRIDGE' } };
        return rw['session.status']!({});
      })) as Result;
      expect(result.ok).toBe(false);
      expect(result.error?.code).toBe('SENDER_REFUSED');
    }
    // The host itself is the app's top frame: allowed (the check is origin + top frame, nothing else).
    const top = (await h.page.evaluate(() => (globalThis as unknown as { rw: Record<string, (r: unknown) => Promise<unknown>> }).rw['session.status']!({}))) as Result;
    expect(top.ok).toBe(true);
    const refusals = h.audit.slice(before).filter((e) => e.errorCode === 'SENDER_REFUSED');
    expect(refusals).toHaveLength(2);
    expect(refusals.every((e) => e.outcome === 'denied')).toBe(true);
    await h.page.unrouteAll();
  });

  test('a top frame navigated to another origin gets SENDER_REFUSED', async () => {
    await h.page.goto(`${OTHER_ORIGIN}/top.html`);
    const result = (await h.page.evaluate(() => (globalThis as unknown as { rw: Record<string, (r: unknown) => Promise<unknown>> }).rw['session.status']!({}))) as Result;
    expect(result.error?.code).toBe('SENDER_REFUSED');
    await h.page.goto(HARNESS_ENTRY_URL);
    await h.page.getByRole('heading', { name: 'Notice and consent' }).waitFor();
  });

  test('axe in this harness catches a real violation (an unlabelled field)', async () => {
    await h.page.evaluate(() => {
      const input = document.createElement('input');
      input.id = 'axe-probe';
      document.body.append(input);
    });
    const violations = await h.axe();
    await h.page.evaluate(() => document.getElementById('axe-probe')?.remove());
    expect(violations.map((v) => v.id)).toContain('label');
    expect(await h.axe()).toEqual([]);
  });
});
