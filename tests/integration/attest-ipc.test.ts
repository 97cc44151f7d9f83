/**
 * The attestation screen's channels through the real router and app core: preview shows the exact
 * Statement text, signing needs the passphrase again and is logged with its leaf in the predicate, the
 * outbox says what awaits transfer, the media export goes to a folder main chooses (the renderer cannot
 * name one), and sync is offline until a signed policy names a server. Auditors are refused.
 */
import fs from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../src-main/app-core';
import type { AuditRecord } from '../../src-main/ipc/router';

const TOP = { url: 'app://rw/index.html', isTopFrame: true };
const PASS = 'correct horse battery staple';
let core: AppCore;
let dataDir: string;
let caseId: string;
const seen: AuditRecord[] = [];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field below
type Result = { ok: true; value: any } | { ok: false; error: { code: string; message: string } };
const call = (channel: string, request: unknown = {}) => core.router.handle(channel, request, TOP) as Promise<Result>;

beforeAll(async () => {
  dataDir = join(mkdtempSync(join(tmpdir(), 'rw-attest-ipc-')), 'vault');
  core = await createAppCore({ dataDir, clock: () => Date.now(), preview: true, appOrigin: 'app://rw', audit: { record: (entry) => void seen.push(entry) } });
  expect((await call('vault.create', { user: 'avery', passphrase: PASS })).ok).toBe(true);
  expect((await call('cases.importDemo')).ok).toBe(true);
  const cases = await call('cases.list');
  caseId = (cases as { ok: true; value: { id: string }[] }).value[0]!.id;
}, 120_000);
afterAll(async () => {
  await core.close();
});

describe('attestation channels', () => {
  const review = () => ({ caseId, verdict: 'no-objection', releaseSummary: '  Exactly as typed, spaces kept.  ' });

  it('previews the exact Statement text that would leave', async () => {
    const preview = await call('attest.preview', review());
    expect(preview.ok).toBe(true);
    if (!preview.ok) return;
    const statement = JSON.parse(preview.value.json);
    expect(statement.predicate.releaseSummary).toBe('  Exactly as typed, spaces kept.  ');
    expect(statement.subject.some((s: { name: string }) => s.name === `package:${caseId}`)).toBe(true);
    expect(preview.value.predictedFields).toEqual(['accessLogIndex', 'sequence']);
  });

  it('refuses to sign with a wrong passphrase and signs with the right one, logging the signing', async () => {
    expect(await call('attest.sign', { ...review(), passphrase: 'not the passphrase' })).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    const signed = await call('attest.sign', { ...review(), passphrase: PASS });
    expect(signed.ok).toBe(true);
    if (!signed.ok) return;
    const statement = JSON.parse(signed.value.json);
    expect(statement.predicate.accessLogIndex).toBe(signed.value.accessLogIndex);
    const preview = await call('attest.preview', review());
    const strip = (json: string) => {
      const s = JSON.parse(json);
      delete s.predicate.accessLogIndex;
      delete s.predicate.sequence;
      return s;
    };
    expect(preview.ok && strip(preview.value.json)).toEqual(strip(signed.value.json));
    expect(seen.some((e) => e.event === 'attestation.sign.request' && e.outcome === 'success')).toBe(true);
  });

  it('lists what awaits transfer, offline until a signed policy names a server', async () => {
    const list = await call('outbox.list');
    expect(list).toMatchObject({ ok: true, value: { enrolled: false, serverUrl: null } });
    if (!list.ok) return;
    expect(list.value.items.map((i: { state: string; label: string }) => [i.state, i.label])).toEqual([['pending', expect.stringContaining('no-objection')]]);
    expect(await call('sync.now')).toMatchObject({ ok: true, value: { mode: 'offline', delivered: 0 } });
  });

  it('exports a media bundle to the export folder by default, naming no path', async () => {
    const exported = await call('sync.exportMedia');
    expect(exported.ok).toBe(true);
    if (!exported.ok) return;
    expect(exported.value).toMatchObject({ cancelled: false, where: null, items: 2 });
    expect(exported.value.bundleName).toMatch(/^bundle-\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    const folder = join(dataDir, 'exports', exported.value.bundleName);
    expect(fs.readdirSync(folder).sort()).toEqual(['attestations.intoto.jsonl', 'manifest.dsse.json', 'witness-request.txt']);
    expect(JSON.stringify(exported.value)).not.toContain(dataDir);
  });

  it('in the preview (no system dialog) writes into a typed folder and says where; a relative or missing folder is refused, writing nothing', async () => {
    const drive = mkdtempSync(join(tmpdir(), 'rw-usb-'));
    const leaves = seen.length;
    expect(await call('sync.exportMedia', { folder: 'relative/usb' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('sync.exportMedia', { folder: join(drive, 'not-there') })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('sync.exportMedia', { folder: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(fs.readdirSync(drive)).toEqual([]);
    expect(seen.slice(leaves).map((e) => [e.event, e.outcome])).toEqual([
      ['sync.export.request', 'failure'],
      ['sync.export.request', 'failure'],
      // The empty folder fails the schema: refused before the service, logged as denied.
      ['sync.export.request', 'denied'],
    ]);
    const exported = await call('sync.exportMedia', { folder: drive });
    expect(exported).toMatchObject({ ok: true, value: { cancelled: false } });
    if (!exported.ok) return;
    expect(exported.value.where).toBe(join(drive, exported.value.bundleName));
    expect(fs.readdirSync(exported.value.where).sort()).toEqual(['attestations.intoto.jsonl', 'manifest.dsse.json', 'witness-request.txt']);
    expect(seen.at(-1)).toMatchObject({ event: 'sync.export.request', outcome: 'success', detail: { destination: 'chosen' } });
  });

  it.each([
    ['attest.sign', { caseId: 'x', verdict: 'no-objection', releaseSummary: '' }],
    ['attest.preview', { caseId: 'x', verdict: 'perhaps', releaseSummary: '' }],
    ['outbox.list', { all: true }],
    ['sync.now', { url: 'https://elsewhere.example' }],
    ['sync.exportMedia', { folder: 'x'.repeat(4097) }],
  ])('refuses a malformed %s request at the schema', async (channel, request) => {
    expect(await call(channel, request)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('closes every channel once locked', async () => {
    await call('session.lock', { reason: 'manual' });
    for (const channel of ['attest.preview', 'outbox.list', 'sync.exportMedia', 'sync.now']) {
      const result = await call(channel, channel === 'attest.preview' ? review() : {});
      expect(result.ok).toBe(false);
    }
  });
});
