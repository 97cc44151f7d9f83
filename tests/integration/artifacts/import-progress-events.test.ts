/**
 * Import progress from the importer to the window, through the real router, case handlers and
 * Electron IPC adapter (fake ipcMain and webContents recording exactly what would be sent): bytes
 * verified and stored as the package streams, throttled, ending done or failed, and only ever sent to
 * the webContents that made the call.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IpcMain } from 'electron';
import { generateKeyPair, parsePublicKeyPem, publicKeyOf, type PublicKey } from '../../../src-shared/node/crypto';
import { RwError } from '../../../src-shared/errors';
import { caseChannels } from '../../../src-shared/ipc/channels-cases';
import { caseHandlers } from '../../../src-main/artifacts/case-handlers';
import { CHUNK_BYTES } from '../../../src-main/artifacts/import-package';
import { IMPORT_PROGRESS_INTERVAL_MS } from '../../../src-main/artifacts/import-progress-reporter';
import { signPackage } from '../../../src-main/artifacts/sign-package';
import { bindRouterToIpc } from '../../../src-main/ipc/electron-ipc';
import { createRouter } from '../../../src-main/ipc/router';
import { FakeIpcMain } from '../../helpers/fake-electron';
import { countRows, openTestContentDb, submissionBytes, tempDir, writeFiles, type TestContentDb } from '../../helpers/package-fixtures';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const demo = {
  dir: path.join(repoRoot, 'assets/demo/package'),
  trustedKey: parsePublicKeyPem(fs.readFileSync(path.join(repoRoot, 'assets/demo/keys/demo-submitter.public.pem'), 'utf8')),
};

/** The part of a webContents the adapter uses, recording every send. */
class FakeContents {
  readonly mainFrame = { url: 'app://rw/index.html' };
  readonly sent: unknown[][] = [];
  destroyed = false;
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(...args: unknown[]): void {
    this.sent.push(args);
  }
}

let vault: TestContentDb;
let locked: boolean;

beforeEach(() => {
  vault = openTestContentDb();
  locked = false;
});
afterEach(() => vault.db.close());

/** The adapter bound to the real router and case handlers; `monotonic` drives the throttle. */
function app(pkg: { dir: string; trustedKey: PublicKey }, monotonic: () => number) {
  const ipc = new FakeIpcMain();
  const router = createRouter({
    contract: caseChannels,
    handlers: caseHandlers({
      contentDb: () => {
        if (locked) throw new RwError('VAULT_LOCKED', 'The vault is locked.');
        return vault.db;
      },
      clock: () => Date.parse('2026-12-01T12:00:00Z'),
      demo: () => pkg,
      monotonic,
    }),
    session: () => ({ role: 'reviewer', user: 'alice' }),
    audit: { record: () => undefined },
    appOrigin: 'app://rw',
  });
  bindRouterToIpc(ipc as unknown as IpcMain, router);
  const call = (contents: FakeContents, channel: string) =>
    ipc.handlers.get(channel)?.({ sender: contents, senderFrame: contents.mainFrame }, {}) as Promise<{ ok: boolean; value?: { totalBytes: number } }>;
  return { importFrom: (contents: FakeContents) => call(contents, 'cases.importDemo'), call };
}

/** A signed package large enough for many 1 MiB progress callbacks. */
async function largePackage(): Promise<{ dir: string; trustedKey: PublicKey; total: number }> {
  const key = generateKeyPair('ecdsa-p256');
  const dir = tempDir();
  const files = {
    'submission.json': submissionBytes(),
    'a.bin': new Uint8Array(3 * CHUNK_BYTES + 17).map((_, i) => i % 253),
    'b.bin': new Uint8Array(2 * CHUNK_BYTES + 5).map((_, i) => i % 241),
  };
  writeFiles(dir, files);
  await signPackage(dir, key);
  const total = Object.values(files).reduce((n, f) => n + f.byteLength, 0);
  return { dir, trustedKey: publicKeyOf(key), total };
}

describe('import progress events over the Electron adapter', () => {
  it('sends the demo import as verifying, each phase\'s first event, then done, to the calling webContents and no other', async () => {
    const caller = new FakeContents();
    const otherWindow = new FakeContents();
    // A clock that never moves: the throttle lets through only the start, each phase's first event and the end.
    const running = app(demo, () => 0);
    const [result, otherCall] = await Promise.all([running.importFrom(caller), running.call(otherWindow, 'cases.list')]);
    expect(result.ok).toBe(true);
    expect(otherCall.ok).toBe(true);
    const total = result.value!.totalBytes;
    // Verifying first and done last; between them the first storing event (each phase's first goes out
    // at once), then only the first indexing event: the frozen clock throttles every other one.
    expect(caller.sent[0]).toEqual(['import.progress', { bytesDone: 0, bytesTotal: 0, phase: 'verifying' }]);
    expect(caller.sent.at(-1)).toEqual(['import.progress', { bytesDone: total, bytesTotal: total, phase: 'done' }]);
    expect(caller.sent.slice(1, -1).map(([name, p]) => `${name}:${(p as { phase: string }).phase}`)).toEqual(['import.progress:storing', 'import.progress:indexing']);
    expect(otherWindow.sent).toEqual([]);
  });

  it('reports bytes verified and stored as a large package streams, throttled, ending at the total', async () => {
    const pkg = await largePackage();
    const caller = new FakeContents();
    // Every clock read advances 30 ms, so roughly every fourth progress callback may send.
    let now = 0;
    const result = await app(pkg, () => (now += 30)).importFrom(caller);
    expect(result).toMatchObject({ ok: true, value: { totalBytes: pkg.total } });
    const events = caller.sent.map(([name, payload]) => {
      expect(name).toBe('import.progress');
      return payload as { bytesDone: number; bytesTotal: number; phase: string };
    });
    expect(events[0]).toEqual({ bytesDone: 0, bytesTotal: 0, phase: 'verifying' });
    expect(events.at(-1)).toEqual({ bytesDone: pkg.total, bytesTotal: pkg.total, phase: 'done' });
    const middle = events.slice(1, -1);
    // Storing first, then the search indexing of what was stored (never interleaved).
    const firstIndexing = middle.findIndex((e) => e.phase === 'indexing');
    const storing = firstIndexing < 0 ? middle : middle.slice(0, firstIndexing);
    expect(middle.slice(storing.length).every((e) => e.phase === 'indexing')).toBe(true);
    expect(storing.length).toBeGreaterThan(0);
    // Intermediate values strictly between 0 and the total, rising, against the package total.
    expect(storing.some((e) => e.bytesDone > 0 && e.bytesDone < pkg.total)).toBe(true);
    for (const [i, e] of storing.entries()) {
      expect(Object.keys(e).sort()).toEqual(['bytesDone', 'bytesTotal', 'phase']);
      expect(e).toMatchObject({ phase: 'storing', bytesTotal: pkg.total });
      if (i > 0) expect(e.bytesDone).toBeGreaterThanOrEqual(storing[i - 1]!.bytesDone);
    }
    // Throttled: fewer events than the importer's ~one callback per MiB and per file.
    const callbacks = Math.ceil(pkg.total / CHUNK_BYTES) + 2 * 3;
    expect(storing.length).toBeLessThan(callbacks);
    expect(storing.length).toBeLessThanOrEqual(Math.ceil((now / IMPORT_PROGRESS_INTERVAL_MS) + 1));
  });

  it('ends with failed when a file does not match its signed digest, and stores nothing', async () => {
    const pkg = await largePackage();
    // Same size, one byte changed after signing: caught while streaming, after bytes were counted.
    const file = path.join(pkg.dir, 'b.bin');
    const bytes = fs.readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    fs.writeFileSync(file, bytes);
    const caller = new FakeContents();
    let now = 0;
    const result = await app(pkg, () => (now += 1000)).importFrom(caller);
    expect(result.ok).toBe(false);
    const last = caller.sent.at(-1);
    expect(last?.[0]).toBe('import.progress');
    expect(last?.[1]).toMatchObject({ phase: 'failed', bytesTotal: pkg.total });
    expect((last?.[1] as { bytesDone: number }).bytesDone).toBeGreaterThan(3 * CHUNK_BYTES);
    expect(caller.sent.filter(([, p]) => ['done', 'failed'].includes((p as { phase: string }).phase))).toHaveLength(1);
    expect(countRows(vault.db, 'cases')).toBe(0);
  });

  it('sends nothing to a window that has closed (the import itself completes)', async () => {
    const caller = new FakeContents();
    caller.destroyed = true;
    const result = await app(demo, () => 0).importFrom(caller);
    expect(result.ok).toBe(true);
    expect(caller.sent).toEqual([]);
  });

  it('sends nothing for an import refused before it starts (locked vault)', async () => {
    locked = true;
    const caller = new FakeContents();
    const result = await app(demo, () => 0).importFrom(caller);
    expect(result).toMatchObject({ ok: false });
    expect(caller.sent).toEqual([]);
  });
});
