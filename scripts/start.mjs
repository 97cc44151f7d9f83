// `npm start`: build, then run the real Electron app; where no Electron binary exists (offline
// machines, CI) say so in one line and open the browser preview instead.
import { spawnSync } from 'node:child_process';
import { electronBinary } from './electron-binary.mjs';

const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const binary = electronBinary();
if (binary) {
  const app = spawnSync(binary, ['.'], { stdio: 'inherit' });
  process.exit(app.status ?? 0);
}
console.log('No Electron binary is installed here (it is fetched on first start where a network exists); starting the browser preview instead.');
const preview = spawnSync('node', ['scripts/preview.mjs', '--no-build'], { stdio: 'inherit' });
process.exit(preview.status ?? 0);
