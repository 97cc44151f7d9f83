/** The project's TypeScript sources (every program folder), as paths relative to the repository root. */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const SOURCE_DIRS = ['src-main', 'src-preload', 'src-renderer', 'src-overlay', 'src-shared', 'src-server', 'src-cli', 'src-preview'];

function sourceFiles(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out = out.concat(sourceFiles(full));
    else if (/\.(ts|tsx|mts|cts)$/.test(name)) out.push(full);
  }
  return out;
}

export function listSourceFiles(root: string): string[] {
  return SOURCE_DIRS.flatMap((d) => sourceFiles(join(root, d))).map((f) => relative(root, f));
}
