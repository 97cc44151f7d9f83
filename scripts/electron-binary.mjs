// Where the Electron binary is, without triggering electron's own download-on-require (which would
// try the network on an offline machine). Returns null when none is installed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function electronBinary() {
  const root = join(process.cwd(), 'node_modules', 'electron');
  const pathFile = join(root, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(root, 'dist');
  const full = join(dist, relative);
  return existsSync(full) ? full : null;
}
