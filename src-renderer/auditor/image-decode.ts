/**
 * Reads the forensic watermark from an image file the auditor drops or picks, inside the renderer:
 * the decoder is pure (src-shared), so the image never has to leave the auditor's screen to be read,
 * and only the recovered code goes to the main process (the ordinary, logged resolve channel).
 * The browser decodes the file (PNG, JPEG, WebP…) into pixels; very large photos are drawn scaled to
 * at most MAX_PIXELS, which the decoder's own downsampling would do anyway.
 */
import { decodeWatermark, type WatermarkDecode } from '../../src-shared/watermark/decoder';

const MAX_FILE_BYTES = 50 * 1024 * 1024;
const MAX_PIXELS = 16_000_000;

export type ImageDecodeOutcome = { kind: 'found'; decode: WatermarkDecode } | { kind: 'none' } | { kind: 'refused'; message: string };

export async function decodeImageFile(file: File): Promise<ImageDecodeOutcome> {
  if (!file.type.startsWith('image/')) return { kind: 'refused', message: 'That file is not an image.' };
  if (file.size > MAX_FILE_BYTES) return { kind: 'refused', message: 'That image is larger than 50 MB.' };
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return { kind: 'refused', message: 'That image could not be read.' };
  }
  try {
    const shrink = Math.min(1, Math.sqrt(MAX_PIXELS / (bitmap.width * bitmap.height)));
    const width = Math.max(1, Math.round(bitmap.width * shrink));
    const height = Math.max(1, Math.round(bitmap.height * shrink));
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return { kind: 'refused', message: 'That image could not be read.' };
    ctx.drawImage(bitmap, 0, 0, width, height);
    const { data } = ctx.getImageData(0, 0, width, height);
    // Let the "Reading…" status paint before the (synchronous) search starts.
    await new Promise((r) => setTimeout(r, 0));
    const decode = decodeWatermark({ width, height, data });
    return decode ? { kind: 'found', decode } : { kind: 'none' };
  } finally {
    bitmap.close();
  }
}
