/**
 * PostgreSQL for the server tests. Order: RW_TEST_DATABASE_URL (exported by .ci/run); else, when
 * PostgreSQL is installed and we may run it, a throwaway cluster started by scripts/start-test-postgres.sh;
 * else the suite learns why it cannot run and must say so (never a silent skip). Each test gets a database
 * of its own, created here and dropped afterwards, so reruns start clean; a cluster started here is
 * stopped and deleted by releaseTestPostgres() (afterAll) or, failing that, when the process exits.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import pg from 'pg';
import { randomBytes } from '../../src-shared/node/crypto';
import { toHex } from '../../src-shared/encoding';

export type TestPostgres =
  | { available: true; url: string; createDatabase(): Promise<{ url: string; drop(): Promise<void> }> }
  | { available: false; reason: string };

let cached: Promise<TestPostgres> | null = null;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function reachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A cluster this process started: stopped and removed when the suite releases it or the process exits. */
let startedCluster: { dataDir: string; bin: string } | null = null;

function stopStartedCluster(): void {
  if (!startedCluster) return;
  const { dataDir, bin } = startedCluster;
  startedCluster = null;
  spawnSync('runuser', ['-u', 'postgres', '--', `${bin}/pg_ctl`, '-D', dataDir, 'stop', '-m', 'fast'], { timeout: 60_000 });
  rmSync(dataDir, { recursive: true, force: true });
}

/**
 * Call from afterAll in every suite that used testPostgres(): stops the throwaway cluster this process
 * started (none when RW_TEST_DATABASE_URL was given), so test runs leave no server behind.
 */
export async function releaseTestPostgres(): Promise<void> {
  stopStartedCluster();
  cached = null;
}

/** The script prints only the URL; its data folder is the socket directory holding the port's lock file. */
function clusterDataDir(port: string): string | null {
  for (const name of readdirSync('/tmp')) {
    if (name.startsWith('rw-pg-') && existsSync(`/tmp/${name}/.s.PGSQL.${port}.lock`)) return `/tmp/${name}`;
  }
  return null;
}

function startCluster(): { url: string } | { reason: string } {
  const installed = existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
  if (!installed) return { reason: 'RW_TEST_DATABASE_URL is not set and PostgreSQL is not installed (apt-get install postgresql, or run .ci/run)' };
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return { reason: 'RW_TEST_DATABASE_URL is not set and scripts/start-test-postgres.sh needs root to run the cluster as the postgres user' };
  }
  const port = String(56000 + (process.pid % 1000));
  const result = spawnSync('bash', ['scripts/start-test-postgres.sh'], { encoding: 'utf8', env: { ...process.env, RW_TEST_PG_PORT: port }, timeout: 120_000 });
  const url = result.stdout.trim().split('\n').pop() ?? '';
  if (result.status !== 0 || !url.startsWith('postgres://')) return { reason: `scripts/start-test-postgres.sh failed: ${result.stderr.trim().slice(0, 300)}` };
  // The script moves to the next free port when this one is taken: the URL says which it took.
  const dataDir = clusterDataDir(new URL(url).port);
  const bin = readdirSync('/usr/lib/postgresql').sort().map((v) => `/usr/lib/postgresql/${v}/bin`).filter((b) => existsSync(`${b}/pg_ctl`)).pop();
  if (dataDir && bin) {
    startedCluster = { dataDir, bin };
    process.once('exit', stopStartedCluster);
  }
  return { url };
}

async function resolveTestPostgres(): Promise<TestPostgres> {
  let url = process.env.RW_TEST_DATABASE_URL;
  if (!url) {
    const started = startCluster();
    if ('reason' in started) return { available: false, reason: started.reason };
    url = started.url;
  }
  const problem = await reachable(url);
  if (problem) return { available: false, reason: `PostgreSQL at ${url.replace(/\/\/[^@]*@/, '//***@')} is not reachable: ${problem}` };
  const adminUrl = url;
  return {
    available: true,
    url: adminUrl,
    async createDatabase() {
      const name = `rw_t_${toHex(randomBytes(8))}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return {
        url: withDatabase(adminUrl, name),
        async drop() {
          const client = new pg.Client({ connectionString: adminUrl });
          await client.connect();
          try {
            await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          } finally {
            await client.end();
          }
        },
      };
    },
  };
}

export function testPostgres(): Promise<TestPostgres> {
  cached ??= resolveTestPostgres();
  return cached;
}
