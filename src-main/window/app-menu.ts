/**
 * The application menu. It has no print role and no reload, DevTools or view-source entries: printing
 * leaves only through the gated export flow, and the debugging shortcuts are not there to be pressed.
 */
import type { MenuItemConstructorOptions } from 'electron';

export function applicationMenuTemplate(platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
  };
  const window: MenuItemConstructorOptions = { label: 'Window', submenu: [{ role: 'minimize' }, { role: 'close' }] };
  if (platform === 'darwin') return [{ label: 'Reviewer Workstation', submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'quit' }] }, edit, window];
  return [{ label: 'File', submenu: [{ role: 'quit' }] }, edit, window];
}
