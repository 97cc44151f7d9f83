import type { BrowserWindow, Dialog } from 'electron';
import { describe, expect, it } from 'vitest';
import { saveDialog } from '../../../../src-main/window/import-dialog';
import { FakeDialog } from '../../../helpers/fake-electron';

const asDialog = (d: FakeDialog) => d as unknown as Pick<Dialog, 'showSaveDialog'>;

describe('the media bundle save dialog', () => {
  it('asks with exactly these options, over the main window, and returns the chosen bundle folder', async () => {
    const dialog = new FakeDialog({ canceled: false, filePath: '/media/usb/bundle-20261207T031500Z-abcdef' });
    const window = { id: 1 } as unknown as BrowserWindow;
    const choose = saveDialog(asDialog(dialog), () => window);
    expect(await choose('Export attestations to removable media', 'bundle-20261207T031500Z-abcdef')).toBe('/media/usb/bundle-20261207T031500Z-abcdef');
    expect(dialog.calls).toEqual([
      {
        method: 'showSaveDialog',
        window,
        options: {
          title: 'Export attestations to removable media',
          defaultPath: 'bundle-20261207T031500Z-abcdef',
          buttonLabel: 'Export here',
          properties: ['createDirectory', 'showOverwriteConfirmation', 'dontAddToRecent'],
        },
      },
    ]);
  });

  it('returns null when cancelled (or no path came back), and works without a window', async () => {
    const cancelled = new FakeDialog({ canceled: true, filePath: '/media/usb/x' });
    expect(await saveDialog(asDialog(cancelled), () => null)('t', 'd')).toBeNull();
    expect(cancelled.calls[0]?.window).toBeNull();
    expect(await saveDialog(asDialog(new FakeDialog({ canceled: false })), () => null)('t', 'd')).toBeNull();
  });
});
