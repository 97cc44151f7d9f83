/**
 * Installs the renderer's share of the insider-risk controls before the app renders: the print guard
 * in every frame and the viewer copy guard, both reporting through the one IPC module (rw-call.ts).
 */
import { rwCall } from '../api/rw-call';
import { useAnnounceStore } from '../state/announce-store';
import { registerStoreReset } from '../state/store-reset';
import { useWorkspaceStore } from '../state/workspace-store';
import { installCopyGuard } from './copy-guard';
import { installPrintGuard } from './print-guard';
import './print-block.css';

export function installRendererControls(win: Window): void {
  installPrintGuard(win, (where) => {
    // A refusal to log (e.g. while locked) is itself logged by the router; nothing to show here.
    void rwCall('controls.printAttempt', { where }).catch(() => undefined);
    useAnnounceStore.getState().announce('Printing is not available. Use Export excerpt, which is logged and watermarked.');
  });
  const guard = installCopyGuard(win.document, {
    artifactId: () => useWorkspaceStore.getState().artifactId,
    status: () => rwCall('controls.status', {}),
    copyAttempt: (request) => rwCall('controls.copyAttempt', request),
    copy: (request) => rwCall('controls.copy', request),
    writeClipboard: (text) => win.navigator.clipboard.writeText(text),
    announce: (message) => useAnnounceStore.getState().announce(message),
  });
  // Lock forgets the cached policy with every other piece of session state.
  registerStoreReset(() => guard.reset());
}
