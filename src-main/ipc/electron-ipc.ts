/**
 * The Electron adapter of the router: one ipcMain handler per contract channel, each feeding the
 * router the sender facts it checks and a way back to that sender's window. The only file under ipc/
 * that knows Electron.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { CHANNEL_NAMES } from '../../src-shared/ipc/contract';
import type { EventSink } from '../../src-shared/ipc/events';
import type { Router, SenderInfo } from './router';

export function senderOf(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  // A frame that navigated away or was destroyed reports null: treat it as a foreign sender.
  if (!frame) return { url: '', isTopFrame: false };
  return { url: frame.url, isTopFrame: frame === event.sender.mainFrame };
}

/**
 * Events go to the webContents that made the call, never to every window (no broadcast): another
 * window, had one been opened, must not learn of this window's imports.
 */
export function eventSinkOf(event: IpcMainInvokeEvent): EventSink {
  const contents = event.sender;
  return (name, payload) => {
    // The window may close mid-import; sending to a destroyed webContents throws.
    if (!contents.isDestroyed()) contents.send(name, payload);
  };
}

export function bindRouterToIpc(ipcMain: IpcMain, router: Router): void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, (event, payload: unknown) => router.handle(channel, payload, senderOf(event), eventSinkOf(event)));
  }
}
