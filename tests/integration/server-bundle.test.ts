/**
 * `rwctl server import-bundle`: a media bundle from an air-gapped workstation goes through the same
 * validation as HTTP; the receipts folder it writes verifies offline; importing the same bundle again
 * stores nothing new (replays answer with the original receipts, the witness answers with its size).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { initDataDir } from '../../src-server/server-config';
import { openServerStore } from '../../src-server/open-store';
import { enrollKeys } from '../../src-server/enrollment';
import { openCheckpoint } from '../../src-shared/node/checkpoint';
import { cosignatureVerifier } from '../../src-shared/node/cosignature';
import { ed25519NoteVerifier } from '../../src-shared/node/signed-note';
import { leafHash, verifyInclusion } from '../../src-shared/node/merkle';
import { fromBase64 } from '../../src-shared/encoding';
import { parseStrictJson } from '../../src-shared/strict-json';
import { parseConflictBody } from '../../src-shared/node/tlog-witness';
import { attestationLeafData, MEDIA_BUNDLE_FILES, RECEIPTS_BUNDLE_FILES, receiptSchema } from '../../src-shared/attestation-types';
import { auditCheckpointAttestation, enrollmentRequest, reviewAttestation, testAuditLog, testKey, testWorkstation } from './server-fixtures';
import { rwctlArgs } from './server-process';
import { importBundle } from '../../src-server/bundle-import';
import { inProcessServer } from '../unit/src-server/in-process-server';

const NAME = 'bundle.test/attestations';
let dir: string;
let data: string;
let serverPublicKey: Uint8Array;
const ws = testWorkstation(1);
const reviewer = ws.reviewers[0]!.key;
const good = [reviewAttestation(reviewer, 1), reviewAttestation(reviewer, 2), auditCheckpointAttestation(ws, 7, 1)];

function rwctl(args: string[]) {
  return spawnSync(process.execPath, rwctlArgs(args), { encoding: 'utf8' });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rw-server-bundle-'));
  data = join(dir, 'data');
  serverPublicKey = fromBase64(initDataDir(data, { name: NAME }).config.serverPublicKey);
  const store = await openServerStore(data);
  await enrollKeys(store, enrollmentRequest(ws), 1);
  await store.close();
});

function writeBundle(name: string, lines: (Uint8Array | string)[], witness?: Uint8Array): string {
  const bundle = join(dir, name);
  mkdirSync(bundle);
  writeFileSync(join(bundle, MEDIA_BUNDLE_FILES.attestations), lines.map((l) => `${typeof l === 'string' ? l : new TextDecoder().decode(l)}\n`).join(''));
  if (witness) writeFileSync(join(bundle, MEDIA_BUNDLE_FILES.witnessRequest), witness);
  return bundle;
}

describe('rwctl server import-bundle', () => {
  it('accepts the valid attestations, refuses the rest with reasons, writes receipts and the cosignature', async () => {
    const bundle = writeBundle('b1', [...good, reviewAttestation(testKey(), 1), '{"payload":'], testAuditLog(ws, 7).witnessRequest(0, 7));
    const result = rwctl(['server', 'import-bundle', bundle, '--data', data]);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout).toContain('3 accepted, 0 already in the log, 2 refused');
    expect(result.stdout).toMatch(/line 4: 401 unknown-key/);
    expect(result.stdout).toMatch(/line 5: 400 malformed-json/);
    const receipts = readFileSync(join(bundle, 'receipts', RECEIPTS_BUNDLE_FILES.receipts), 'utf8').trim().split('\n').map((l) => receiptSchema.parse(JSON.parse(l)));
    expect(receipts).toHaveLength(3);
    for (const [i, receipt] of receipts.entries()) {
      const { checkpoint } = openCheckpoint(receipt.checkpoint, [ed25519NoteVerifier(NAME, serverPublicKey)], { origin: NAME });
      verifyInclusion(receipt.logIndex, receipt.treeSize, leafHash(attestationLeafData(parseStrictJson(good[i]!) as never)), receipt.inclusionProof.map(fromBase64), checkpoint.rootHash);
    }
    const cosignature = readFileSync(join(bundle, 'receipts', RECEIPTS_BUNDLE_FILES.witnessResponse), 'utf8');
    openCheckpoint(testAuditLog(ws, 7).checkpointAt(7).note + cosignature, [cosignatureVerifier(NAME, serverPublicKey)], { origin: ws.logOrigin });
  });

  it('stores nothing new when the same bundle comes again: original receipts, witness size in the conflict file', async () => {
    const store = await openServerStore(data);
    const before = await store.counts();
    await store.close();
    const bundle = writeBundle('b2', good, testAuditLog(ws, 7).witnessRequest(0, 7));
    const out = join(dir, 'b2-receipts');
    const result = rwctl(['server', 'import-bundle', bundle, '--data', data, '--out', out]);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('0 accepted, 3 already in the log, 0 refused');
    expect(parseConflictBody(readFileSync(join(out, RECEIPTS_BUNDLE_FILES.witnessConflict)))).toBe(7);
    expect(existsSync(join(out, RECEIPTS_BUNDLE_FILES.witnessResponse))).toBe(false);
    const after = await openServerStore(data);
    expect(await after.counts()).toEqual(before);
    await after.close();
  });

  it('refuses a bundle whose files are links, and a folder with nothing to import', () => {
    const linked = join(dir, 'b3');
    mkdirSync(linked);
    symlinkSync(join(dir, 'b1', MEDIA_BUNDLE_FILES.attestations), join(linked, MEDIA_BUNDLE_FILES.attestations));
    const result = rwctl(['server', 'import-bundle', linked, '--data', data]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/holds a link/);
    const empty = join(dir, 'b4');
    mkdirSync(empty);
    expect(rwctl(['server', 'import-bundle', empty, '--data', data]).stderr).toMatch(/neither/);
  });

  it('follows no link planted in a bundle: a receipts/ link to a folder elsewhere refuses the import before anything is stored or written', async () => {
    const server = await inProcessServer();
    await server.enroll(ws);
    const elsewhere = join(dir, 'admin-folder');
    mkdirSync(elsewhere);
    const before = await server.store.counts();
    const fresh = [reviewAttestation(reviewer, 1)];
    const importOf = (bundle: string, out = join(bundle, 'receipts')) => importBundle(bundle, out, server.intake, server.witness);
    const planted = writeBundle('b5', fresh);
    symlinkSync(elsewhere, join(planted, 'receipts'));
    await expect(importOf(planted)).rejects.toThrow(/holds a link \(receipts\)/);
    expect(readdirSync(elsewhere)).toEqual([]);
    // A link deeper in the bundle, to a file outside it, is refused the same way.
    const deep = writeBundle('b6', fresh);
    mkdirSync(join(deep, 'extra'));
    symlinkSync('/etc/hostname', join(deep, 'extra', 'note.txt'));
    await expect(importOf(deep)).rejects.toThrow(/holds a link \(extra\/note\.txt\)/);
    // An existing receipts folder (or a link given as --out) is never written into.
    const existing = writeBundle('b7', fresh);
    mkdirSync(join(existing, 'receipts'));
    await expect(importOf(existing)).rejects.toThrow(/already exists/);
    await expect(importOf(writeBundle('b8', fresh), elsewhere)).rejects.toThrow(/already exists/);
    expect(await server.store.counts()).toEqual(before);
    expect(readdirSync(elsewhere)).toEqual([]);
    // The same bundle without the link is imported, receipts in a fresh folder.
    const clean = writeBundle('b9', fresh);
    expect((await importOf(clean)).accepted).toBe(1);
    expect(readdirSync(join(clean, 'receipts'))).toEqual([RECEIPTS_BUNDLE_FILES.receipts]);
    await server.store.close();
  });
});
