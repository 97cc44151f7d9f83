/** The real preload: sandboxed, context-isolated; exposes only the API built from ipcRenderer.invoke and .on. */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createApi } from './create-api';

contextBridge.exposeInMainWorld(
  'rw',
  createApi(
    (channel, request) => ipcRenderer.invoke(channel, request),
    (event, deliver) => {
      // Only the payload goes on: the IpcRendererEvent would hand the page ipcRenderer itself.
      const listener = (_event: IpcRendererEvent, payload: unknown) => deliver(payload);
      ipcRenderer.on(event, listener);
      return () => void ipcRenderer.removeListener(event, listener);
    },
  ),
);
