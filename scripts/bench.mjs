// `npm run bench -- <name>`: runs bench/<name>.ts (import, audit, server, watermark), or all of them.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const [name, ...rest] = process.argv.slice(2);
const available = readdirSync('bench').filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
const chosen = name ? [name] : available;
for (const bench of chosen) {
  if (!existsSync(`bench/${bench}.ts`)) {
    console.error(`No benchmark "${bench}". Available: ${available.join(', ')}`);
    process.exit(2);
  }
  console.error(`\n=== bench ${bench} ===`);
  const r = spawnSync('npx', ['tsx', `bench/${bench}.ts`, ...rest], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
