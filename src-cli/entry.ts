/** Composition root of rwctl: binds the runner to the real process. */
import { runCli } from './main';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stdin: process.stdin,
  cwd: process.cwd(),
  clock: () => Date.now(),
});
process.exitCode = code;
