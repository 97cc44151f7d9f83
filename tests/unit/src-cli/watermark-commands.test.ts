import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src-cli/main';
import { WATERMARK_COMMANDS } from '../../../src-cli/watermark-commands';
import { captureIo } from '../../helpers/cli-io';
import { encodePng, readImageFile } from '../../../src-main/controls/watermark-files';
import { embedTextFingerprint } from '../../../src-shared/watermark/text-fingerprint';
import { DARK_THEME, TYPICAL_PHOTO, compositeOver, simulatePhoto, syntheticPage } from '../../helpers/image-helpers';
import { renderWatermark } from '../../../src-shared/watermark/pattern';
import { encodeJpeg } from '../../../src-main/controls/watermark-files';

const io = (cwd: string) => captureIo(cwd);

const run = async (cwd: string, ...argv: string[]) => {
  const x = io(cwd);
  const code = await runCli(argv, x.io, WATERMARK_COMMANDS);
  return { code, ...x.out };
};

describe('rwctl watermark', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-wm-cli-'));

  it('renders an overlay, and decodes it back from a screenshot composited with it', async () => {
    const rendered = await run(work, 'watermark', 'render', '--code', 'A1B2C3D4E5F6', '--width', '900', '--height', '1100', '--out', 'overlay.png');
    expect(rendered.code).toBe(0);
    const overlay = readImageFile(path.join(work, 'overlay.png'));
    expect([overlay.width, overlay.height]).toEqual([900, 1100]);
    const page = syntheticPage(900, 1100, 4);
    const shot = compositeOver(page, { width: 900, height: 1100, data: new Uint8ClampedArray(overlay.data) });
    fs.writeFileSync(path.join(work, 'shot.png'), encodePng(shot));
    const decoded = await run(work, 'watermark', 'decode', 'shot.png');
    expect(decoded).toMatchObject({ code: 0, stdout: 'a1b2c3d4e5f6\n' });
    const json = await run(work, 'watermark', 'decode', 'shot.png', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ found: true, code: 'a1b2c3d4e5f6' });

    fs.writeFileSync(path.join(work, 'clean.png'), encodePng(page));
    expect(await run(work, 'watermark', 'decode', 'clean.png')).toMatchObject({ code: 1, stdout: 'no watermark\n' });
  });

  it('reads a phone photo of a dark page (tilted, soft, dim, JPEG 70) and says it was read as a photo', async () => {
    const code = Uint8Array.from([0x3c, 0x0f, 0xfe, 0x21, 0x90, 0x07]);
    // One fixed photo: a dark page photographed is the rectifier's hardest case (the phone's gamma
    // shrinks the step on dark pixels) and not every such photo is read: the bench states the rate.
    const screen = compositeOver(syntheticPage(1000, 1000, 10, DARK_THEME), renderWatermark(code, 1000, 1000));
    const photo = simulatePhoto(screen, { ...TYPICAL_PHOTO, keystone: 0, moire: 0.04, width: 1100, height: 900, seed: 10 });
    fs.writeFileSync(path.join(work, 'photo.jpg'), encodeJpeg(photo, 95));
    const json = await run(work, 'watermark', 'decode', 'photo.jpg', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ found: true, code: '3c0ffe219007', evidence: { method: 'photo' } });
  }, 180_000);

  it('reads a text fingerprint, and says so when there is none', async () => {
    const text = 'Reviewers compared the claimed scores with the raw evaluation logs and found two discrepancies. '.repeat(4);
    fs.writeFileSync(path.join(work, 'copied.txt'), embedTextFingerprint(text, Uint8Array.from([0, 1, 2, 3, 4, 5])));
    fs.writeFileSync(path.join(work, 'plain.txt'), text);
    expect(await run(work, 'watermark', 'decode-text', 'copied.txt')).toMatchObject({ code: 0, stdout: '000102030405\n' });
    expect(await run(work, 'watermark', 'decode-text', 'plain.txt')).toMatchObject({ code: 1, stdout: 'no fingerprint\n' });
  });

  it.each<[string, string[], number]>([
    ['code too short', ['watermark', 'render', '--code', 'abc', '--width', '10', '--height', '10', '--out', 'x.png'], 2],
    ['code not hex', ['watermark', 'render', '--code', 'zzzzzzzzzzzz', '--width', '10', '--height', '10', '--out', 'x.png'], 2],
    ['missing --out', ['watermark', 'render', '--code', 'a1b2c3d4e5f6', '--width', '10', '--height', '10'], 2],
    ['width not a number', ['watermark', 'render', '--code', 'a1b2c3d4e5f6', '--width', 'ten', '--height', '10', '--out', 'x.png'], 2],
    ['width zero', ['watermark', 'render', '--code', 'a1b2c3d4e5f6', '--width', '0', '--height', '10', '--out', 'x.png'], 2],
    ['height too large', ['watermark', 'render', '--code', 'a1b2c3d4e5f6', '--width', '10', '--height', '99999', '--out', 'x.png'], 2],
    ['decode without a file', ['watermark', 'decode'], 2],
    ['decode with an unknown option', ['watermark', 'decode', 'x.png', '--fast'], 2],
    ['decode a missing file', ['watermark', 'decode', 'absent.png'], 1],
    ['decode a file that is not an image', ['watermark', 'decode', 'copied.txt'], 1],
    ['decode-text a missing file', ['watermark', 'decode-text', 'absent.txt'], 1],
    ['decode-text a file that is not UTF-8', ['watermark', 'decode-text', 'binary.bin'], 1],
  ])('exits with the contract code: %s', async (_label, argv, expected) => {
    fs.writeFileSync(path.join(work, 'copied.txt'), 'not an image');
    fs.writeFileSync(path.join(work, 'binary.bin'), Uint8Array.from([0xff, 0xfe, 0x00, 0xc3]));
    const result = await run(work, ...argv);
    expect(result.code).toBe(expected);
    expect(result.stderr).toMatch(/^rwctl: /);
  });
});
