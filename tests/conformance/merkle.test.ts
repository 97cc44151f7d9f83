import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { verifyConsistency, verifyInclusion } from '../../src-shared/node/merkle';
import { fromBase64 } from '../../src-shared/encoding';
import { conformancePresent, conformanceRoot } from './conformance-root';

const present = conformancePresent('merkle', 'merkle conformance');

function jsonFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? jsonFiles(path.join(dir, entry.name)) : entry.name.endsWith('.json') ? [path.join(dir, entry.name)] : []))
    .sort();
}

const hashes = z.array(z.string()).nullable().transform((list) => (list ?? []).map((h) => fromBase64(h)));
const inclusionCase = z.object({
  leafIdx: z.number(),
  treeSize: z.number(),
  root: z.string().transform((h) => fromBase64(h)),
  leafHash: z.string().transform((h) => fromBase64(h)),
  proof: hashes,
  desc: z.string(),
  wantErr: z.boolean(),
});
const consistencyCase = z.object({
  size1: z.number(),
  size2: z.number(),
  root1: z.string().transform((h) => fromBase64(h)),
  root2: z.string().transform((h) => fromBase64(h)),
  proof: hashes,
  desc: z.string(),
  wantErr: z.boolean(),
});

function load<T>(file: string, schema: z.ZodType<T>): [string, T] {
  return [path.relative(conformanceRoot, file), schema.parse(JSON.parse(fs.readFileSync(file, 'utf8')))];
}

describe.skipIf(!present)('Merkle proof conformance (transparency-dev/merkle testdata)', () => {
  const inclusion = present ? jsonFiles(path.join(conformanceRoot, 'merkle/inclusion')).map((f) => load(f, inclusionCase)) : [];
  const consistency = present ? jsonFiles(path.join(conformanceRoot, 'merkle/consistency')).map((f) => load(f, consistencyCase)) : [];
  let run = 0;
  afterAll(() => console.log(`[merkle conformance] ${run} cases run (${inclusion.length} inclusion, ${consistency.length} consistency)`));

  it('finds the published cases', () => {
    expect(inclusion.length).toBeGreaterThan(50);
    expect(consistency.length).toBeGreaterThan(50);
    expect(inclusion.some(([, c]) => !c.wantErr)).toBe(true);
    expect(consistency.some(([, c]) => !c.wantErr)).toBe(true);
  });

  it.each(inclusion)('inclusion %s', (_file, c) => {
    const verify = () => verifyInclusion(c.leafIdx, c.treeSize, c.leafHash, c.proof, c.root);
    if (c.wantErr) expect(verify).toThrowError(expect.objectContaining({ code: expect.stringMatching(/^(INVALID_INPUT|LOG_DAMAGED)$/) }));
    else expect(verify).not.toThrow();
    run++;
  });

  it.each(consistency)('consistency %s', (_file, c) => {
    const verify = () => verifyConsistency(c.size1, c.size2, c.root1, c.root2, c.proof);
    if (c.wantErr) expect(verify).toThrowError(expect.objectContaining({ code: expect.stringMatching(/^(INVALID_INPUT|LOG_DAMAGED)$/) }));
    else expect(verify).not.toThrow();
    run++;
  });
});
