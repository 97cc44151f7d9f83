/**
 * Property test for the evidence zip reader (DESIGN §2: "parsers fuzzed"): thousands of mutations of a
 * small .eval archive (stored and deflated entries) and random bytes. Opening and reading every entry
 * either yields bytes or throws an RwError; an entry that reads under its original name reads as
 * written (CRC-32 and declared sizes catch what the mutation changed).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRwError } from '../../../../src-shared/errors';
import { EvalArchive, DEFAULT_EVAL_LIMITS } from '../../../../src-main/evidence/eval-archive';
import { memorySource } from '../../../../src-main/evidence/log-source';
import { buildZip } from '../../../helpers/eval-zip';
import { mutated } from '../../../helpers/byte-mutations';

const text = (s: string) => new TextEncoder().encode(s);
const original = new Map([
  ['header.json', text('{"eval":{"task":"cyber_ctf"},"status":"success"}')],
  ['samples/1_epoch_1.json', text(JSON.stringify({ id: 1, input: 'x'.repeat(300), output: 'y' }))],
  ['summaries.json', text('[]')],
]);
const valid = buildZip([
  { name: 'header.json', data: original.get('header.json')!, method: 'stored' },
  { name: 'samples/1_epoch_1.json', data: original.get('samples/1_epoch_1.json')!, method: 'deflate' },
  { name: 'summaries.json', data: original.get('summaries.json')!, method: 'deflate' },
]);
const zipTokens = ['PK\u0001\u0002', 'PK\u0003\u0004', 'PK\u0005\u0006', 'PK\u0006\u0006', 'PK\u0006\u0007', '\u00ff\u00ff\u00ff\u00ff', '../', '/', '\u0000'];
const limits = { ...DEFAULT_EVAL_LIMITS, maxEntryBytes: 1024 * 1024 };

async function typed<T>(run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    expect(isRwError(error), String(error)).toBe(true);
    return undefined;
  }
}

describe('EvalArchive under mutation', () => {
  it('opens and reads every entry, or refuses with a typed error; what reads under an original name is what was written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated(() => valid, zipTokens), fc.uint8Array({ maxLength: 512 })), async (bytes) => {
        const archive = await typed(() => EvalArchive.open(memorySource(bytes), limits));
        if (!archive) return;
        for (const name of archive.entries.keys()) {
          const data = await typed(() => archive.read(name));
          if (data !== undefined && original.has(name)) expect(Uint8Array.from(data)).toEqual(original.get(name));
        }
      }),
      { numRuns: 1500 },
    );
  });
});
