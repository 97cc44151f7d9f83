/**
 * The watermark overlay's renderer entry (see ARCHITECTURE: insider-risk controls): a separate, sandboxed, preload-less page in
 * main's own transparent, click-through, always-on-top window over the app. Its only input is its own
 * URL fragment, which only the main process sets (loadURL); it exposes nothing, listens to no message,
 * storage or channel, and the content renderer holds no reference to it — so the content cannot reach,
 * restyle or hide it.
 */
import { decodeOverlayPayload, LOCKED_OVERLAY, type OverlayPayload } from '../src-shared/overlay-payload';
import { paintOverlay } from './draw-overlay';

const canvas = document.getElementById('overlay');
let payload: OverlayPayload = LOCKED_OVERLAY;
let minuteTimer: ReturnType<typeof setTimeout> | undefined;

function paint(): void {
  if (!(canvas instanceof HTMLCanvasElement)) return;
  paintOverlay(canvas, payload, { cssWidth: window.innerWidth, cssHeight: window.innerHeight, devicePixelRatio: window.devicePixelRatio || 1 }, Date.now());
  document.documentElement.dataset['state'] = payload.code === null ? 'locked' : 'session';
}

/** The time field shows minutes: repaint at each minute boundary. */
function scheduleMinute(): void {
  clearTimeout(minuteTimer);
  minuteTimer = setTimeout(
    () => {
      paint();
      scheduleMinute();
    },
    60_000 - (Date.now() % 60_000) + 50,
  );
}

function readPayload(): void {
  // Anything that is not a valid payload draws nothing rather than a stale or partial watermark.
  payload = decodeOverlayPayload(window.location.hash) ?? LOCKED_OVERLAY;
  paint();
}

window.addEventListener('hashchange', readPayload);
window.addEventListener('resize', paint);
readPayload();
scheduleMinute();
