/** An rwctl `CliIo` for in-process runs: captures stdout and stderr, no stdin, a fixed clock. */
import { Readable } from 'node:stream';
import type { CliIo } from '../../src-cli/command';

export function captureIo(cwd: string, options: { env?: Record<string, string>; clock?: () => number } = {}) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    env: options.env ?? {},
    stdin: Readable.from([]),
    cwd,
    clock: options.clock ?? (() => 0),
  };
  return { io, out };
}
