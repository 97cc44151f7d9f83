/**
 * Evidence review in Chromium: a case with two Inspect logs of one task (the second misreports its
 * headline accuracy). The evidence screen shows the mismatch in the headline table and in plain words,
 * a flagged (errored) sample's transcript opens and is logged with its id, the two runs compare with
 * flips either way opening side by side; every screen passes axe, screenshots are kept.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { importPackageDetailed } from '../../src-main/artifacts/import-package';
import { signPackage } from '../../src-main/artifacts/sign-package';
import { generateKeyPair, publicKeyOf } from '../../src-shared/node/crypto';
import { evidencePackageFiles } from '../helpers/evidence-case';
import { submissionBytes, writeFiles } from '../helpers/package-fixtures';
import { createVaultThroughUi, openSearch, searchFor } from './flows';
import { startHarness, type Harness } from './harness';

describe('evidence review', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await createVaultThroughUi(h.page);
    const dir = mkdtempSync(join(tmpdir(), 'rw-e2e-evidence-'));
    try {
      const pkg = join(dir, 'evidence');
      writeFiles(pkg, { 'submission.json': submissionBytes({ model: 'Heron-3', version: '3.1.0' }), ...evidencePackageFiles() });
      const key = generateKeyPair('ecdsa-p256');
      await signPackage(pkg, key);
      const vault = h.core.sessions.require();
      await importPackageDetailed({ contentDb: vault.content!, source: pkg, trustedKeys: [publicKeyOf(key)], clock: () => Date.now() });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await h.page.reload();
    await h.page.getByRole('button', { name: /Heron-3 3\.1\.0/ }).click();
    await h.page.getByRole('heading', { name: 'Heron-3 3.1.0', level: 1 }).waitFor();
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  test('the evidence screen lists the logs and shows a headline mismatch in the table and in words', async () => {
    const page = h.page;
    await page.getByRole('button', { name: 'Evidence review' }).click();
    const logs = page.getByRole('navigation', { name: 'Evaluation logs' });
    await logs.getByRole('button', { name: /prime_check-model-b\.eval/ }).waitFor();
    await expect(logs.getByRole('button', { name: /notes\.json/ }).count()).resolves.toBe(0);
    await logs.getByRole('button', { name: /prime_check-model-b\.eval/ }).click();
    await page.locator('table.headline-table').waitFor();
    const row = page.locator('table.headline-table tr', { hasText: 'accuracy' });
    await expect(row.textContent()).resolves.toMatch(/0\.9.*Does not match/);
    await expect(page.getByRole('list', { name: 'Flags' }).textContent()).resolves.toMatch(/Metric mismatch\..*match accuracy: the log reports 0\.9/);
    await expect(logs.getByRole('button', { name: /prime_check-model-b\.eval/ }).textContent()).resolves.toMatch(/Flagged · 1 flag/);
    await h.checkScreen('evidence-mismatch');
  });

  test("a flagged sample's transcript opens from the samples table and is logged with its id", async () => {
    const page = h.page;
    const logs = page.getByRole('navigation', { name: 'Evaluation logs' });
    await logs.getByRole('button', { name: /prime_check-model-a\.eval/ }).click();
    await expect(page.getByRole('list', { name: 'Flags' }).textContent()).resolves.toMatch(/Sample errors\./);
    await page.getByLabel('Show').selectOption('errored');
    await page.getByRole('button', { name: 'Open the transcript of sample 7, epoch 1' }).click();
    const panel = page.getByRole('region', { name: 'Transcript of sample 7, epoch 1' }).or(page.locator('section[aria-label="Transcript of sample 7, epoch 1"]'));
    await panel.getByText('This sample ended in an error: RuntimeError: the sandbox exited').waitFor();
    await expect(panel.getByText(/Tool call calculator/).count()).resolves.toBeGreaterThan(0);
    const leaf = h.audit.filter((a) => a.event === 'evidence.sample.open').at(-1);
    expect(leaf).toMatchObject({ outcome: 'success', detail: { sample: '7', epoch: 1 } });
    await h.checkScreen('evidence-transcript');
  });

  test('sorting the samples table by score reverses on a second click', async () => {
    const page = h.page;
    await page.getByLabel('Show').selectOption('all');
    await page.getByRole('button', { name: /^Score/ }).click();
    await expect(page.getByRole('table', { name: 'Samples' }).getByRole('columnheader', { name: /Score/ }).getAttribute('aria-sort')).resolves.toBe('ascending');
    await page.getByRole('button', { name: /^Score/ }).click();
    await expect(page.getByRole('table', { name: 'Samples' }).getByRole('columnheader', { name: /Score/ }).getAttribute('aria-sort')).resolves.toBe('descending');
  });

  test('two runs compare: difference with paired stderr, flips either way, side-by-side transcripts', async () => {
    const page = h.page;
    await page.getByLabel('Other run', { exact: true }).selectOption({ label: 'evals/prime_check-model-b.eval' });
    const comparison = page.getByRole('table', { name: 'Run comparison' });
    await comparison.waitFor();
    await expect(comparison.textContent()).resolves.toMatch(/23/);
    const flips = page.locator('.flip-list button');
    await expect(flips.count()).resolves.toBe(3);
    await flips.first().click();
    const sideBySide = page.locator('section.side-by-side');
    await sideBySide.waitFor();
    await expect(sideBySide.locator('.transcript-panel').count()).resolves.toBe(2);
    await sideBySide.getByRole('heading', { name: /^A: example\/model-a/ }).waitFor();
    await sideBySide.getByRole('heading', { name: /^B: example\/model-b/ }).waitFor();
    expect(h.audit.filter((a) => a.event === 'evidence.compare').at(-1)).toMatchObject({ outcome: 'success' });
    await h.checkScreen('evidence-compare');
  });

  test('Enter on a log hit in search opens the evidence review at that sample, its transcript showing', async () => {
    const page = h.page;
    const { dialog } = await openSearch(page);
    // Sample 7's question (7 × 7 + 3 = 52) is in both runs: the first run's hit is opened.
    await searchFor(dialog, '"is the number 52 prime" kind:log', '2 hits in 2 places across 1 case for “"is the number 52 prime" kind:log”.');
    const hit = dialog.getByRole('button', { name: /prime_check-model-a\.eval, sample 7, epoch 1 user: / });
    await hit.waitFor();
    await h.checkScreen('search-log-hits');
    await hit.focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('region', { name: /Evidence: .*prime_check-model-a\.eval/ }).waitFor();
    const panel = page.locator('section[aria-label="Transcript of sample 7, epoch 1"]');
    await panel.getByText(/Tool call calculator/).first().waitFor({ timeout: 30_000 });
    expect(h.audit.filter((a) => a.event === 'evidence.sample.open').at(-1)).toMatchObject({ outcome: 'success', detail: { sample: '7', epoch: 1 } });
    await h.checkScreen('search-opened-log-sample');
  });
});

