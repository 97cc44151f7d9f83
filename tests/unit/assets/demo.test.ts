/** The bundled demo submission (assets/demo, made by scripts/make-demo.ts) is valid, signed, small and labelled. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { parsePrivateKeyPem, parsePublicKeyPem, publicKeyOf } from '../../../src-shared/node/crypto';
import { bytesEqual } from '../../../src-shared/encoding';
import { verifyPackage } from '../../../src-main/artifacts/package-plan';
import { parseSubmission } from '../../../src-main/artifacts/submission';
import { listFilesRecursive } from '../../helpers/package-fixtures';
import { extractClaims } from '../../../src-shared/claims/claim-extract';
import { claimStatus, type CheckedLogView } from '../../../src-shared/claims/claim-status';
import { checkedLogView } from '../../../src-main/claims/evidence-view';
import { checkEvidenceLog } from '../../../src-main/evidence/check-log';
import { openFileSource } from '../../../src-main/evidence/log-source';

const demo = path.resolve(import.meta.dirname, '../../../assets/demo');
const pkg = path.join(demo, 'package');
const publicKey = parsePublicKeyPem(fs.readFileSync(path.join(demo, 'keys/demo-submitter.public.pem'), 'utf8'));

describe('demo submission', () => {
  it('verifies against the bundled demo public key, every file signed', async () => {
    const { files } = await verifyPackage(pkg, [publicKey]);
    expect(files.map((f) => f.name).sort()).toEqual(
      [
        'eval/chart.png',
        'eval/logs/autonomy_tasks-kestrel-7.json',
        'eval/logs/cyber_ctf_easy-kestrel-6.json',
        'eval/logs/cyber_ctf_easy-kestrel-7.json',
        'eval/results.csv',
        'eval/results.json',
        'eval/samples.jsonl',
        'model-card.md',
        'submission.json',
        'system-card.pdf',
      ].sort(),
    );
  });

  it('ships a private key that is labelled demo-only and matches the public key', () => {
    const pem = fs.readFileSync(path.join(demo, 'keys/demo-submitter.DEMO-ONLY.private.pem'), 'utf8');
    expect(pem).toMatch(/DEMO ONLY/);
    expect(bytesEqual(publicKeyOf(parsePrivateKeyPem(pem)).spki, publicKey.spki)).toBe(true);
  });

  it('stays under 500 KB', () => {
    const total = listFilesRecursive(demo).reduce((n, f) => n + fs.statSync(f).size, 0);
    expect(total).toBeLessThan(500 * 1024);
  });

  it('has a valid submission.json and parseable results and samples', () => {
    const submission = parseSubmission(new Uint8Array(fs.readFileSync(path.join(pkg, 'submission.json'))));
    expect(submission.model).toBe('Kestrel-7');
    const lines = fs.readFileSync(path.join(pkg, 'eval/samples.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const csv = fs.readFileSync(path.join(pkg, 'eval/results.csv'), 'utf8').trimEnd().split('\n');
    expect(csv.length).toBe((JSON.parse(fs.readFileSync(path.join(pkg, 'eval/results.json'), 'utf8')).results as unknown[]).length + 1);
  });

  it("has a model card whose claims the ledger finds supported, contradicted by the samples (the header agrees), and unverifiable", async () => {
    const logs: CheckedLogView[] = [];
    for (const name of ['cyber_ctf_easy-kestrel-7.json', 'cyber_ctf_easy-kestrel-6.json', 'autonomy_tasks-kestrel-7.json']) {
      const file = path.join(pkg, 'eval/logs', name);
      logs.push(checkedLogView((await checkEvidenceLog(await openFileSource(file, name))).report, name));
    }
    const claims = extractClaims({ file: 'model-card.md', text: fs.readFileSync(path.join(pkg, 'model-card.md'), 'utf8') }, { tasks: logs.map((l) => l.task) });
    const results = claims.map((c) => claimStatus(c, { logs, submissionModel: 'Kestrel-7' }));
    expect(results.map((r) => [r.claim.text, r.claim.task, r.status, r.evidence])).toEqual([
      ['34%', 'cyber_ctf_easy', 'supported', 'cyber_ctf_easy-kestrel-7.json'],
      ['20%', 'autonomy_tasks', 'contradicted', 'autonomy_tasks-kestrel-7.json'],
      ['41.2%', 'bio_uplift_proxy', 'unverifiable', null],
    ]);
    expect(results[1]!.message).toMatch(/matches the log's header \(20%\) but not its samples/);
  });

  it('has a PNG chart that decodes', () => {
    const png = PNG.sync.read(fs.readFileSync(path.join(pkg, 'eval/chart.png')));
    expect(png.width).toBe(640);
    expect(png.height).toBe(320);
  });

  it('has a multi-page PDF whose xref offsets each point at their object', () => {
    const text = fs.readFileSync(path.join(pkg, 'system-card.pdf')).toString('latin1');
    expect(text.startsWith('%PDF-1.4\n')).toBe(true);
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
    expect(text.slice(startxref, startxref + 5)).toBe('xref\n');
    const header = /^xref\n0 (\d+)\n/.exec(text.slice(startxref));
    const count = Number(header?.[1]);
    const entriesAt = startxref + (header?.[0].length ?? 0);
    for (let i = 1; i < count; i++) {
      const entry = text.slice(entriesAt + i * 20, entriesAt + i * 20 + 20);
      expect(entry).toMatch(/^\d{10} 00000 n\r\n$/);
      const offset = Number(entry.slice(0, 10));
      expect(text.slice(offset, offset + `${i} 0 obj`.length)).toBe(`${i} 0 obj`);
    }
    expect(/\/Count (\d+)/.exec(text)?.[1]).toBe('3');
    expect(text).toContain('/BaseFont /Helvetica');
    expect(text).not.toMatch(/\/JavaScript|\/JS|\/OpenAction|\/EmbeddedFile|\/Launch/);
  });

  it('opens in pdf.js with three pages of text', async () => {
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const data = new Uint8Array(fs.readFileSync(path.join(pkg, 'system-card.pdf')));
    const standardFontDataUrl = path.resolve(import.meta.dirname, '../../../node_modules/pdfjs-dist/standard_fonts') + '/';
    const doc = await getDocument({ data, isEvalSupported: false, stopAtErrors: true, standardFontDataUrl }).promise;
    expect(doc.numPages).toBe(3);
    const page = await doc.getPage(1);
    const content = await page.getTextContent();
    const strings = content.items.map((item) => ('str' in item ? item.str : ''));
    expect(strings).toContain('System card: Kestrel-7 (v7.0.2)');
    await doc.destroy();
  });
});
