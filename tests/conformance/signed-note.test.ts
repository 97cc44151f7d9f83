import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openNote, parseSignerKey, parseVerifierKey, signNote } from '../../src-shared/node/signed-note';
import { emptyRoot, leafHash, nodeHash, rootOf } from '../../src-shared/node/merkle';
import { fromHex, toHex, utf8 } from '../../src-shared/encoding';
import { conformancePresent, readConformanceJson } from './conformance-root';

const present = conformancePresent('signed-note/vectors.json', 'signed-note conformance');

const vectorsSchema = z.object({
  c2spExample: z.object({ vkey: z.string(), note: z.string(), verifies: z.literal(true) }),
  sumdbGolden: z.object({
    skey: z.string(),
    vkey: z.string(),
    text: z.string(),
    signatureLineBase64: z.string(),
    secondVkey: z.string(),
    secondSignatureLineBase64: z.string(),
  }),
  merkleHashes: z.object({
    emptyTree: z.string(),
    emptyLeaf: z.string(),
    leaf_L123456: z.string(),
    node_N123_N456: z.string(),
    ctTreeLeavesHex: z.array(z.string()),
    ctTreeRoot: z.string(),
  }),
});

describe.skipIf(!present)('signed-note conformance (C2SP example, Go sumdb/note golden, RFC 6962 hashes)', () => {
  const v = present ? vectorsSchema.parse(readConformanceJson('signed-note/vectors.json')) : undefined;
  let cases = 0;
  afterAll(() => console.log(`[signed-note conformance] ${cases} cases run`));

  it('verifies the C2SP signed-note example and returns its text', () => {
    const verifier = parseVerifierKey(v!.c2spExample.vkey);
    const opened = openNote(utf8(v!.c2spExample.note), [verifier]);
    expect(opened.text).toBe(v!.c2spExample.note.slice(0, v!.c2spExample.note.lastIndexOf('\n\n') + 1));
    expect(opened.verifiedBy.map((s) => s.name)).toEqual(['example.com/foo']);
    // Altering one character of the text breaks it.
    const altered = v!.c2spExample.note.replace('example message', 'example massage');
    expect(() => openNote(altered, [verifier])).toThrowError(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
    cases++;
  });

  it('reproduces the sumdb/note golden signature from the golden signer key and verifies it', () => {
    const g = v!.sumdbGolden;
    const signer = parseSignerKey(g.skey);
    const verifier = parseVerifierKey(g.vkey);
    expect(signer.keyId).toBe(verifier.keyId);
    const note = signNote(g.text, [signer]);
    expect(note).toBe(`${g.text}\n\u2014 PeterNeumann ${g.signatureLineBase64}\n`);
    expect(openNote(note, [verifier]).text).toBe(g.text);
    cases++;
  });

  it('verifies the two-signature golden note with either or both verifiers', () => {
    const g = v!.sumdbGolden;
    const peter = parseVerifierKey(g.vkey);
    const enoch = parseVerifierKey(g.secondVkey);
    const note = `${g.text}\n\u2014 PeterNeumann ${g.signatureLineBase64}\n\u2014 EnochRoot ${g.secondSignatureLineBase64}\n`;
    expect(openNote(note, [peter, enoch]).verifiedBy.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
    const onlyEnoch = openNote(note, [enoch]);
    expect(onlyEnoch.verifiedBy.map((s) => s.name)).toEqual(['EnochRoot']);
    expect(onlyEnoch.unverified.map((s) => s.name)).toEqual(['PeterNeumann']);
    cases++;
  });

  it('matches the RFC 6962 hash values and the 8-leaf certificate-transparency test tree root', () => {
    const m = v!.merkleHashes;
    expect(toHex(emptyRoot())).toBe(m.emptyTree);
    expect(toHex(leafHash(new Uint8Array(0)))).toBe(m.emptyLeaf);
    expect(toHex(leafHash(utf8('L123456')))).toBe(m.leaf_L123456);
    expect(toHex(nodeHash(utf8('N123'), utf8('N456')))).toBe(m.node_N123_N456);
    const leaves = m.ctTreeLeavesHex.map((h) => leafHash(fromHex(h)));
    expect(leaves).toHaveLength(8);
    expect(toHex(rootOf(leaves))).toBe(m.ctTreeRoot);
    cases += 5;
  });
});
