/**
 * Locking cancels the renderer's queries in flight and sends nothing signed-in afterwards: before, the
 * screen being left kept asking main after the vault closed, and every such call was logged as an
 * anonymous denial (false alarms in the auditor's console).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { lockSession } from '../../../../src-renderer/api/hooks';
import { createRwQueryClient, SESSION_STATUS_KEY } from '../../../../src-renderer/api/query-client';
import { rwCall } from '../../../../src-renderer/api/rw-call';
import { CONTRACT } from '../../../../src-shared/ipc/contract';
import { PRE_SIGN_IN_CHANNELS } from '../../../../src-shared/ipc/pre-sign-in-channels';

const status = (vault: 'locked' | 'unlocked') => ({ vault, user: vault === 'unlocked' ? 'audrey' : null, role: vault === 'unlocked' ? 'auditor' : 'anonymous', workstationId: null, consentBanner: 'x', classification: 'x', preview: true });

afterEach(() => {
  delete (globalThis as { rw?: unknown }).rw;
});

describe('lock and the session gate', () => {
  test('lets through before sign-in exactly the channels the contract opens to anonymous callers', () => {
    const anonymous = Object.entries(CONTRACT).filter(([, spec]) => (spec.roles as readonly string[]).includes('anonymous')).map(([name]) => name);
    expect([...PRE_SIGN_IN_CHANNELS].sort()).toEqual(anonymous.sort());
  });

  test('cancels a query in flight, sends the lock, and never sends a signed-in call after it', async () => {
    const sent: string[] = [];
    let answerSummary: (value: unknown) => void = () => undefined;
    (globalThis as { rw?: unknown }).rw = {
      'audit.summary': () => {
        sent.push('audit.summary');
        return new Promise((resolve) => (answerSummary = resolve));
      },
      'session.lock': async () => (sent.push('session.lock'), { ok: true, value: status('locked') }),
      'session.status': async () => (sent.push('session.status'), { ok: true, value: status('locked') }),
    };
    const client = createRwQueryClient();
    client.setQueryData(SESSION_STATUS_KEY, status('unlocked'));
    const key = ['audit.summary', { filter: {} }];
    void client.fetchQuery({ queryKey: key, queryFn: () => rwCall('audit.summary', { filter: {} }) }).catch(() => undefined);
    await Promise.resolve();
    expect(sent).toEqual(['audit.summary']);

    await lockSession(client, 'manual');
    answerSummary({ ok: true, value: { perUser: [] } });
    // The answer that arrives after the lock is dropped; the cache holds nothing of the session.
    expect(client.getQueryData(key)).toBeUndefined();
    // A screen that asks again (a refetch as it unmounts) is refused in the renderer: nothing reaches main.
    await expect(rwCall('audit.summary', { filter: {} })).rejects.toMatchObject({ code: 'VAULT_LOCKED' });
    expect(sent).toEqual(['audit.summary', 'session.lock']);
    // Pre-sign-in channels still go through (the lock screen needs them).
    await expect(rwCall('session.status', {})).resolves.toMatchObject({ vault: 'locked' });

    // Signed in again (the status in the cache says so), calls flow.
    client.setQueryData(SESSION_STATUS_KEY, status('unlocked'));
    void rwCall('audit.summary', { filter: {} });
    expect(sent.at(-1)).toBe('audit.summary');
  });
});
