/**
 * Pins how every PDF is opened. The options are one constant; both places that call pdf.js's
 * getDocument (the viewer and the search indexer) must spread it first and never override its keys
 * afterwards, and nothing may load pdf.js's viewer layer, whose scripting manager would run document
 * JavaScript (/OpenAction, /AA) in a sandbox.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOSTILE_PDF_OPTIONS } from '../../../src-shared/pdf-options';
import { listSourceFiles } from '../../helpers/source-files';

const ROOT = join(import.meta.dirname, '../../..');
const CALLERS = ['src-main/search/pdf-units.ts', 'src-renderer/viewers/pdf-viewer.tsx'];

describe('pdf.js getDocument options', () => {
  it('turn off eval and XFA and every fetch', () => {
    expect(HOSTILE_PDF_OPTIONS).toEqual({
      isEvalSupported: false,
      enableXfa: false,
      useWorkerFetch: false,
      disableAutoFetch: true,
      disableStream: true,
      disableRange: true,
      stopAtErrors: false,
    });
  });

  it.each(CALLERS)('%s spreads them first and overrides none of them', (file) => {
    const source = readFileSync(join(ROOT, file), 'utf8');
    const calls = [...source.matchAll(/getDocument\(\{([\s\S]*?)\}\);/g)].map((m) => m[1]!);
    expect(calls).toHaveLength(1);
    const body = calls[0]!.trim();
    expect(body.startsWith('...HOSTILE_PDF_OPTIONS,')).toBe(true);
    for (const key of [...Object.keys(HOSTILE_PDF_OPTIONS), 'enableScripting']) expect(body).not.toMatch(new RegExp(`\\b${key}\\s*:`));
  });

  it('every getDocument call in the sources is one of those', () => {
    const users = listSourceFiles(ROOT).filter((f) => /\bgetDocument\(/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(users.sort()).toEqual([...CALLERS].sort());
  });

  it('nothing loads the pdf.js viewer layer or its scripting', () => {
    const offenders = listSourceFiles(ROOT).filter((f) => /pdfjs-dist\/web\/|pdf_viewer|PDFScriptingManager|pdf\.sandbox|enableScripting/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
