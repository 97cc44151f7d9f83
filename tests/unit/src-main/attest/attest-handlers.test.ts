/**
 * The media export's destination in the app: main's save dialog decides, a folder sent by the renderer
 * is refused before anything is opened, cancelling writes nothing, and a file in the way is refused.
 * (Writing a bundle on a real vault, to the default folder and a typed one, is in tests/integration/attest-ipc.test.ts.)
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attestHandlers, type AttestHandlerDeps } from '../../../../src-main/attest/attest-handlers';
import type { CallContext } from '../../../../src-main/ipc/router';
import { DEFAULT_POLICY } from '../../../../src-shared/policy';

function setup(choose: (title: string, name: string) => Promise<string | null>) {
  const asked: Array<[string, string]> = [];
  const described: unknown[] = [];
  const deps = {
    dataDir: mkdtempSync(join(tmpdir(), 'rw-attest-h-')),
    // Only the session's presence is read before the destination is settled.
    sessions: { require: () => ({}) } as unknown as AttestHandlerDeps['sessions'],
    policy: () => DEFAULT_POLICY,
    clock: () => Date.UTC(2026, 11, 7, 3, 15),
    sessionLog: () => {
      throw new Error('nothing may be logged by the service here');
    },
    chooseSaveTarget: async (title: string, name: string) => {
      asked.push([title, name]);
      return choose(title, name);
    },
  } satisfies AttestHandlerDeps;
  const ctx = { session: { role: 'reviewer', user: 'avery' }, describe: (...a: unknown[]) => void described.push(a), emit: () => undefined } as unknown as CallContext;
  return { handler: attestHandlers(deps)['sync.exportMedia'], ctx, asked, described, dataDir: deps.dataDir };
}

describe('sync.exportMedia with the system save dialog', () => {
  it('refuses a folder named by the renderer without asking or writing', async () => {
    const s = setup(async () => '/media/usb/b');
    await expect(s.handler({ folder: '/media/usb' }, s.ctx)).rejects.toMatchObject({ code: 'DENIED' });
    expect(s.asked).toEqual([]);
    expect(readdirSync(s.dataDir)).toEqual([]);
  });

  it('asks with a fresh bundle name; cancelling writes nothing and says so', async () => {
    const s = setup(async () => null);
    expect(await s.handler({}, s.ctx)).toEqual({ cancelled: true });
    expect(s.asked).toEqual([['Export attestations to removable media', expect.stringMatching(/^bundle-20261207T031500Z-[0-9a-f]{6}$/)]]);
    expect(s.described).toEqual([[{ kind: 'bundle', id: s.asked[0]![1] }, { destination: 'cancelled' }]]);
    expect(readdirSync(s.dataDir)).toEqual([]);
  });

  it('refuses a chosen name where a file already is', async () => {
    const drive = mkdtempSync(join(tmpdir(), 'rw-usb-'));
    writeFileSync(join(drive, 'taken'), 'x');
    const s = setup(async () => join(drive, 'taken'));
    await expect(s.handler({}, s.ctx)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(readdirSync(drive)).toEqual(['taken']);
  });
});
