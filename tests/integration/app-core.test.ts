/**
 * The composition the app, the preview and the harness share: every contract channel has a service
 * behind it, and a reviewer can go from an empty folder to reading an imported artifact through the
 * router alone, with each call in the access log.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../src-shared/ipc/contract';
import { createAppCore, type AppCore } from '../../src-main/app-core';
import type { AuditRecord } from '../../src-main/ipc/router';

const TOP = { url: 'app://rw/index.html', isTopFrame: true };
let core: AppCore;
const seen: AuditRecord[] = [];

async function call(channel: string, request: unknown = {}) {
  return core.router.handle(channel, request, TOP);
}

beforeAll(async () => {
  core = await createAppCore({
    dataDir: join(mkdtempSync(join(tmpdir(), 'rw-core-')), 'vault'),
    clock: () => Date.now(),
    preview: true,
    appOrigin: 'app://rw',
    audit: { record: (entry) => void seen.push(entry) },
  });
});

afterAll(async () => {
  await core.close();
});

describe('app core', () => {
  it('has a service behind every channel of the contract', async () => {
    const missing: string[] = [];
    for (const channel of CHANNEL_NAMES) {
      const result = await call(channel, { __probe: true });
      if (!result.ok && result.error.code === 'UNKNOWN_CHANNEL') missing.push(channel);
    }
    expect(missing).toEqual([]);
  });

  it('takes a reviewer from an empty folder to an imported, readable artifact', async () => {
    expect(await call('session.status')).toMatchObject({ ok: true, value: { vault: 'none', role: 'anonymous' } });
    expect(await call('vault.create', { user: 'avery', passphrase: 'correct horse battery staple' })).toMatchObject({ ok: true, value: { vault: 'unlocked', role: 'reviewer' } });
    const imported = await call('cases.importDemo');
    expect(imported.ok).toBe(true);
    const cases = await call('cases.list');
    expect(cases).toMatchObject({ ok: true });
    const list = (cases as { ok: true; value: Array<{ id: string }> }).value;
    expect(list).toHaveLength(1);
    const artifacts = (await call('artifacts.list', { caseId: list[0]?.id })) as { ok: true; value: Array<{ id: string; path: string }> };
    const card = artifacts.value.find((a) => a.path === 'model-card.md');
    const chunk = await call('artifacts.read', { artifactId: card?.id, chunk: 0 });
    expect(chunk.ok).toBe(true);
    expect(seen.some((e) => e.event === 'artifact.read' && e.outcome === 'success' && e.object?.id === card?.id)).toBe(true);
  });

  it('closes content to the reviewer once locked', async () => {
    await call('session.lock', { reason: 'manual' });
    expect(await call('cases.list')).toMatchObject({ ok: false, error: { code: 'DENIED' } });
  });
});
