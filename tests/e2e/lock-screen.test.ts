import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from './harness';

describe('lock screen (first run)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  test('shows the consent banner from session.status and the create-vault form', async () => {
    const status = await h.core.router.handle('session.status', {}, { url: 'https://rw.invalid/index.html', isTopFrame: true });
    expect(status.ok).toBe(true);
    const banner = status.ok ? (status.value as { consentBanner: string }).consentBanner : '';
    await h.page.getByRole('heading', { name: 'Notice and consent' }).waitFor();
    // The banner is the policy's text, shown whole and visible (an empty banner would match any page).
    expect(banner.trim().length).toBeGreaterThan(20);
    expect(await h.page.getByText(banner).isVisible()).toBe(true);
    expect(await h.page.getByText(banner).count()).toBe(1);
    expect(await h.page.getByRole('heading', { name: 'Create the vault' }).count()).toBe(1);
    await h.checkScreen('01-lock-first-run');
  });

  test('says plainly that this is the browser preview', async () => {
    const text = await h.page.getByRole('note', { name: 'Browser preview notice' }).innerText();
    expect(text).toContain('Electron-only controls (content protection, the watermark overlay window) are not in force.');
  });

  test('no CSP violation and no request left the app origin', async () => {
    // Stands alone: waits for the lock screen itself rather than relying on the tests above.
    await h.page.getByRole('heading', { name: 'Create the vault' }).waitFor();
    expect(h.requests.length).toBeGreaterThan(0);
    expect(await h.cspViolations()).toEqual([]);
    expect(h.offOriginRequests()).toEqual([]);
    expect(h.pageErrors).toEqual([]);
  });
});
