import { describe, expect, it } from 'vitest';
import type { IpcMain } from 'electron';
import { CHANNEL_NAMES } from '../../../../src-shared/ipc/contract';
import { bindRouterToIpc } from '../../../../src-main/ipc/electron-ipc';
import type { SenderInfo } from '../../../../src-main/ipc/router';
import { FakeIpcMain } from '../../../helpers/fake-electron';

describe('Electron IPC adapter', () => {
  function bind() {
    const ipc = new FakeIpcMain();
    const seen: Array<{ channel: string; sender: SenderInfo }> = [];
    bindRouterToIpc(ipc as unknown as IpcMain, {
      handle: async (channel, _payload, sender) => {
        seen.push({ channel, sender });
        return { ok: true, value: null };
      },
    });
    return { ipc, seen };
  }

  it('registers exactly the contract channels', () => {
    const { ipc } = bind();
    expect([...ipc.handlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('reports the main frame as the top frame, a sub-frame as not, and a destroyed frame as foreign', async () => {
    const { ipc, seen } = bind();
    const handler = ipc.handlers.get('session.status');
    const mainFrame = { url: 'app://rw/index.html' };
    await handler?.({ senderFrame: mainFrame, sender: { mainFrame } }, {});
    await handler?.({ senderFrame: { url: 'https://evil.example/' }, sender: { mainFrame } }, {});
    await handler?.({ senderFrame: null, sender: { mainFrame } }, {});
    expect(seen.map((s) => s.sender)).toEqual([
      { url: 'app://rw/index.html', isTopFrame: true },
      { url: 'https://evil.example/', isTopFrame: false },
      { url: '', isTopFrame: false },
    ]);
  });
});
