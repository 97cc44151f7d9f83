/** Steps several e2e suites share, driven through the UI exactly as a reviewer would. */
import type { Page } from 'playwright-core';

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
