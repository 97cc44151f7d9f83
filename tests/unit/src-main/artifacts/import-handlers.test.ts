import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPair, publicKeyOf, type PublicKey } from '../../../../src-shared/node/crypto';
import { importChannels } from '../../../../src-shared/ipc/channels-import';
import type { Role } from '../../../../src-shared/ipc/roles';
import { createRouter, type AuditRecord } from '../../../../src-main/ipc/router';
import { importHandlers } from '../../../../src-main/artifacts/import-handlers';
import { signPackage } from '../../../../src-main/artifacts/sign-package';
import { zipFolderBytes } from '../../../helpers/package-zip';
import { countRows, openTestContentDb, submissionBytes, tempDir, writeFiles, type FileMap, type TestContentDb } from '../../../helpers/package-fixtures';

const APP = 'app://rw';
const sender = { url: `${APP}/index.html`, isTopFrame: true };
const key = generateKeyPair('ecdsa-p256');
let vault: TestContentDb;
let role: Role;
let audit: AuditRecord[];
let trusted: PublicKey[];
let chosen: string | null;
let now: number;

function router(withChooser = true) {
  return createRouter({
    contract: importChannels,
    handlers: importHandlers({
      contentDb: () => vault.db,
      trustedKeys: () => trusted,
      clock: () => (now += 1000),
      ...(withChooser ? { choose: async () => chosen } : {}),
    }),
    session: () => ({ role, user: role === 'anonymous' ? null : 'alice' }),
    audit: { record: (e) => void audit.push(e) },
    appOrigin: APP,
  });
}

async function call<T>(channel: string, payload: unknown, withChooser = true): Promise<T> {
  const result = await router(withChooser).handle(channel, payload, sender);
  if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
  return result.value as T;
}

const V1: FileMap = {
  'submission.json': submissionBytes({ model: 'Kestrel-7', developer: 'Lab', version: '7.0.1' }),
  'model-card.md': '# Card\n\nline two\nline three\n',
  'eval/results.csv': 'task,score\nqa,0.91\n',
  'old-notes.txt': 'gone in 7.0.2\n',
};
const V2: FileMap = {
  'submission.json': submissionBytes({ model: 'Kestrel-7', developer: 'Lab', version: '7.0.2' }),
  'model-card.md': '# Card\n\nline 2 rewritten\nline three\nnew line four\n',
  'eval/results.csv': 'task,score\nqa,0.91\n',
  'system-card.md': '# System card\n',
};

async function signedFolder(files: FileMap): Promise<string> {
  const dir = path.join(tempDir(), 'pkg');
  writeFiles(dir, files);
  await signPackage(dir, key);
  return dir;
}

const zipBytes = zipFolderBytes;

beforeEach(() => {
  vault = openTestContentDb();
  role = 'reviewer';
  audit = [];
  trusted = [publicKeyOf(key)];
  chosen = null;
  now = Date.parse('2026-12-01T12:00:00Z');
});
afterEach(() => vault.db.close());

describe('import from disk', () => {
  it('imports a folder the main-process chooser returned and says what it imported and who signed it', async () => {
    chosen = await signedFolder(V1);
    const result = await call<{ cancelled: boolean; model: string; version: string; artifactCount: number; signer: string; previous: unknown }>('cases.importChoose', { kind: 'folder' });
    expect(result).toMatchObject({ cancelled: false, model: 'Kestrel-7', version: '7.0.1', artifactCount: 4, previous: null });
    expect(result.signer).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(audit.at(-1)).toMatchObject({ event: 'case.import', outcome: 'success', object: { kind: 'case', name: 'Kestrel-7 7.0.1' } });
  });

  it('a cancelled chooser imports nothing and is logged as cancelled', async () => {
    expect(await call('cases.importChoose', { kind: 'zip' })).toEqual({ cancelled: true });
    expect(countRows(vault.db, 'cases')).toBe(0);
    expect(audit.at(-1)).toMatchObject({ event: 'case.import', outcome: 'success', detail: { cancelled: true } });
  });

  it('without a main-process chooser (the preview) the chooser channel is refused', async () => {
    await expect(call('cases.importChoose', { kind: 'zip' }, false)).rejects.toMatchObject({ code: 'DENIED' });
  });

  it('imports .zip bytes from a file input exactly like a file on disk', async () => {
    const bytes = await zipBytes(await signedFolder(V1));
    const result = await call<{ version: string; artifactCount: number }>('cases.importUpload', { name: 'kestrel-7.0.1.zip', data: bytes });
    expect(result).toMatchObject({ version: '7.0.1', artifactCount: 4 });
  });

  it('refuses the same signed package twice, naming the case that holds it, and leaves the store as it was', async () => {
    chosen = await signedFolder(V1);
    const first = await call<{ caseId: string }>('cases.importChoose', { kind: 'folder' });
    const before = [countRows(vault.db, 'cases'), countRows(vault.db, 'artifacts'), countRows(vault.db, 'artifact_chunks')];
    // Same package as a zip: same signed manifest, different container.
    const again = call('cases.importUpload', { name: 'again.zip', data: await zipBytes(chosen) });
    await expect(again).rejects.toMatchObject({ code: 'CONFLICT', detail: { caseId: first.caseId } });
    await expect(again).rejects.toThrow(`already imported as Kestrel-7 7.0.1 (${first.caseId})`);
    expect([countRows(vault.db, 'cases'), countRows(vault.db, 'artifacts'), countRows(vault.db, 'artifact_chunks')]).toEqual(before);
    expect(audit.at(-1)).toMatchObject({ outcome: 'failure', errorCode: 'CONFLICT', object: { kind: 'case', id: first.caseId } });
  });

  const refusals: Array<[string, () => void | Promise<void>, string]> = [
    ['an unenrolled workstation (no trusted submitter)', () => void (trusted = []), 'POLICY_REFUSED'],
    ['a package signed by an untrusted key', () => void (trusted = [publicKeyOf(generateKeyPair('ecdsa-p256'))]), 'PACKAGE_REFUSED'],
    ['an auditor', () => void (role = 'auditor'), 'DENIED'],
  ];
  it.each(refusals)('refuses %s and stores nothing', async (_name, arrange, code) => {
    chosen = await signedFolder(V1);
    await arrange();
    await expect(call('cases.importChoose', { kind: 'folder' })).rejects.toMatchObject({ code });
    expect(countRows(vault.db, 'cases')).toBe(0);
  });

  it('refuses bytes that are not a zip, and an empty upload at the schema', async () => {
    await expect(call('cases.importUpload', { name: 'x.zip', data: new TextEncoder().encode('not a zip') })).rejects.toMatchObject({ code: 'PACKAGE_REFUSED' });
    await expect(call('cases.importUpload', { name: 'x.zip', data: new Uint8Array(0) })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(countRows(vault.db, 'cases')).toBe(0);
  });
});

describe('a new version', () => {
  it('links to the previous version and lists files added, removed and changed, with a side-by-side diff', async () => {
    chosen = await signedFolder(V1);
    const v1 = await call<{ caseId: string }>('cases.importChoose', { kind: 'folder' });
    chosen = await signedFolder(V2);
    const v2 = await call<{ caseId: string; previous: unknown }>('cases.importChoose', { kind: 'folder' });
    expect(v2.previous).toEqual({ caseId: v1.caseId, model: 'Kestrel-7', version: '7.0.1' });

    const comparison = await call<{ added: Array<{ path: string }>; removed: Array<{ path: string }>; changed: Array<{ path: string; diffable: boolean }>; unchanged: number }>(
      'cases.compare',
      { caseId: v2.caseId },
    );
    expect(comparison.added.map((f) => f.path)).toEqual(['system-card.md']);
    expect(comparison.removed.map((f) => f.path)).toEqual(['old-notes.txt']);
    expect(comparison.changed.map((f) => [f.path, f.diffable])).toEqual([
      ['model-card.md', true],
      ['submission.json', true],
    ]);
    expect(comparison.unchanged).toBe(1);

    const diff = await call<{ rows: Array<{ kind: string; left: string | null; right: string | null }> }>('cases.diff', { caseId: v2.caseId, path: 'model-card.md' });
    expect(diff.rows.filter((r) => r.kind !== 'same')).toEqual([
      { kind: 'changed', leftNo: 3, rightNo: 3, left: 'line two', right: 'line 2 rewritten' },
      { kind: 'added', leftNo: null, rightNo: 5, left: null, right: 'new line four' },
    ]);
    expect(audit.at(-1)).toMatchObject({ event: 'artifact.diff', object: { kind: 'artifact', name: 'model-card.md' } });

    // The first version has nothing before it; an unchanged file has no diff.
    expect(await call('cases.compare', { caseId: v1.caseId })).toMatchObject({ previous: null });
    await expect(call('cases.diff', { caseId: v2.caseId, path: 'eval/results.csv' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
