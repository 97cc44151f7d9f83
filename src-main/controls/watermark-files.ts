/**
 * Node-side image file IO for the forensic watermark (rwctl watermark …, bench): PNG through pngjs,
 * JPEG through jpeg-js, both pure JavaScript (no native codec to build on air-gapped laptops). The
 * image type is taken from the file's magic bytes, never its name; sizes are bounded before decoding,
 * because a screenshot handed in for analysis is untrusted input (a decompression bomb must not take
 * the auditor's machine down).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { RwError } from '../../src-shared/errors';
import type { PixelImage } from '../../src-shared/watermark/decoder';
import type { RgbaImage } from '../../src-shared/watermark/pattern';

/** Largest image file accepted. */
export const MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024;
/** Largest decoded image accepted (a 6K screen is 20 MP). */
export const MAX_IMAGE_MEGAPIXELS = 40;

export type ImageKind = 'png' | 'jpeg';

export function sniffImageKind(bytes: Uint8Array): ImageKind | null {
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

function pngDimensions(bytes: Uint8Array): [number, number] | null {
  // IHDR is the first chunk (PNG spec §5.6): width and height at offsets 16 and 20.
  if (bytes.length < 24) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return [view.getUint32(16), view.getUint32(20)];
}

/** Decodes PNG or JPEG bytes into RGBA pixels; refuses other formats and oversized images. */
export function decodeImageBytes(bytes: Uint8Array): PixelImage {
  const kind = sniffImageKind(bytes);
  if (!kind) throw new RwError('INVALID_INPUT', 'Not a PNG or JPEG image.');
  if (bytes.length > MAX_IMAGE_FILE_BYTES) throw new RwError('TOO_LARGE', 'The image file is too large.');
  try {
    if (kind === 'png') {
      const dims = pngDimensions(bytes);
      if (!dims || dims[0] * dims[1] > MAX_IMAGE_MEGAPIXELS * 1e6) throw new RwError('TOO_LARGE', 'The image has too many pixels.');
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_IMAGE_MEGAPIXELS, maxMemoryUsageInMB: 1024 });
    return { width: decoded.width, height: decoded.height, data: decoded.data };
  } catch (error) {
    if (error instanceof RwError) throw error;
    throw new RwError('INVALID_INPUT', `The ${kind.toUpperCase()} image could not be decoded.`);
  }
}

export function readImageFile(path: string): PixelImage {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new RwError('INVALID_INPUT', 'Not a regular file.');
    size = stat.size;
  } catch (error) {
    if (error instanceof RwError) throw error;
    throw new RwError('NOT_FOUND', 'The image file was not found.');
  }
  if (size > MAX_IMAGE_FILE_BYTES) throw new RwError('TOO_LARGE', 'The image file is too large.');
  return decodeImageBytes(new Uint8Array(readFileSync(path)));
}

/** Encodes RGBA (non-premultiplied, as the overlay buffer holds it) as PNG, alpha kept. */
export function encodePng(image: RgbaImage): Uint8Array {
  const png = new PNG({ width: image.width, height: image.height, colorType: 6 });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return new Uint8Array(PNG.sync.write(png, { colorType: 6 }));
}

export function writePngFile(path: string, image: RgbaImage): void {
  writeFileSync(path, encodePng(image));
}

/** JPEG encoding for the bench and tests (recompression is one of the attacks measured). */
export function encodeJpeg(image: RgbaImage, quality: number): Uint8Array {
  const data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return new Uint8Array(jpeg.encode({ width: image.width, height: image.height, data }, quality).data);
}
