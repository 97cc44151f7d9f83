// `npm run typecheck`: one tsc run per layer (docs/ARCHITECTURE.md, "Layers"), each with only the types
// its runtime has: Node layers without the DOM, the renderer and overlay without Node, tests with both.
import { spawnSync } from 'node:child_process';

export const LAYER_CONFIGS = ['tsconfig.json', 'src-renderer/tsconfig.json', 'src-preload/tsconfig.json', 'tests/tsconfig.json'];

let failed = 0;
for (const config of LAYER_CONFIGS) {
  const run = spawnSync('npx', ['tsc', '-p', config, '--noEmit', '--pretty', 'false'], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed += 1;
    console.log(`typecheck: ${config} failed`);
  }
}
console.log(`typecheck: ${LAYER_CONFIGS.length - failed}/${LAYER_CONFIGS.length} layers clean`);
process.exit(failed === 0 ? 0 : 1);
