import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { isRwError } from '../../../../src-shared/errors';
import { renderWatermark } from '../../../../src-shared/watermark/pattern';
import { decodeImageBytes, encodeJpeg, encodePng, readImageFile, sniffImageKind, writePngFile } from '../../../../src-main/controls/watermark-files';

const code = Uint8Array.from([1, 2, 3, 4, 5, 6]);
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'rw-wm-files-'));

function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return isRwError(error) ? error.code : 'not an RwError';
  }
  return 'no error';
}

describe('watermark image files', () => {
  it('writes the overlay as RGBA PNG and reads back the same pixels', () => {
    const overlay = renderWatermark(code, 300, 200);
    const file = path.join(tmp(), 'overlay.png');
    writePngFile(file, overlay);
    const back = readImageFile(file);
    expect([back.width, back.height]).toEqual([300, 200]);
    expect(Buffer.from(back.data)).toEqual(Buffer.from(overlay.data));
  });

  it('decodes JPEG to RGBA of the right size', () => {
    const img = renderWatermark(code, 120, 80);
    const bytes = encodeJpeg(img, 80);
    expect(sniffImageKind(bytes)).toBe('jpeg');
    const back = decodeImageBytes(bytes);
    expect([back.width, back.height, back.data.length]).toEqual([120, 80, 120 * 80 * 4]);
  });

  it('sniffs by content, not by name', () => {
    const dir = tmp();
    const file = path.join(dir, 'really-a-png.jpg');
    fs.writeFileSync(file, encodePng(renderWatermark(code, 64, 64)));
    expect(readImageFile(file).width).toBe(64);
  });

  const png = encodePng(renderWatermark(code, 64, 64));
  const jpeg = encodeJpeg(renderWatermark(code, 64, 64), 80);
  const hugePng = (() => {
    const p = new PNG({ width: 1, height: 1 });
    const bytes = new Uint8Array(PNG.sync.write(p));
    const view = new DataView(bytes.buffer);
    view.setUint32(16, 100000);
    view.setUint32(20, 100000);
    return bytes;
  })();
  it.each<[string, Uint8Array, string]>([
    ['empty file', new Uint8Array(0), 'INVALID_INPUT'],
    ['text file', new TextEncoder().encode('hello, not an image'), 'INVALID_INPUT'],
    ['GIF', new TextEncoder().encode('GIF89a....'), 'INVALID_INPUT'],
    ['truncated PNG', png.subarray(0, 40), 'INVALID_INPUT'],
    ['PNG with a corrupted body', Uint8Array.from(png, (b, i) => (i > 60 ? b ^ 0x5a : b)), 'INVALID_INPUT'],
    ['truncated JPEG', jpeg.subarray(0, 30), 'INVALID_INPUT'],
    ['PNG declaring 10 gigapixels', hugePng, 'TOO_LARGE'],
  ])('refuses %s', (_label, bytes, expected) => {
    expect(errorCode(() => decodeImageBytes(bytes))).toBe(expected);
  });

  it('reports a missing file as NOT_FOUND and a folder as INVALID_INPUT', () => {
    const dir = tmp();
    expect(errorCode(() => readImageFile(path.join(dir, 'absent.png')))).toBe('NOT_FOUND');
    expect(errorCode(() => readImageFile(dir))).toBe('INVALID_INPUT');
  });
});
