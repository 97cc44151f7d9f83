// Builds rwctl (and the central server it can start) as a plain Node bundle: out/cli/rwctl.js.
import { spawnSync } from 'node:child_process';

const r = spawnSync('npx', ['vite', 'build', '-c', 'vite.cli.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
