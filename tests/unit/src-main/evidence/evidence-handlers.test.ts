import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RwError } from '../../../../src-shared/errors';
import { evidenceChannels } from '../../../../src-shared/ipc/channels-evidence';
import type { Role } from '../../../../src-shared/ipc/roles';
import { generateKeyPair, publicKeyOf } from '../../../../src-shared/node/crypto';
import { createRouter, type AuditRecord } from '../../../../src-main/ipc/router';
import { importPackageDetailed } from '../../../../src-main/artifacts/import-package';
import { signPackage } from '../../../../src-main/artifacts/sign-package';
import { listArtifacts } from '../../../../src-main/artifacts/case-queries';
import { EvidenceService } from '../../../../src-main/evidence/evidence-service';
import { evidenceHandlers } from '../../../../src-main/evidence/evidence-handlers';
import { openTestContentDb, submissionBytes, tempDir, writeFiles, type TestContentDb } from '../../../helpers/package-fixtures';
import { evidencePackageFiles } from '../../../helpers/evidence-case';

const APP = 'app://rw';
const sender = { url: `${APP}/index.html`, isTopFrame: true };

let vault: TestContentDb;
let locked = false;
let role: Role = 'reviewer';
const audit: AuditRecord[] = [];
const events: Array<{ name: string; payload: unknown }> = [];
let service: EvidenceService;
let caseId: string;
let logA: string;
let logB: string;

function router() {
  const contentDb = () => {
    if (locked) throw new RwError('VAULT_LOCKED', 'The vault is locked.');
    return vault.db;
  };
  return createRouter({
    contract: evidenceChannels,
    handlers: evidenceHandlers(service, contentDb, () => 0),
    session: () => ({ role, user: role === 'anonymous' ? null : 'alice' }),
    audit: { record: (e) => void audit.push(e) },
    appOrigin: APP,
  });
}

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const result = await router().handle(channel, payload, sender, (name, payload) => void events.push({ name, payload }));
  if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
  return result.value as T;
}

beforeAll(async () => {
  vault = openTestContentDb();
  service = new EvidenceService(() => {
    if (locked) throw new RwError('VAULT_LOCKED', 'The vault is locked.');
    return vault.db;
  });
  const dir = path.join(tempDir('rw-evidence-ipc-'), 'pkg');
  writeFiles(dir, { 'submission.json': submissionBytes(), ...evidencePackageFiles() });
  const key = generateKeyPair('ecdsa-p256');
  await signPackage(dir, key);
  caseId = (await importPackageDetailed({ contentDb: vault.db, source: dir, trustedKeys: [publicKeyOf(key)], clock: () => 0 })).caseId;
  const artifacts = listArtifacts(vault.db, caseId);
  logA = artifacts.find((a) => a.path.endsWith('model-a.eval'))!.id;
  logB = artifacts.find((a) => a.path.endsWith('model-b.eval'))!.id;
});
afterAll(() => vault.db.close());

describe('evidence channels', () => {
  it('lists only the Inspect logs of a case, unchecked at first', async () => {
    const logs = await call<Array<{ path: string; status: string | null }>>('evidence.list', { caseId });
    expect(logs.map((l) => [l.path, l.status])).toEqual([
      ['evals/prime_check-model-a.eval', null],
      ['evals/prime_check-model-b.eval', null],
    ]);
  });

  it('checks a log read in place from content.db, with progress events and a leaf naming the artifact', async () => {
    const report = await call<{ status: string; flags: Array<{ code: string }>; scores: Array<{ verdict: string }> }>('evidence.check', { artifactId: logB });
    expect(report.status).toBe('flagged');
    expect(report.flags.map((f) => f.code)).toEqual(['metric-mismatch']);
    expect(audit.at(-1)).toMatchObject({ event: 'evidence.check', outcome: 'success', object: { kind: 'artifact', id: logB, name: 'evals/prime_check-model-b.eval' }, detail: { status: 'flagged', flags: 1 } });
    expect(events.at(-1)).toEqual({ name: 'evidence.progress', payload: { samplesDone: 24, samplesTotal: 24, phase: 'done' } });
    const logs = await call<Array<{ status: string | null }>>('evidence.list', { caseId });
    expect(logs.map((l) => l.status)).toEqual([null, 'flagged']);
  });

  it('pages samples with sort and filter', async () => {
    const page = await call<{ total: number; rows: Array<{ id: number; error: string | null }> }>('evidence.samples', { artifactId: logA, offset: 0, limit: 5, sort: 'id', descending: true, show: 'all', text: '' });
    expect(page.total).toBe(24);
    expect(page.rows.map((r) => r.id)).toEqual([24, 23, 22, 21, 20]);
    const errored = await call<{ total: number; rows: Array<{ id: number; error: string | null }> }>('evidence.samples', { artifactId: logA, offset: 0, limit: 50, sort: 'id', descending: false, show: 'errored', text: '' });
    expect(errored.rows.map((r) => [r.id, r.error])).toEqual([[7, 'RuntimeError: the sandbox exited']]);
    const found = await call<{ total: number }>('evidence.samples', { artifactId: logA, offset: 0, limit: 50, sort: 'score', descending: false, show: 'all', text: 'sandbox' });
    expect(found.total).toBe(1);
  });

  it('opens a transcript as its own access-log event naming the sample', async () => {
    const t = await call<{ id: number; messages: Array<{ role: string }>; scores: Array<{ explanation: string }> }>('evidence.sample', { artifactId: logA, sampleId: '3', epoch: 1 });
    expect(t.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant']);
    expect(audit.at(-1)).toMatchObject({ event: 'evidence.sample.open', object: { kind: 'artifact', id: logA }, detail: { sample: '3', epoch: 1 } });
    await expect(call('evidence.sample', { artifactId: logA, sampleId: '999', epoch: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('compares two runs: pairs, difference with paired stderr, flips either way', async () => {
    const c = await call<{ pairs: number; improved: Array<{ id: number }>; regressed: Array<{ id: number }>; difference: number; stderr: number; sameTask: boolean }>('evidence.compare', { a: logA, b: logB });
    expect(c.sameTask).toBe(true);
    // Sample 7 errored in A: 23 pairs.
    expect(c.pairs).toBe(23);
    expect([...c.improved, ...c.regressed].map((p) => p.id).sort((x, y) => x - y)).toEqual([2, 5, 9]);
    expect(c.stderr).toBeGreaterThan(0);
  });

  it.each([
    ['an auditor', 'auditor' as Role, 'DENIED'],
    ['a locked vault', 'reviewer' as Role, 'VAULT_LOCKED'],
  ])('refuses %s', async (_label, r, code) => {
    role = r;
    locked = code === 'VAULT_LOCKED';
    service.clear();
    try {
      await expect(call('evidence.check', { artifactId: logA })).rejects.toMatchObject({ code });
    } finally {
      role = 'reviewer';
      locked = false;
    }
  });

  it('refuses malformed requests by schema', async () => {
    await expect(call('evidence.samples', { artifactId: logA, offset: 0, limit: 5000, sort: 'id', descending: false, show: 'all', text: '' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(call('evidence.check', { artifactId: '../etc/passwd' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
