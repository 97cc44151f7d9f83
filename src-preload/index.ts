/** The real preload: sandboxed, context-isolated; exposes only the API built from ipcRenderer.invoke. */
import { contextBridge, ipcRenderer } from 'electron';
import { createApi } from './create-api';

contextBridge.exposeInMainWorld('rw', createApi((channel, request) => ipcRenderer.invoke(channel, request)));
