/**
 * rwctl as a real child process: node with the tsx loader on the CLI entry (what `npx tsx` runs, minus
 * npx's own wrapper processes, which cost seconds a spawn on a loaded machine and stand between a
 * signal and the CLI).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = resolve(REPO_ROOT, 'src-cli/entry.ts');

/** Arguments for `spawn(process.execPath, rwctlArgs([...]))`. */
export function rwctlArgs(args: string[]): string[] {
  return ['--import', 'tsx', ENTRY, ...args];
}
