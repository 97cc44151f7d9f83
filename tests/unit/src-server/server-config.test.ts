import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initDataDir, loadServerConfig, SERVER_FILES } from '../../../src-server/server-config';

function freshDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'rw-server-config-')), 'data');
}

describe('server data folder', () => {
  it('creates owner-only key and config files; the admin token is not in any of them', () => {
    const dir = freshDir();
    const { adminToken, config } = initDataDir(dir, { name: 'config.test/log' });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of [SERVER_FILES.config, SERVER_FILES.serverKey, SERVER_FILES.policyKey, SERVER_FILES.policy]) {
      expect(statSync(join(dir, file)).mode & 0o777, file).toBe(0o600);
      expect(readFileSync(join(dir, file)).toString('latin1')).not.toContain(adminToken);
    }
    const loaded = loadServerConfig(dir);
    expect(loaded.config).toEqual(config);
    expect(loaded.serverSeed.byteLength).toBe(32);
  });

  it('refuses to initialise over an existing server', () => {
    const dir = freshDir();
    initDataDir(dir);
    expect(() => initDataDir(dir)).toThrow(/already holds a server/);
  });

  it('refuses names that are not note key names', () => {
    expect(() => initDataDir(freshDir(), { name: 'has space' })).toThrow(/note key name/);
    expect(() => initDataDir(freshDir(), { name: 'a+b' })).toThrow(/note key name/);
  });

  it.each([
    ['a key file others can read', (dir: string) => chmodSync(join(dir, SERVER_FILES.serverKey), 0o644), /readable by other users/],
    ['a server key that does not match server.json', (dir: string) => writeFileSync(join(dir, SERVER_FILES.serverKey), new Uint8Array(32), { mode: 0o600 }), /does not match/],
    ['a truncated key', (dir: string) => writeFileSync(join(dir, SERVER_FILES.policyKey), new Uint8Array(31), { mode: 0o600 }), /damaged/],
    [
      'an unknown member in server.json',
      (dir: string) => {
        const path = join(dir, SERVER_FILES.config);
        writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), adminToken: 'x' }), { mode: 0o600 });
      },
      /invalid/,
    ],
    [
      'duplicate keys in server.json',
      (dir: string) => {
        const path = join(dir, SERVER_FILES.config);
        writeFileSync(path, readFileSync(path, 'utf8').replace('{', '{"version": 2,'), { mode: 0o600 });
      },
      /not valid JSON/,
    ],
    ['a policy outside its schema', (dir: string) => writeFileSync(join(dir, SERVER_FILES.policy), '{"version": 1}', { mode: 0o600 }), /policy/],
  ])('refuses to load with %s', (_name, damage, message) => {
    const dir = freshDir();
    initDataDir(dir);
    damage(dir);
    expect(() => loadServerConfig(dir)).toThrow(message);
  });

  it('holds the slow-client limits in server.json: header and request timeouts at most 10 s and 15 s, connection caps; old files get the defaults', () => {
    const dir = freshDir();
    const { config } = initDataDir(dir, { name: 'config.test/log' });
    expect(config.limits).toMatchObject({ headersTimeoutMs: 10_000, requestTimeoutMs: 15_000, maxConnections: 1024, maxConnectionsPerAddress: 64 });
    const path = join(dir, SERVER_FILES.config);
    const original = JSON.parse(readFileSync(path, 'utf8')) as { limits: Record<string, number> };
    for (const [name, value] of [['headersTimeoutMs', 10_001], ['requestTimeoutMs', 15_001], ['maxConnections', 0], ['maxConnectionsPerAddress', 0]] as const) {
      writeFileSync(path, JSON.stringify({ ...original, limits: { ...original.limits, [name]: value } }));
      expect(() => loadServerConfig(dir), name).toThrow(/limits/);
    }
    writeFileSync(path, JSON.stringify({ ...original, limits: { ...original.limits, headersTimeoutMs: 9000, requestTimeoutMs: 5000 } }));
    expect(() => loadServerConfig(dir)).toThrow(/headersTimeoutMs must not exceed requestTimeoutMs/);
    const { headersTimeoutMs: _h, requestTimeoutMs: _r, maxConnections: _m, maxConnectionsPerAddress: _a, maxCheckpointGrowth: _g, ...older } = original.limits;
    writeFileSync(path, JSON.stringify({ ...original, limits: older }));
    expect(loadServerConfig(dir).config.limits.requestTimeoutMs).toBe(15_000);
  });
});
