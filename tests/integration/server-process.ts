/**
 * Runs the real server as a child process on loopback, as an operator would (`rwctl server start
 * --listen 127.0.0.1:0`), and reads the bound port from its stdout. The child is node on the rwctl bundle
 * (tests/helpers/rwctl-child.ts), so SIGKILL hits the server itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { REPO_ROOT as ROOT, rwctlArgs } from '../helpers/rwctl-child';

export { rwctlArgs };

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit: no shutdown code runs. */
  kill(): Promise<void>;
}


/** `nodeArgs` go before the bundle (the server bench passes `--cpu-prof` this way to profile the server). */
export async function startServerProcess(dataDir: string, database?: string, extraArgs: string[] = [], nodeArgs: string[] = []): Promise<ServerProcess> {
  const args = [...nodeArgs, ...rwctlArgs(['server', 'start', '--data', dataDir, '--listen', '127.0.0.1:0', ...(database ? ['--database', database] : []), ...extraArgs])];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let scheme = 'http';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const port = await new Promise<number>((done, fail) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /listening on (https?):\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (match) {
        scheme = match[1]!;
        done(Number(match[2]));
      }
    });
    child.once('exit', (code) => fail(new Error(`server exited (${code}) before listening:\n${out}`)));
  });
  const stopWith = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { url: `${scheme}://127.0.0.1:${port}`, port, child, output: () => out, stop: () => stopWith('SIGTERM'), kill: () => stopWith('SIGKILL') };
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** A plain node:http request (fetch hides some refusals behind its own errors, e.g. on early 413s). */
export function request(url: string, method: string, body?: Uint8Array | string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return new Promise((done, fail) => {
    const data = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
    const req = http.request(url, { method, agent, headers: { ...(data ? { 'Content-Length': String(data.byteLength), 'Content-Type': 'application/json' } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', fail);
    });
    req.on('error', fail);
    if (data) req.write(data);
    req.end();
  });
}
