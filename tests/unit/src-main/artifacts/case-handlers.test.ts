import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RwError } from '../../../../src-shared/errors';
import { parsePublicKeyPem, sha256 } from '../../../../src-shared/node/crypto';
import { toHex } from '../../../../src-shared/encoding';
import { caseChannels } from '../../../../src-shared/ipc/channels-cases';
import type { Role } from '../../../../src-shared/ipc/roles';
import { createRouter, type AuditRecord } from '../../../../src-main/ipc/router';
import { bundledDemo, caseHandlers } from '../../../../src-main/artifacts/case-handlers';
import { CHUNK_BYTES, importPackageDetailed } from '../../../../src-main/artifacts/import-package';
import { signPackage } from '../../../../src-main/artifacts/sign-package';
import { generateKeyPair, publicKeyOf } from '../../../../src-shared/node/crypto';
import { openTestContentDb, submissionBytes, tempDir, writeFiles, type TestContentDb } from '../../../helpers/package-fixtures';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const demoDir = path.join(repoRoot, 'assets/demo/package');
const demoKey = parsePublicKeyPem(fs.readFileSync(path.join(repoRoot, 'assets/demo/keys/demo-submitter.public.pem'), 'utf8'));
const APP = 'app://rw';
const sender = { url: `${APP}/index.html`, isTopFrame: true };
const NOW = Date.parse('2026-12-01T12:00:00Z');

let vault: TestContentDb;
let locked: boolean;
let role: Role;
let audit: AuditRecord[];

function router() {
  return createRouter({
    contract: caseChannels,
    handlers: caseHandlers({
      contentDb: () => {
        if (locked) throw new RwError('VAULT_LOCKED', 'The vault is locked.');
        return vault.db;
      },
      clock: () => NOW,
      demo: () => ({ dir: demoDir, trustedKey: demoKey }),
    }),
    session: () => ({ role, user: role === 'anonymous' ? null : 'alice' }),
    audit: { record: (e) => void audit.push(e) },
    appOrigin: APP,
  });
}

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const result = await router().handle(channel, payload, sender);
  if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
  return result.value as T;
}

beforeEach(() => {
  vault = openTestContentDb();
  locked = false;
  role = 'reviewer';
  audit = [];
});
afterEach(() => vault.db.close());

describe('case channels', () => {
  it('imports the bundled demo and serves it chunk by chunk, logging every read with the artifact digest', async () => {
    const imported = await call<{ caseId: string; artifactCount: number }>('cases.importDemo', {});
    expect(imported.artifactCount).toBe(10);
    expect(audit.at(-1)).toMatchObject({ event: 'case.import', outcome: 'success', object: { kind: 'case', id: imported.caseId } });

    const cases = await call<{ id: string; model: string; daysLeft: number; overdue: boolean }[]>('cases.list', {});
    expect(cases).toHaveLength(1);
    // Deadline 2026-12-21 (end of day UTC), clock 2026-12-01 12:00Z: 20.5 days, so 21 days left.
    expect(cases[0]).toMatchObject({ id: imported.caseId, model: 'Kestrel-7', daysLeft: 21, overdue: false });

    const detail = await call<{ packageDigest: string; metadata: Record<string, string> }>('cases.get', { caseId: imported.caseId });
    expect(detail.packageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(detail.metadata.developer).toContain('Northwind');

    const artifacts = await call<{ id: string; path: string; mediaType: string; sha256: string; chunkCount: number }[]>('artifacts.list', { caseId: imported.caseId });
    const byPath = Object.fromEntries(artifacts.map((a) => [a.path, a]));
    expect(byPath['system-card.pdf']?.mediaType).toBe('application/pdf');
    expect(byPath['eval/chart.png']?.mediaType).toBe('image/png');
    expect(byPath['eval/samples.jsonl']?.mediaType).toBe('application/jsonl');
    expect(byPath['model-card.md']?.mediaType).toBe('text/markdown');

    const pdf = byPath['system-card.pdf']!;
    const opened = await call<{ id: string }>('artifacts.open', { artifactId: pdf.id });
    expect(opened.id).toBe(pdf.id);
    expect(audit.at(-1)).toMatchObject({ event: 'artifact.open', object: { kind: 'artifact', id: pdf.id, name: 'system-card.pdf', digest: `sha256:${pdf.sha256}` } });
    const chunk = await call<{ data: Uint8Array; chunkCount: number }>('artifacts.read', { artifactId: pdf.id, chunk: 0 });
    expect(chunk.chunkCount).toBe(1);
    expect(chunk.data).toBeInstanceOf(Uint8Array);
    expect(toHex(sha256(chunk.data))).toBe(pdf.sha256);
    expect(Buffer.from(chunk.data).equals(fs.readFileSync(path.join(demoDir, 'system-card.pdf')))).toBe(true);
    expect(audit.at(-1)).toMatchObject({ event: 'artifact.read', object: { name: 'system-card.pdf' }, detail: { chunk: 0, chunkCount: 1 } });
  });

  it('serves a multi-chunk artifact in 1 MiB pieces that reassemble to the signed bytes', async () => {
    const key = generateKeyPair('ecdsa-p256');
    const dir = tempDir();
    const big = new Uint8Array(CHUNK_BYTES + 1000).map((_, i) => i % 251);
    writeFiles(dir, { 'submission.json': submissionBytes(), 'big.bin': big });
    await signPackage(dir, key);
    const { caseId } = await importPackageDetailed({ contentDb: vault.db, source: dir, trustedKeys: [publicKeyOf(key)], clock: () => NOW });
    const list = await call<{ id: string; path: string; chunkCount: number }[]>('artifacts.list', { caseId });
    const art = list.find((a) => a.path === 'big.bin')!;
    expect(art.chunkCount).toBe(2);
    const parts = [];
    for (let c = 0; c < art.chunkCount; c++) parts.push((await call<{ data: Uint8Array }>('artifacts.read', { artifactId: art.id, chunk: c })).data);
    expect(parts.map((p) => p.byteLength)).toEqual([CHUNK_BYTES, 1000]);
    expect(toHex(sha256(...parts))).toBe(toHex(sha256(big)));
    await expect(call('artifacts.read', { artifactId: art.id, chunk: 2 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('counts days left down and marks a passed deadline overdue', async () => {
    const key = generateKeyPair('ecdsa-p256');
    const dir = tempDir();
    writeFiles(dir, { 'submission.json': submissionBytes({ review_deadline: '2026-11-30T17:00:00Z' }) });
    await signPackage(dir, key);
    await importPackageDetailed({ contentDb: vault.db, source: dir, trustedKeys: [publicKeyOf(key)], clock: () => NOW });
    const [c] = await call<{ daysLeft: number; overdue: boolean }[]>('cases.list', {});
    expect(c).toMatchObject({ daysLeft: -1, overdue: true });
  });

  const refusals: [string, () => void, string, unknown][] = [
    ['an auditor (separation of duties)', () => (role = 'auditor'), 'cases.list', {}],
    ['the locked app', () => (role = 'anonymous'), 'cases.list', {}],
    ['an auditor reading a chunk', () => (role = 'auditor'), 'artifacts.read', { artifactId: `art-${'0'.repeat(32)}`, chunk: 0 }],
  ];
  it.each(refusals)('refuses %s', async (_name, arrange, channel, payload) => {
    arrange();
    await expect(call(channel, payload)).rejects.toMatchObject({ code: 'DENIED' });
    expect(audit.at(-1)?.outcome).toBe('denied');
  });

  it.each([
    ['a path instead of an id', { artifactId: '../../content.db', chunk: 0 }],
    ['a negative chunk', { artifactId: `art-${'0'.repeat(32)}`, chunk: -1 }],
    ['a fractional chunk', { artifactId: `art-${'0'.repeat(32)}`, chunk: 0.5 }],
    ['extra fields', { artifactId: `art-${'0'.repeat(32)}`, chunk: 0, path: '/etc/passwd' }],
  ])('refuses an artifacts.read request with %s', async (_name, payload) => {
    await expect(call('artifacts.read', payload)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('answers NOT_FOUND for unknown ids and VAULT_LOCKED when content.db is closed', async () => {
    await expect(call('cases.get', { caseId: `case-${'a'.repeat(32)}` })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(call('artifacts.open', { artifactId: `art-${'b'.repeat(32)}` })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    locked = true;
    await expect(call('cases.list', {})).rejects.toMatchObject({ code: 'VAULT_LOCKED' });
  });
});

describe('bundledDemo', () => {
  it('finds the demo package and its demo-only key under the assets folder', () => {
    const demo = bundledDemo(path.join(repoRoot, 'assets'));
    expect(demo.dir).toBe(demoDir);
    expect(demo.trustedKey).toEqual(demoKey);
  });
  it('answers NOT_FOUND when the demo is not installed', () => {
    expect(() => bundledDemo(tempDir())).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
