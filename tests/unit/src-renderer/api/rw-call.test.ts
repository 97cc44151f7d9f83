import { afterEach, describe, expect, test } from 'vitest';
import { rwCall } from '../../../../src-renderer/api/rw-call';
import { RwError } from '../../../../src-shared/errors';

function install(fn: (request: unknown) => Promise<unknown>): void {
  (globalThis as { rw?: unknown }).rw = { 'session.status': fn };
}

afterEach(() => {
  delete (globalThis as { rw?: unknown }).rw;
});

describe('rwCall', () => {
  test('unwraps an ok result into its value', async () => {
    install(async () => ({ ok: true, value: { vault: 'none' } }));
    await expect(rwCall('session.status', {})).resolves.toEqual({ vault: 'none' });
  });

  test('turns an error result into RwError with the router code, message and detail', async () => {
    install(async () => ({ ok: false, error: { code: 'LOCKED_OUT', message: 'wait', detail: { retryAfterMs: 5000 } } }));
    const error = await rwCall('session.status', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RwError);
    expect(error).toMatchObject({ code: 'LOCKED_OUT', message: 'wait', detail: { retryAfterMs: 5000 } });
  });

  test.each([
    ['a bridge that throws', async () => Promise.reject(new Error('closed'))],
    ['a malformed answer', async () => ({ nonsense: true })],
    ['null', async () => null],
    ['an error without a code', async () => ({ ok: false, error: {} })],
  ])('gives INTERNAL for %s (never a raw bridge error)', async (_name, fn) => {
    install(fn);
    const error = await rwCall('session.status', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RwError);
    expect((error as RwError).code).toBe('INTERNAL');
  });

  test('refuses when no API is installed', async () => {
    await expect(rwCall('session.status', {})).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
