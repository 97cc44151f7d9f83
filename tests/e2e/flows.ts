/** Steps several e2e suites share, driven through the UI exactly as a reviewer would. */
import type { Locator, Page } from 'playwright-core';

export const REVIEWER = 'avery.reviewer';
export const PASSPHRASE = 'correct horse battery staple 42';

export async function createVaultThroughUi(page: Page, user = REVIEWER, passphrase = PASSPHRASE): Promise<void> {
  await page.getByRole('heading', { name: 'Create the vault' }).waitFor();
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Repeat the passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await page.getByRole('heading', { name: 'Submissions' }).waitFor({ timeout: 60_000 });
}

export async function unlockThroughUi(page: Page, user = REVIEWER, passphrase = PASSPHRASE): Promise<void> {
  await page.getByRole('heading', { name: 'Unlock' }).waitFor();
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('heading', { name: 'Submissions' }).waitFor({ timeout: 60_000 });
}

/** Opens an artifact from the workspace list by its path. */
export async function openArtifact(page: Page, path: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Artifacts' }).getByRole('button', { name: new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).click();
  await page.getByRole('heading', { name: path, level: 2 }).waitFor();
}

/** Chooses a theme on the Settings screen (where it lives once signed in), then returns to the first screen. */
export async function chooseTheme(page: Page, choice: 'system' | 'light' | 'dark'): Promise<void> {
  const screens = page.getByRole('navigation', { name: 'Screens' });
  await screens.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  await page.getByLabel('Theme').selectOption(choice);
  await screens.getByRole('button').first().click();
}

/** Opens the search screen with Ctrl+K, from wherever focus is. */
export async function openSearch(page: Page): Promise<{ dialog: Locator; box: Locator }> {
  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: 'Search' });
  await dialog.waitFor();
  return { dialog, box: dialog.getByRole('searchbox') };
}

/** Types a query into the open search screen, presses Enter and waits until its status line says `status`. */
export async function searchFor(dialog: Locator, query: string, status: string | RegExp): Promise<void> {
  const box = dialog.getByRole('searchbox');
  await box.fill(query);
  await box.press('Enter');
  await dialog.getByRole('status').filter({ hasText: status }).waitFor();
}
