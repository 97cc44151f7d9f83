/**
 * rwctl as a real child process runs the built bundle, as `bin/rwctl.js` does for an operator: plain
 * node on one file starts in a fraction of a second, where the tsx loader compiled the whole source
 * graph again in every child (tens of seconds a spawn on a loaded two-core machine). The bundle is
 * built once per vitest run by `buildRwctlForTests` (vitest.config.ts globalSetup), or on first use
 * by anything else that spawns rwctl this way (the server bench), from the sources under test, into
 * its own folder so it never stands in for `npm run build`'s output.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TEST_BUNDLE_DIR = 'out/test-cli';
const BUNDLE = resolve(REPO_ROOT, TEST_BUNDLE_DIR, 'rwctl.js');
// Set by the build and inherited by vitest's workers, so each run builds once.
const BUILT_THIS_RUN = 'RW_TEST_RWCTL_BUILT';

/** Arguments for `spawn(process.execPath, rwctlArgs([...]))`. */
export function rwctlArgs(args: string[]): string[] {
  if (process.env[BUILT_THIS_RUN] !== BUNDLE) buildRwctlForTests();
  return [BUNDLE, ...args];
}

/** vitest globalSetup: bundles src-cli/entry.ts with the project's CLI build config. */
export function buildRwctlForTests(): void {
  const vite = resolve(REPO_ROOT, 'node_modules/vite/bin/vite.js');
  const built = spawnSync(process.execPath, [vite, 'build', '-c', 'vite.cli.config.ts', '--outDir', TEST_BUNDLE_DIR, '--logLevel', 'warn'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`building rwctl for the child-process tests failed:\n${built.stdout}${built.stderr}`);
  process.env[BUILT_THIS_RUN] = BUNDLE;
}
