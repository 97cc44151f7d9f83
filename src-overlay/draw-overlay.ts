/**
 * What the overlay paints (see ARCHITECTURE: insider-risk controls): the visible watermark — tiled diagonal text naming reviewer,
 * workstation, session code, UTC time and classification — and, over it, the forensic pattern of the
 * session code (src-shared/watermark/pattern.ts) tiled 1:1 in device pixels from the window's top-left
 * corner, so a screenshot holds exactly the pixels `rwctl watermark render` writes and
 * `rwctl watermark decode` expects. The pattern is drawn last so that, outside the text, every overlay
 * pixel is the pattern's pixel unchanged.
 */
import { overlayLine, type OverlayPayload } from '../src-shared/overlay-payload';
import { renderWatermarkTile } from '../src-shared/watermark/pattern';
import { sessionCodeFromHex } from '../src-shared/watermark/session-code';

export interface OverlayGeometry {
  /** CSS pixels of the window. */
  cssWidth: number;
  cssHeight: number;
  devicePixelRatio: number;
}

/** Text layout in CSS px: font size, diagonal angle and spacing between repeats. */
const FONT_PX = 15;
const ANGLE = -Math.PI / 6;
const ROW_PITCH = 120;
const GAP = 96;

/** Mid grey at low alpha reads on both the light and the dark theme without hiding the page. */
const TEXT_FILL = 'rgba(128, 128, 128, 0.26)';

export function deviceSize(g: OverlayGeometry): { width: number; height: number } {
  return { width: Math.max(1, Math.round(g.cssWidth * g.devicePixelRatio)), height: Math.max(1, Math.round(g.cssHeight * g.devicePixelRatio)) };
}

function drawText(ctx: CanvasRenderingContext2D, line: string, g: OverlayGeometry): void {
  ctx.save();
  ctx.scale(g.devicePixelRatio, g.devicePixelRatio);
  ctx.font = `600 ${FONT_PX}px system-ui, "DejaVu Sans", "Liberation Sans", sans-serif`;
  ctx.fillStyle = TEXT_FILL;
  ctx.textBaseline = 'middle';
  const period = ctx.measureText(line).width + GAP;
  // Rotate about the centre and cover the window's whole diagonal, so no corner is left unmarked.
  const reach = Math.hypot(g.cssWidth, g.cssHeight);
  ctx.translate(g.cssWidth / 2, g.cssHeight / 2);
  ctx.rotate(ANGLE);
  let row = 0;
  for (let y = -reach / 2; y <= reach / 2; y += ROW_PITCH, row++) {
    const shift = (row % 2) * (period / 2);
    for (let x = -reach / 2 - period + shift; x <= reach / 2; x += period) ctx.fillText(line, x, y);
  }
  ctx.restore();
}

function drawPattern(ctx: CanvasRenderingContext2D, code: Uint8Array, width: number, height: number): void {
  const tile = renderWatermarkTile(code);
  const tileCanvas = document.createElement('canvas');
  tileCanvas.width = tile.width;
  tileCanvas.height = tile.height;
  const tctx = tileCanvas.getContext('2d');
  if (!tctx) return;
  tctx.putImageData(new ImageData(new Uint8ClampedArray(tile.data), tile.width, tile.height), 0, 0);
  const pattern = ctx.createPattern(tileCanvas, 'repeat');
  if (!pattern) return;
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = pattern;
  ctx.fillRect(0, 0, width, height);
  ctx.restore();
}

/** Sizes the canvas to device pixels and paints the payload at time `now` (clears when locked). */
export function paintOverlay(canvas: HTMLCanvasElement, payload: OverlayPayload, g: OverlayGeometry, now: number): void {
  const { width, height } = deviceSize(g);
  canvas.width = width;
  canvas.height = height;
  // CSSOM, not a style attribute: allowed under style-src 'self'.
  canvas.style.width = `${g.cssWidth}px`;
  canvas.style.height = `${g.cssHeight}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.clearRect(0, 0, width, height);
  const code = payload.code === null ? null : sessionCodeFromHex(payload.code);
  if (!code) return;
  const line = overlayLine(payload, now);
  if (line.length > 0) drawText(ctx, line, g);
  drawPattern(ctx, code, width, height);
}
