/**
 * Audit bundles (issue 4 §6) and the read-only CLI listing: export from a real vault, verify on "another
 * machine" with only the device public key, refuse every altered bundle, open one for the console.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEd25519, ed25519PublicKey, publicKeyToPem, randomBytes } from '../../src-shared/node/crypto';
import { openAccessLog } from '../../src-main/audit/access-log';
import { openAuditBundle } from '../../src-main/audit/audit-bundle';
import { createAuditCommands } from '../../src-cli/audit-commands';
import type { CliIo } from '../../src-cli/command';
import { runCli } from '../../src-cli/main';
import type { KdfParams } from '../../src-main/vault/kdf';
import { initVault, unlockVault } from '../../src-main/vault/vault';

const PASS = 'correct horse battery staple';
const kdf: KdfParams = { algorithm: 'argon2id', version: 19, memoryKiB: 64 * 1024, iterations: 1, parallelism: 1 };
let root: string;
let vaultDir: string;
let bundleFile: string;
let keyFile: string;
const start = Date.UTC(2026, 10, 24, 9, 0, 0);

async function rwctl(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    env: { RW_PASSPHRASE: PASS },
    stdin: Readable.from([]) as CliIo['stdin'],
    cwd: root,
    clock: () => Date.now(),
  };
  return { code: await runCli(argv, io, createAuditCommands()), out, err };
}

function writeVariant(name: string, mutate: (bundle: { leaves: string[]; checkpoints: { note: string }[] }) => void): string {
  const bundle = JSON.parse(fs.readFileSync(bundleFile, 'utf8')) as { leaves: string[]; checkpoints: { note: string }[] };
  mutate(bundle);
  const file = path.join(root, name);
  fs.writeFileSync(file, JSON.stringify(bundle));
  return file;
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-bundle-'));
  vaultDir = path.join(root, 'vault');
  await initVault(vaultDir, 'alice', PASS, { clock: () => start, random: randomBytes, kdf });
  const vault = await unlockVault(vaultDir, 'alice', PASS, { clock: () => start });
  let t = start;
  const log = openAccessLog(vault.audit, { app: 'rw-test/0', clock: () => (t += 1000), monotonic: () => t - start });
  for (let i = 0; i < 30; i++) {
    log.append({ actor: { user: 'alice', role: 'reviewer' }, session: 's1', event: i % 3 === 0 ? 'search' : 'artifact.view', object: { kind: 'artifact', id: 'art-1' }, outcome: 'success', detail: { page: i + 1 } });
  }
  log.close();
  vault.close();
  bundleFile = path.join(root, 'audit.bundle.json');
  keyFile = path.join(root, 'device.pem');
  expect((await rwctl(['audit', 'export', '--vault', vaultDir, '--user', 'alice', '--out', bundleFile])).code).toBe(0);
  expect((await rwctl(['audit', 'device-key', '--vault', vaultDir, '--user', 'alice', '--out', keyFile])).code).toBe(0);
}, 60_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('audit bundle', () => {
  it('verifies with the device public key alone', async () => {
    const run = await rwctl(['audit', 'verify-bundle', bundleFile, '--device-key', keyFile]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/intact: 31 leaves/);
  });

  it('is refused when a leaf was edited, naming its sequence number', async () => {
    const file = writeVariant('edited.json', (b) => (b.leaves[7] = b.leaves[7]!.replace('"outcome":"success"', '"outcome":"denied"')));
    const run = await rwctl(['audit', 'verify-bundle', file, '--device-key', keyFile, '--json']);
    expect(run.code).toBe(1);
    expect((JSON.parse(run.out) as { problems: { seq: number }[] }).problems[0]!.seq).toBeLessThanOrEqual(7);
  });

  it.each([
    ['the last leaves were dropped', (b: { leaves: string[] }) => void b.leaves.splice(-3)],
    ['a leaf was removed from the middle', (b: { leaves: string[] }) => void b.leaves.splice(10, 1)],
    ['a checkpoint was removed', (b: { checkpoints: unknown[] }) => void b.checkpoints.splice(0, 1)],
  ])('is refused when %s', async (name, mutate) => {
    const file = writeVariant(`${name.replace(/\W+/g, '-')}.json`, mutate as (b: { leaves: string[]; checkpoints: { note: string }[] }) => void);
    expect((await rwctl(['audit', 'verify-bundle', file, '--device-key', keyFile])).code).toBe(1);
  });

  it('is refused under another device key, and a file that is not a bundle is damage', async () => {
    const other = path.join(root, 'other.pem');
    fs.writeFileSync(other, publicKeyToPem(ed25519PublicKey(generateEd25519().publicKey)));
    const wrongKey = await rwctl(['audit', 'verify-bundle', bundleFile, '--device-key', other]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.out).toMatch(/not signed by this device key/);
    const junk = path.join(root, 'junk.json');
    fs.writeFileSync(junk, '{"format":"something else"}');
    const damaged = await rwctl(['audit', 'verify-bundle', junk, '--device-key', keyFile]);
    expect(damaged.code).toBe(1);
    expect(damaged.out).toMatch(/damaged or not an audit bundle/);
  });

  it('opens read-only for the console with the same queries', () => {
    const opened = openAuditBundle(new Uint8Array(fs.readFileSync(bundleFile)), fs.readFileSync(keyFile, 'utf8'));
    try {
      expect(opened.report.ok).toBe(true);
      expect(opened.query.query({ event: 'artifact.view' }, 0, 100).total).toBe(20);
      expect(opened.query.whoSaw('art-1', 2, start, start + 3_600_000)).toEqual([expect.objectContaining({ user: 'alice', views: 1 })]);
    } finally {
      opened.close();
    }
  });

  it('opens a bundle with a leaf that is not JSON, showing that leaf as damaged in its place', () => {
    const variant = writeVariant('garbled.json', (bundle) => {
      bundle.leaves[3] = '{"event":"artifact.view","detail":{"action":"open"';
    });
    const opened = openAuditBundle(new Uint8Array(fs.readFileSync(variant)), fs.readFileSync(keyFile, 'utf8'));
    try {
      expect(opened.report.ok).toBe(false);
      expect(opened.report.problems).toContainEqual(expect.objectContaining({ seq: 3, kind: 'malformed-leaf' }));
      expect(opened.query.query({}, 3, 1).rows).toEqual([expect.objectContaining({ seq: 3, damaged: true })]);
      expect(opened.query.summary({}).perArtifact.length).toBeGreaterThan(0);
    } finally {
      opened.close();
    }
  });

  it('rwctl audit list prints the leaves as JSON lines, filtered by event and time', async () => {
    const run = await rwctl(['audit', 'list', '--vault', vaultDir, '--user', 'alice', '--json', '--event', 'search', '--since', new Date(start + 10_500).toISOString()]);
    expect(run.code).toBe(0);
    const lines = run.out.trim().split('\n').map((l) => JSON.parse(l) as { event: string; ts: number });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.event === 'search' && l.ts >= start + 10_500)).toBe(true);
    expect((await rwctl(['audit', 'list', '--vault', vaultDir, '--user', 'alice', '--since', 'yesterday'])).code).toBe(2);
  });
});
