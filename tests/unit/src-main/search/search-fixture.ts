/**
 * A signed package with one distinctive word per source kind, imported with the real importer into a
 * real encrypted content.db, plus a note and a finding: what the search tests look for.
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateKeyPair, publicKeyOf } from '../../../../src-shared/node/crypto';
import { importPackageDetailed, type ImportProgress } from '../../../../src-main/artifacts/import-package';
import { signPackage } from '../../../../src-main/artifacts/sign-package';
import { openTestContentDb, submissionBytes, tempDir, writeFiles, type TestContentDb } from '../../../helpers/package-fixtures';
import { textPdf } from '../../../helpers/text-pdf';
import { generateEvalLog } from '../../../helpers/inspect-log-gen';

/** Word → where it occurs only. */
export const ONLY_IN = {
  pdf: 'quokkaflux',
  md: 'zephyrine',
  text: 'marmolite',
  json: 'ovalbrine',
  csv: 'brindlewick',
  jsonl: 'tessellar',
  note: 'vellichor',
  finding: 'sonderous',
} as const;

export function packageFiles(tag = ''): Record<string, string | Uint8Array> {
  const textLines = Array.from({ length: 400 }, (_, i) => `line ${i + 1} of the training log${tag}`);
  textLines[299] = `the ${ONLY_IN.text} threshold was crossed at step 300, run cyber_ctf_v2 and hash 9f2c4e7a1b3d`;
  return {
    'submission.json': submissionBytes(),
    'model-card.md': ['# Model card', '', 'Intro text about the model.', '', '## Risks', '', `The ${ONLY_IN.md} behaviour appears under stress.`, 'Café résumé naïve.', ''].join('\n'),
    'reports/system-card.pdf': textPdf([['System card, page one', 'Nothing special here.'], ['Second page', `The ${ONLY_IN.pdf} procedure is described here.`], ['Third page']]),
    'logs/train.log': textLines.join('\n') + '\n',
    'eval/results.json': JSON.stringify({ results: [{ name: 'bio', note: `an ${ONLY_IN.json} marker` }] }, null, 2),
    'eval/results.csv': ['name,score,comment', 'a,1,"plain, quoted"', 'b,2,"multi', 'line"', `c,3,${ONLY_IN.csv} row`].join('\r\n') + '\r\n',
    'eval/samples.jsonl': ['{"id":1,"input":"first"}', '', `{"id":2,"input":"the ${ONLY_IN.jsonl} sample"}`].join('\n') + '\n',
    'img/blob.bin': new Uint8Array([0, 1, 2, 3, 255]),
    // Three samples, each with a calculator tool call: one unit per sample.
    'logs/run.eval': generateEvalLog({ samples: 3, method: 'deflate' }),
  };
}

export interface SearchFixture extends TestContentDb {
  caseId: string;
  progress: ImportProgress[];
  importAnother(files?: Record<string, string | Uint8Array>): Promise<string>;
}

const key = generateKeyPair('ecdsa-p256');

export async function importFiles(db: TestContentDb['db'], files: Record<string, string | Uint8Array>, onProgress?: (p: ImportProgress) => void): Promise<string> {
  const dir = tempDir('rw-search-pkg-');
  writeFiles(dir, files);
  await signPackage(dir, key);
  try {
    const result = await importPackageDetailed({ contentDb: db, source: dir, trustedKeys: [publicKeyOf(key)], clock: () => 1_000, ...(onProgress ? { onProgress } : {}) });
    return result.caseId;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function openSearchFixture(): Promise<SearchFixture> {
  const content = openTestContentDb();
  const progress: ImportProgress[] = [];
  const caseId = await importFiles(content.db, packageFiles(), (p) => progress.push(p));
  return { ...content, caseId, progress, importAnother: (files = packageFiles(' again')) => importFiles(content.db, files) };
}

export function vaultFiles(dir: string): string[] {
  return fs.readdirSync(dir).map((f) => path.join(dir, f));
}
