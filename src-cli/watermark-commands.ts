/**
 * rwctl watermark …: render a session's overlay exactly as the app draws it, and read the session
 * code back out of a leaked screenshot or copied text (DESIGN.md §7). For auditors and tests; no vault
 * is needed: mapping a code to a session is a lookup in the access log.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { RwError } from '../src-shared/errors';
import { decodeWatermark } from '../src-shared/watermark/decoder';
import { renderWatermark } from '../src-shared/watermark/pattern';
import { sessionCodeFromHex } from '../src-shared/watermark/session-code';
import { extractTextFingerprint } from '../src-shared/watermark/text-fingerprint';
import { readImageFile, writePngFile } from '../src-main/controls/watermark-files';
import { intOption } from './args';
import { EXIT, type Command } from './command';

const MAX_OVERLAY_PX = 16384;
const MAX_TEXT_BYTES = 16 * 1024 * 1024;

export const WATERMARK_COMMANDS: Command[] = [
  {
    path: ['watermark', 'render'],
    summary: 'Write the forensic overlay for a session code as a PNG (RGBA, exactly as the app draws it)',
    positionals: [],
    options: {
      code: { kind: 'string', description: 'Session code, 12 hex digits', required: true },
      width: { kind: 'string', description: 'Width in px', required: true },
      height: { kind: 'string', description: 'Height in px', required: true },
      out: { kind: 'string', description: 'Output PNG file', required: true },
    },
    async run(args, io) {
      const code = sessionCodeFromHex(args.strings['code'] as string);
      if (!code) throw new RwError('USAGE', '--code must be 12 hexadecimal digits (a 48-bit session code).');
      const width = intOption(args, 'width');
      const height = intOption(args, 'height');
      if (width < 1 || height < 1 || width > MAX_OVERLAY_PX || height > MAX_OVERLAY_PX) {
        throw new RwError('USAGE', `--width and --height must be between 1 and ${MAX_OVERLAY_PX}.`);
      }
      const out = resolve(io.cwd, args.strings['out'] as string);
      try {
        writePngFile(out, renderWatermark(code, width, height));
      } catch {
        throw new RwError('INVALID_INPUT', 'Could not write the output file.');
      }
      io.stdout(`Wrote ${width}×${height} overlay for ${(args.strings['code'] as string).toLowerCase()}.\n`);
      return EXIT.ok;
    },
  },
  {
    path: ['watermark', 'decode'],
    summary: 'Read the session code from a screenshot (PNG or JPEG); exit 1 when none is found',
    positionals: [{ name: 'IMAGE', description: 'PNG or JPEG file', required: true }],
    options: { json: { kind: 'boolean', description: 'Print JSON' } },
    async run(args, io) {
      const image = readImageFile(resolve(io.cwd, args.positionals[0] as string));
      const started = performance.now();
      const found = decodeWatermark(image);
      const ms = Math.round(performance.now() - started);
      if (args.booleans['json']) {
        io.stdout(JSON.stringify(found ? { found: true, code: found.code, evidence: found.evidence, ms } : { found: false, ms }) + '\n');
      } else {
        io.stdout(found ? `${found.code}\n` : 'no watermark\n');
      }
      return found ? EXIT.ok : EXIT.refused;
    },
  },
  {
    path: ['watermark', 'decode-text'],
    summary: 'Read the session code from copied text (zero-width or look-alike fingerprint); exit 1 when none',
    positionals: [{ name: 'FILE', description: 'UTF-8 text file', required: true }],
    options: { json: { kind: 'boolean', description: 'Print JSON' } },
    async run(args, io) {
      const path = resolve(io.cwd, args.positionals[0] as string);
      let text: string;
      try {
        if (statSync(path).size > MAX_TEXT_BYTES) throw new RwError('TOO_LARGE', 'The text file is too large.');
        text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
      } catch (error) {
        if (error instanceof RwError) throw error;
        if ((error as { code?: string }).code === 'ENOENT') throw new RwError('NOT_FOUND', 'The text file was not found.');
        throw new RwError('INVALID_INPUT', 'The file is not readable UTF-8 text.');
      }
      const code = extractTextFingerprint(text);
      if (args.booleans['json']) io.stdout(JSON.stringify(code ? { found: true, code } : { found: false }) + '\n');
      else io.stdout(code ? `${code}\n` : 'no fingerprint\n');
      return code ? EXIT.ok : EXIT.refused;
    },
  },
];
