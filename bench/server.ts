/**
 * `npx tsx bench/server.ts [--count N] [--in-flight N] [--keys N] [--warm-up N] [--json]` (or `npm run bench -- server`): attestations/s
 * accepted by a real server process over loopback HTTP, SQLite and (when RW_TEST_DATABASE_URL or
 * RW_BENCH_DATABASE_URL names a reachable PostgreSQL) PostgreSQL, next to raw Ed25519 verifications/s
 * measured in the same run, and their ratio. Each accepted attestation costs at least one verification,
 * so the ratio says how much of the ceiling the server's parsing, HTTP and durable commits leave.
 * RW_BENCH_SERVER_NODE_ARGS (space-separated, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) is passed to the
 * server processes' node, to profile the server under this load.
 *
 * What is measured is the server, not the load generator: the server is a child process of its own (its
 * main thread, its signature workers and its SQLite writer thread are never this process's), and the load
 * generator is this process's main thread alone, which only writes pre-built requests and reads answers.
 * Both still share the machine's cores, so the generator's CPU per attestation is printed beside the
 * server's (and the server's busiest threads by name) to show how much of the machine the client took.
 *
 * The load is many workstations at once: --keys enrolled reviewer keys (default 200), each sending its
 * attestations in sequence order (1, 2, 3, …: each a distinct, signed envelope), over --in-flight
 * keep-alive connections (default 128), each serving a fixed share of the keys one request at a time.
 * Every request is real HTTP/1.1 to the real server process; the bodies are signed and serialised before
 * the timing starts. Until this setting the bench used 32 connections for 50 keys, which left the server's
 * threads waking for a few requests at a time: at 128 each wake-up, message and system call serves more of
 * them, and the same server code used about 0.9 ms of CPU per attestation instead of 1.3 (ARCHITECTURE:
 * central server). The server under test allows that many connections from one address (its own
 * server.json; the default is 64 per address).
 * --warm-up rounds (default 3 per key, untimed) go first, so module loading, statement preparation and
 * V8's optimising compiler are behind the timed part, which measures the steady state.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { initDataDir } from '../src-server/server-config';
import { openServerStore } from '../src-server/open-store';
import { enrollKeys } from '../src-server/enrollment';
import { ed25519PublicFromSeed, ed25519Sign, ed25519Verifier, ed25519Verify, randomBytes } from '../src-shared/node/crypto';
import { toHex, utf8 } from '../src-shared/encoding';
import { enrollmentRequest, reviewAttestation, testWorkstation } from '../tests/integration/server-fixtures';
import { startServerProcess } from '../tests/integration/server-process';
import { numberOption, printJsonResult } from './bench-result';

function option(name: string, fallback: number): number {
  const value = numberOption(name, fallback);
  if (!Number.isSafeInteger(value)) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const COUNT = option('count', 4000);
const IN_FLIGHT = option('in-flight', 128);
// At least one key per connection: a key's attestations go one at a time, in sequence order.
const KEYS = Math.ceil(Math.max(IN_FLIGHT, option('keys', 200)) / 10) * 10;
const WARM_UP = option('warm-up', 3);

/**
 * The raw figure the ratios use: ed25519Verify, which imports the public key on every call (as the
 * figure has been measured since the bench exists). `prepared` verifies with the key imported once, as
 * the server's workers do: about twice as fast, printed for reference only.
 */
function ed25519VerificationsPerSecond(prepared = false): number {
  const seed = randomBytes(32);
  const message = utf8('DSSEv1 28 application/vnd.in-toto+json 900 ' + 'x'.repeat(900));
  const signature = ed25519Sign(seed, message);
  const pub = ed25519PublicFromSeed(seed);
  const check = prepared ? ed25519Verifier(pub) : (m: Uint8Array, s: Uint8Array) => ed25519Verify(pub, m, s);
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 1500) {
    for (let i = 0; i < 100; i++) if (!check(message, signature)) throw new Error('verify failed');
    n += 100;
  }
  return n / ((performance.now() - start) / 1000);
}

/**
 * The load generator's connection: one keep-alive socket, each request's bytes built before the timing
 * starts and answered before the next is sent. node:http's client cost the generator about a third of a
 * millisecond of CPU per request, on the same two cores as the server it measures; this costs a fraction.
 * It reads what the server sends: a status line, headers with Content-Length, and that many bytes; the
 * body is decoded only for an answer other than 201 (to say what went wrong), so an accepted attestation
 * costs the generator no text decoding.
 */
interface LoadConnection {
  post(request: Buffer): Promise<{ status: number; body: string | null }>;
  close(): void;
}

function requestBytes(url: URL, path: string, body: Uint8Array): Buffer {
  const head = `POST ${path} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: ${body.byteLength}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

async function loadConnection(url: URL): Promise<LoadConnection> {
  const socket: Socket = connect(Number(url.port), url.hostname);
  socket.setNoDelay(true);
  await new Promise<void>((done, fail) => socket.once('connect', done).once('error', fail));
  let pending: { resolve(answer: { status: number; body: string | null }): void; reject(error: Error): void } | null = null;
  let buffered: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.byteLength === 0 ? chunk : Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf('\r\n\r\n');
    if (end < 0 || !pending) return;
    const head = buffered.subarray(0, end).toString('latin1');
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? NaN);
    if (!Number.isSafeInteger(length)) return pending.reject(new Error(`no Content-Length in ${head}`));
    if (buffered.byteLength < end + 4 + length) return;
    const status = Number(head.slice(9, 12));
    const body = status === 201 ? null : buffered.subarray(end + 4, end + 4 + length).toString('utf8');
    buffered = buffered.byteLength === end + 4 + length ? Buffer.alloc(0) : buffered.subarray(end + 4 + length);
    const answer = pending;
    pending = null;
    answer.resolve({ status, body });
  });
  socket.on('error', (error) => pending?.reject(error));
  return {
    post(request) {
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        socket.write(request);
      });
    },
    close: () => socket.destroy(),
  };
}

/** CPU seconds (user + system, every thread) a process has used so far, from /proc (null where there is none). */
function processCpuSeconds(pid: number): number | null {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** CPU seconds per thread of a process: the main thread, then every other by name and id (workers, V8's and libuv's helpers). */
function threadCpuSeconds(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid === String(pid) ? 'main' : `${name}#${tid}`, (Number(fields[11]) + Number(fields[12])) / 100);
    }
  } catch {
    // No /proc here: the per-thread figures are left out.
  }
  return out;
}

async function run(label: string, database: string | undefined): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'rw-bench-server-'));
  const data = join(dir, 'data');
  // Every connection comes from this one address, standing for as many workstations.
  initDataDir(data, { name: 'bench.test/attestations', limits: { ratePerMinute: 10_000_000, rateBurst: 10_000_000, maxConnectionsPerAddress: IN_FLIGHT + 16 } });
  const stations = Array.from({ length: KEYS / 10 }, () => testWorkstation(10));
  const setup = await openServerStore(data, database);
  for (const ws of stations) await enrollKeys(setup, enrollmentRequest(ws), 1);
  await setup.close();
  const keys = stations.flatMap((ws) => ws.reviewers.map((r) => r.key));
  const perKey = Math.ceil(COUNT / KEYS);
  const server = await startServerProcess(data, database, [], (process.env.RW_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean));
  try {
    const url = new URL(server.url);
    // Each key's requests in sequence order, serialised now: the warm-up rounds, then the timed ones.
    const queues = keys.map((key) => Array.from({ length: WARM_UP + perKey }, (_, i) => requestBytes(url, '/v1/attestations', reviewAttestation(key, i + 1, `${key.keyId}-${i}`))));
    const connections = await Promise.all(Array.from({ length: IN_FLIGHT }, () => loadConnection(url)));
    // Connection c serves keys c, c + IN_FLIGHT, …, round by round: no key is ever in flight twice.
    const send = async (rounds: number) => {
      await Promise.all(
        connections.map(async (connection, c) => {
          for (let round = 0; round < rounds; round++) {
            for (let k = c; k < queues.length; k += IN_FLIGHT) {
              const answer = await connection.post(queues[k]!.shift()!);
              if (answer.status !== 201) throw new Error(`unexpected ${answer.status}: ${answer.body}`);
            }
          }
        }),
      );
    };
    await send(WARM_UP);
    const total = KEYS * perKey;
    const serverCpuBefore = processCpuSeconds(server.child.pid!);
    const threadsBefore = threadCpuSeconds(server.child.pid!);
    const clientCpuBefore = process.cpuUsage();
    const start = performance.now();
    await send(perKey);
    for (const connection of connections) connection.close();
    const perSecond = total / ((performance.now() - start) / 1000);
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const serverCpuAfter = processCpuSeconds(server.child.pid!);
    const threadsAfter = threadCpuSeconds(server.child.pid!);
    console.log(`  ${label.padEnd(10)} ${perSecond.toFixed(0).padStart(7)} attestations/s accepted (${total} over loopback HTTP, ${IN_FLIGHT} in flight, ${KEYS} keys, durable commits)`);
    // Both processes share the machine's cores: what each spends per attestation says where the time goes.
    const perAttestationMs = (cpuSeconds: number) => ((cpuSeconds * 1000) / total).toFixed(2);
    const serverCpu = serverCpuBefore === null || serverCpuAfter === null ? 'n/a' : perAttestationMs(serverCpuAfter - serverCpuBefore);
    console.log(`             CPU per attestation: server ${serverCpu} ms (all threads), load generator ${perAttestationMs((clientCpu.user + clientCpu.system) / 1e6)} ms`);
    const threads = [...threadsAfter]
      .map(([name, after]) => [name, after - (threadsBefore.get(name) ?? 0)] as const)
      .filter(([, used]) => used > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([name, used]) => `${name} ${perAttestationMs(used)}`);
    if (threads.length > 0) {
      console.log(`             busiest server threads (ms per attestation): ${threads.slice(0, 5).join(', ')}`);
      console.log(`             server threads that ran: ${threads.length} (main, signature workers, the SQLite writer, V8's and libuv's helpers)`);
    }
    return perSecond;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresDatabase(): Promise<{ url: string; drop(): Promise<void> } | string> {
  const base = process.env.RW_BENCH_DATABASE_URL ?? process.env.RW_TEST_DATABASE_URL;
  if (!base) return 'set RW_TEST_DATABASE_URL (scripts/start-test-postgres.sh prints one) to include PostgreSQL';
  const name = `rw_bench_${toHex(randomBytes(6))}`;
  const admin = new pg.Client({ connectionString: base });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    return `PostgreSQL not reachable (${error instanceof Error ? error.message : 'error'})`;
  } finally {
    await admin.end().catch(() => undefined);
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

console.log(`Central server throughput (${COUNT} attestations; ${availableParallelism()} cores shared by the server process and this load generator)`);
const verifies = ed25519VerificationsPerSecond();
console.log(`  raw Ed25519 ${verifies.toFixed(0).padStart(7)} verifications/s (node:crypto, one core, same run)`);
const sqlite = await run('SQLite', undefined);
console.log(`  ratio SQLite/raw verify: ${(sqlite / verifies).toFixed(3)}`);
const pgDb = await postgresDatabase();
let postgres: number | null = null;
if (typeof pgDb === 'string') console.log(`  PostgreSQL skipped: ${pgDb}`);
else {
  try {
    postgres = await run('PostgreSQL', pgDb.url);
    console.log(`  ratio PostgreSQL/raw verify: ${(postgres / verifies).toFixed(3)}`);
  } finally {
    await pgDb.drop();
  }
}
const verifiesAfter = ed25519VerificationsPerSecond();
console.log(`  raw Ed25519 ${verifiesAfter.toFixed(0).padStart(7)} verifications/s (measured again after; the machine's load varies)`);
console.log(`  raw Ed25519 ${ed25519VerificationsPerSecond(true).toFixed(0).padStart(7)} verifications/s with the key imported once (reference only; the ratios use the figures above)`);
// The ratios in the JSON line are against the mean of the two raw measurements around the runs.
const rawMean = (verifies + verifiesAfter) / 2;
printJsonResult('server', {
  raw_verify_per_s: rawMean,
  sqlite_per_s: sqlite,
  sqlite_ratio: sqlite / rawMean,
  postgres_per_s: postgres,
  postgres_ratio: postgres === null ? null : postgres / rawMean,
});
