/**
 * The Electron adapter of the router: one ipcMain handler per contract channel, each feeding the
 * router the sender facts it checks. The only file under ipc/ that knows Electron.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { CHANNEL_NAMES } from '../../src-shared/ipc/contract';
import type { Router, SenderInfo } from './router';

export function senderOf(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  // A frame that navigated away or was destroyed reports null: treat it as a foreign sender.
  if (!frame) return { url: '', isTopFrame: false };
  return { url: frame.url, isTopFrame: frame === event.sender.mainFrame };
}

export function bindRouterToIpc(ipcMain: IpcMain, router: Router): void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, (event, payload: unknown) => router.handle(channel, payload, senderOf(event)));
  }
}
