/**
 * The system file chooser for a submission package, opened by main so the renderer never holds a path:
 * a .zip file or a folder, removable media included (the dialog lists mounted drives). The chosen path
 * goes straight to the importer, which judges the package exactly as `rwctl import` does.
 */
import type { BrowserWindow, Dialog } from 'electron';

export function importDialog(dialog: Pick<Dialog, 'showOpenDialog'>, parent: () => BrowserWindow | null): (kind: 'zip' | 'folder') => Promise<string | null> {
  return async (kind) => {
    const options: Electron.OpenDialogOptions =
      kind === 'zip'
        ? { title: 'Import a submission package (.zip)', properties: ['openFile', 'dontAddToRecent'], filters: [{ name: 'Submission package', extensions: ['zip'] }] }
        : { title: 'Import a submission package folder', properties: ['openDirectory', 'dontAddToRecent'] };
    const window = parent();
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
}

/** A folder (or removable drive) for a file main writes, such as the enrollment request. */
export function folderDialog(dialog: Pick<Dialog, 'showOpenDialog'>, parent: () => BrowserWindow | null): (title: string) => Promise<string | null> {
  return async (title) => {
    const options: Electron.OpenDialogOptions = { title, properties: ['openDirectory', 'createDirectory', 'dontAddToRecent'] };
    const window = parent();
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
}

/** One file main reads, such as the enrollment approval. */
export function fileDialog(dialog: Pick<Dialog, 'showOpenDialog'>, parent: () => BrowserWindow | null): (title: string) => Promise<string | null> {
  return async (title) => {
    const options: Electron.OpenDialogOptions = { title, properties: ['openFile', 'dontAddToRecent'], filters: [{ name: 'Approval bundle', extensions: ['json'] }] };
    const window = parent();
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
}

/**
 * Where a media bundle goes: the save dialog names the bundle folder main creates (on a removable
 * drive, typically). `showOverwriteConfirmation` guards an existing name; main still refuses a folder
 * that is not empty, so nothing else travels with the bundle.
 */
export function saveDialog(dialog: Pick<Dialog, 'showSaveDialog'>, parent: () => BrowserWindow | null): (title: string, defaultName: string) => Promise<string | null> {
  return async (title, defaultName) => {
    const options: Electron.SaveDialogOptions = {
      title,
      defaultPath: defaultName,
      buttonLabel: 'Export here',
      properties: ['createDirectory', 'showOverwriteConfirmation', 'dontAddToRecent'],
    };
    const window = parent();
    const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  };
}
