/**
 * Where rwctl takes a passphrase from, in order: an environment variable (automation), a file
 * (--passphrase-file, first line), or a no-echo prompt on a TTY. Never from argv: argv is visible
 * to every local user through /proc.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RwError } from '../src-shared/errors';
import type { CliIo, ParsedArgs } from './command';

const MAX_STDIN_PASSPHRASE_BYTES = 4096;

/** The first line of standard input, read once: later asks in the same run get the same line. */
const stdinLines = new WeakMap<object, Promise<string>>();

async function firstStdinLine(io: CliIo): Promise<string> {
  let bytes = Buffer.alloc(0);
  for await (const chunk of io.stdin as AsyncIterable<Buffer | string>) {
    bytes = Buffer.concat([bytes, typeof chunk === 'string' ? Buffer.from(chunk) : chunk]);
    if (bytes.includes(0x0a) || bytes.length > MAX_STDIN_PASSPHRASE_BYTES) break;
  }
  const line = bytes.toString('utf8').split(/\r?\n/)[0] ?? '';
  if (line === '') throw new RwError('INVALID_INPUT', 'No passphrase on standard input.');
  if (Buffer.byteLength(line) > MAX_STDIN_PASSPHRASE_BYTES) throw new RwError('INVALID_INPUT', 'The passphrase on standard input is too long.');
  return line;
}

export async function readPassphrase(args: ParsedArgs, io: CliIo, envName = 'RW_PASSPHRASE', prompt = 'Passphrase: '): Promise<string> {
  // Asked for explicitly on this command line, so it wins over an ambient RW_PASSPHRASE.
  if (envName === 'RW_PASSPHRASE' && args.booleans['passphrase-stdin']) {
    let pending = stdinLines.get(io.stdin);
    if (!pending) {
      pending = firstStdinLine(io);
      stdinLines.set(io.stdin, pending);
    }
    return pending;
  }
  const fromEnv = io.env[envName];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const file = envName === 'RW_PASSPHRASE' ? args.strings['passphrase-file'] : undefined;
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(resolve(io.cwd, file), 'utf8');
    } catch {
      throw new RwError('INVALID_INPUT', 'The passphrase file cannot be read.');
    }
    const line = text.split(/\r?\n/)[0] ?? '';
    if (line === '') throw new RwError('INVALID_INPUT', 'The passphrase file is empty.');
    return line;
  }
  if (io.stdin.isTTY && io.stdin.setRawMode) return promptHidden(io, prompt);
  throw new RwError('USAGE', `No passphrase: set ${envName}${envName === 'RW_PASSPHRASE' ? ', pass --passphrase-file' : ''} or run on a terminal.`);
}

function promptHidden(io: CliIo, prompt: string): Promise<string> {
  const stdin = io.stdin;
  io.stderr(prompt);
  return new Promise((resolvePromise, reject) => {
    let value = '';
    stdin.setRawMode?.(true);
    stdin.resume();
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish(() => resolvePromise(value));
        if (char === '\u0003') return finish(() => reject(new RwError('USAGE', 'Cancelled.')));
        if (char === '\u007f') value = value.slice(0, -1);
        else value += char;
      }
    };
    const finish = (settle: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stderr('\n');
      settle();
    };
    stdin.on('data', onData);
  });
}
