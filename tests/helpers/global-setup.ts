import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRwctlForTests } from './rwctl-child';

/**
 * vitest runs this once per run, before any test file, and the function it returns after the last. The
 * run's temp folders all go in one folder (TMPDIR, inherited by every test worker), removed at the end:
 * a fixture a test does not remove itself (hundreds of vaults and packages a run) is not left in /tmp.
 */
export function setup(): () => void {
  buildRwctlForTests();
  const runTmp = mkdtempSync(join(tmpdir(), 'rw-test-run-'));
  process.env['TMPDIR'] = runTmp;
  return () => rmSync(runTmp, { recursive: true, force: true });
}
