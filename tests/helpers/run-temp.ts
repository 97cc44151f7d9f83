import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A vitest global setup: the run's temp folders all go in one folder (TMPDIR, inherited by every test
 * worker and the processes they start), removed after the last test file. A fixture a test does not
 * remove itself (hundreds of vaults and packages a run) is then not left behind in /tmp.
 */
export function setup(): () => void {
  const runTmp = mkdtempSync(join(tmpdir(), 'rw-test-run-'));
  process.env['TMPDIR'] = runTmp;
  return () => rmSync(runTmp, { recursive: true, force: true });
}
