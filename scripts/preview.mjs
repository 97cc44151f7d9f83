#!/usr/bin/env node
/**
 * npm run preview — the browser preview of Reviewer Workstation (development only; never packaged).
 * Loads the TypeScript sources through tsx and hands over to src-preview/preview-app.ts, which runs the
 * same app core and the same built renderer in the system Chromium with no network listener.
 *
 *   node scripts/preview.mjs [--no-build] [--screenshot <file.png>] [--exit-after-screenshot]
 *   --no-build             use out/renderer as it is (npm start has just built it)
 *   RW_DATA_DIR=<folder>   vault folder (default ~/.reviewer-workstation-preview)
 *   CHROMIUM_PATH=<path>   Chromium binary (default /usr/bin/chromium)
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import process from 'node:process';

function onPath(name) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, name)));
}

const args = process.argv.slice(2);
let screenshot = null;
let exitAfterShot = false;
let build = true;
for (let i = 0; i < args.length; i += 1) {
  const arg = args[i];
  if (arg === '--screenshot' && args[i + 1]) screenshot = args[++i];
  else if (arg === '--exit-after-screenshot') exitAfterShot = true;
  else if (arg === '--no-build') build = false;
  else if (arg === '--help' || arg === '-h') {
    console.log('usage: node scripts/preview.mjs [--no-build] [--screenshot <file.png>] [--exit-after-screenshot]');
    process.exit(0);
  } else {
    console.error(`preview: unknown argument ${arg}`);
    process.exit(2);
  }
}

if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  const hint = onPath('xvfb-run')
    ? 'xvfb-run is installed: run `xvfb-run -a npm run preview` (or start `Xvfb :99 &` and set DISPLAY=:99).'
    : 'Install a virtual display (apt-get install -y xvfb) and run `xvfb-run -a npm run preview`.';
  console.error(`preview: no DISPLAY, so Chromium cannot open a window. ${hint}`);
  process.exit(1);
}

const { register } = await import('tsx/esm/api');
register();
const { runPreview, previewDataDir } = await import('../src-preview/preview-app.ts');
const log = (line) => console.log(`[preview] ${line}`);
try {
  await runPreview({ dataDir: previewDataDir(), screenshot, exitAfterShot, build, log });
} catch (error) {
  console.error(`preview: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
