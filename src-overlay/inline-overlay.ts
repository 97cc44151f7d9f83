/**
 * The same overlay, drawn inside the page instead of in a window of its own: for the browser preview,
 * which has no second, always-on-top window to put it in (and whose CSP forbids frames). The preview
 * process bundles this file and evaluates it in the page with the payload (as the overlay window reads
 * its URL fragment); paintOverlay is the very function the Electron overlay runs, so screenshots of the
 * preview carry the same pattern. Unlike Electron's, this canvas lives in the page's own document, so
 * the page could remove it: the preview says that its Electron-only controls are not in force.
 */
import { decodeOverlayPayload, LOCKED_OVERLAY } from '../src-shared/overlay-payload';
import { paintOverlay } from './draw-overlay';

const CANVAS_ID = 'rw-preview-overlay';

export function paint(hash: string): void {
  let canvas = document.getElementById(CANVAS_ID);
  if (!(canvas instanceof HTMLCanvasElement)) {
    canvas = document.createElement('canvas');
    canvas.id = CANVAS_ID;
    canvas.setAttribute('aria-hidden', 'true');
    // CSSOM, not a style attribute: allowed under style-src 'self'.
    canvas.style.position = 'fixed';
    canvas.style.left = '0';
    canvas.style.top = '0';
    canvas.style.pointerEvents = 'none';
    canvas.style.zIndex = '2147483647';
    document.documentElement.appendChild(canvas);
  }
  const target = canvas as HTMLCanvasElement;
  target.dataset['hash'] = hash;
  const draw = () => {
    const payload = decodeOverlayPayload(target.dataset['hash'] ?? '') ?? LOCKED_OVERLAY;
    paintOverlay(target, payload, { cssWidth: window.innerWidth, cssHeight: window.innerHeight, devicePixelRatio: window.devicePixelRatio || 1 }, Date.now());
    document.documentElement.dataset['overlay'] = payload.code === null ? 'locked' : 'session';
  };
  if (!target.dataset['listening']) {
    target.dataset['listening'] = '1';
    window.addEventListener('resize', draw);
  }
  draw();
}
