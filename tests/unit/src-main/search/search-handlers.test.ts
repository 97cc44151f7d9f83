import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { searchChannels } from '../../../../src-shared/ipc/channels-search';
import type { Role } from '../../../../src-shared/ipc/roles';
import { createRouter, type AuditRecord } from '../../../../src-main/ipc/router';
import { searchHandlers } from '../../../../src-main/search/search-handlers';
import { createNote } from '../../../../src-main/workspace/notes-service';
import { openContentFixture, testActor, type ContentFixture } from '../workspace/content-fixture';

const TOP = { url: 'app://rw/index.html', isTopFrame: true };

let fx: ContentFixture;
beforeEach(() => {
  fx = openContentFixture();
  createNote(fx.db, testActor('alice'), { caseId: 'case-a', body: 'the quokkaflux note' });
});
afterEach(() => fx.close());

function setup(role: Role, indexing: () => { bytesDone: number; bytesTotal: number } | null = () => null) {
  const log: AuditRecord[] = [];
  const router = createRouter({
    contract: searchChannels,
    handlers: searchHandlers(() => fx.db, indexing),
    session: () => ({ role, user: role === 'anonymous' ? null : 'alice' }),
    audit: { record: (e) => void log.push(e) },
    appOrigin: 'app://rw',
  });
  return { router, log };
}

describe('search.query through the router', () => {
  it('is reviewer-only and content-bearing', () => {
    expect(searchChannels['search.query'].roles).toEqual(['reviewer']);
    expect(searchChannels['search.query'].content).toBe(true);
  });

  it('answers a reviewer and writes one access-log leaf with the query and the hit count', async () => {
    const { router, log } = setup('reviewer');
    const answer = await router.handle('search.query', { query: 'quokkaflux' }, TOP);
    expect(answer).toMatchObject({ ok: true, value: { more: false, hits: [{ kind: 'note', snippet: 'the **quokkaflux** note' }] } });
    expect(log).toEqual([expect.objectContaining({ event: 'search', outcome: 'success', detail: { query: 'quokkaflux', results: 1 } })]);
  });

  it('says how far catch-up indexing has got while it runs, and null once it is done', async () => {
    let indexing: { bytesDone: number; bytesTotal: number } | null = { bytesDone: 10, bytesTotal: 40 };
    const { router } = setup('reviewer', () => indexing);
    expect(await router.handle('search.query', { query: 'quokkaflux' }, TOP)).toMatchObject({ ok: true, value: { indexing: { bytesDone: 10, bytesTotal: 40 } } });
    indexing = null;
    expect(await router.handle('search.query', { query: 'quokkaflux' }, TOP)).toMatchObject({ ok: true, value: { indexing: null } });
  });

  it('logs a refused query with its text and no hits', async () => {
    const { router, log } = setup('reviewer');
    const answer = await router.handle('search.query', { query: '-alone' }, TOP);
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(log).toEqual([expect.objectContaining({ event: 'search', outcome: 'failure', errorCode: 'INVALID_INPUT', detail: { query: '-alone', results: 0 } })]);
  });

  it.each<Role>(['auditor', 'anonymous'])('refuses %s without touching the index', async (role) => {
    const { router, log } = setup(role);
    const answer = await router.handle('search.query', { query: 'quokkaflux' }, TOP);
    expect(answer).toMatchObject({ ok: false, error: { code: 'DENIED' } });
    expect(log).toEqual([expect.objectContaining({ event: 'search', outcome: 'denied' })]);
    expect(JSON.stringify(log)).not.toContain('quokkaflux');
  });

  it.each([{ query: '' }, { query: 'x', limit: 0 }, { query: 'x', caseId: 'case-a; DROP' }, { query: 'x', kinds: ['exe'] }, { query: 'x', extra: 1 }])('refuses a malformed request %j', async (payload) => {
    const { router } = setup('reviewer');
    expect(await router.handle('search.query', payload, TOP)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
