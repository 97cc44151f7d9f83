#!/usr/bin/env node
// rwctl runs the built CLI bundle; `npm run build` writes it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../out/cli/rwctl.js', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('rwctl: not built yet. Run "npm run build" first.\n');
  process.exit(4);
}
await import(bundle);
