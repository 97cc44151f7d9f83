import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLE_MANIFEST_PAYLOAD_TYPE, IN_TOTO_PAYLOAD_TYPE, MEDIA_BUNDLE_FILES } from '../../../../src-shared/attestation-types';
import { canonicalBytes } from '../../../../src-shared/canonical-json';
import { parseCheckpoint } from '../../../../src-shared/node/checkpoint';
import { ed25519Sign, randomBytes } from '../../../../src-shared/node/crypto';
import { signEnvelope } from '../../../../src-shared/node/dsse';
import { fromBase64, fromUtf8 } from '../../../../src-shared/encoding';
import { verifyConsistency } from '../../../../src-shared/node/merkle';
import { parseNote } from '../../../../src-shared/node/signed-note';
import { parseAddCheckpointRequest } from '../../../../src-shared/node/tlog-witness';
import { DEFAULT_POLICY } from '../../../../src-shared/policy';
import { exportMediaBundle, openMediaBundle, queueCheckpoint } from '../../../../src-main/attest/media-bundle';
import { admitToOutbox, listOutbox } from '../../../../src-main/attest/outbox';
import { storeWitnessedCheckpoint } from '../../../../src-main/attest/receipts';
import { buildReviewStatement, gatherReviewFacts, policyDigest } from '../../../../src-main/attest/review-attestation';
import { unlockSigningKey } from '../../../../src-main/vault/vault';
import { defaultRubric } from '../../../../src-main/workspace/rubric';
import { asyncCodeOf, codeOf, insertCase, openVaultFixture, PASS, type VaultFixture } from '../../../helpers/attest-fixture';

let f: VaultFixture;
let n = 0;
const dir = () => path.join(f.root, `bundle-${++n}`);
const deps = (withLog = true) => ({ audit: f.vault.audit, keys: f.keys, workstationId: f.vault.workstationId, clock: () => f.clock.now, ...(withLog ? { log: f.port } : {}) });

beforeAll(async () => {
  f = await openVaultFixture();
  insertCase(f);
  const reviewer = await unlockSigningKey(f.dir, f.vault, PASS, f.deps);
  const statement = buildReviewStatement(
    gatherReviewFacts(f.vault.content!, defaultRubric(), 'case-0001'),
    { caseId: 'case-0001', verdict: 'concerns', releaseSummary: 'summary' },
    { reviewerId: 'alice', reviewerPublicKey: reviewer.publicKey, policyDigest: policyDigest(DEFAULT_POLICY), accessLogIndex: 0, sequence: 1 },
  );
  admitToOutbox(f.vault.audit, signEnvelope(IN_TOTO_PAYLOAD_TYPE, canonicalBytes(statement), [{ sign: (m) => ed25519Sign(reviewer.privateKey, m) }]), f.keys, () => f.clock.now);
  f.port.logEvent({ event: 'test.event', object: { kind: 'test', id: '1' }, outcome: 'success' });
}, 60_000);
afterAll(() => f.close());
beforeEach(() => f.vault.audit.exec('DELETE FROM witnessed_checkpoints'));

describe('media bundle export', () => {
  it('writes the pending Statements, the witness request and a device-signed manifest, and nothing else', async () => {
    const out = dir();
    const result = await exportMediaBundle(deps(), out);
    expect(fs.readdirSync(out).sort()).toEqual(Object.values(MEDIA_BUNDLE_FILES).sort());
    const opened = openMediaBundle(out, f.keys.device);
    expect(opened.manifest.files.map((x) => x.name).sort()).toEqual([MEDIA_BUNDLE_FILES.attestations, MEDIA_BUNDLE_FILES.witnessRequest].sort());
    const lines = fromUtf8(opened.files.get(MEDIA_BUNDLE_FILES.attestations)!).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).payload).sort()).toEqual(listOutbox(f.vault.audit, f.keys, 'pending').map((i) => i.envelope.payload).sort());
    expect(result.items).toBe(lines.length);
    const request = parseAddCheckpointRequest(opened.files.get(MEDIA_BUNDLE_FILES.witnessRequest)!);
    expect(request.oldSize).toBe(0);
    expect(request.proof).toEqual([]);
  });

  it('asks the witness to extend the last witnessed size, with a consistency proof that verifies', async () => {
    const first = parseCheckpoint(parseNote(f.log.checkpoint('test').note).text);
    storeWitnessedCheckpoint(f.vault.audit, { origin: first.origin, size: first.size, rootHash: first.rootHash, cosignedNote: 'n/a' }, () => f.clock.now);
    f.port.logEvent({ event: 'test.event', object: { kind: 'test', id: '2' }, outcome: 'success' });
    const plan = await queueCheckpoint(f.vault.audit, f.port, f.keys, () => f.clock.now);
    expect(plan?.oldSize).toBe(first.size);
    const second = parseCheckpoint(parseNote(plan!.note).text);
    expect(() => verifyConsistency(first.size, second.size, first.rootHash, second.rootHash, plan!.proof)).not.toThrow();
  });

  it('keeps one checkpoint in flight: a second pass asks for the same one instead of queueing another', async () => {
    f.port.logEvent({ event: 'test.event', object: { kind: 'test', id: '3' }, outcome: 'success' });
    const count = () => listOutbox(f.vault.audit, f.keys).length;
    const first = await queueCheckpoint(f.vault.audit, f.port, f.keys, () => f.clock.now);
    const queued = count();
    f.port.logEvent({ event: 'test.event', object: { kind: 'test', id: '4' }, outcome: 'success' });
    const second = await queueCheckpoint(f.vault.audit, f.port, f.keys, () => f.clock.now);
    expect(count()).toBe(queued);
    expect(second?.note).toBe(first?.note);
  });

  it('writes no witness request without an access log', async () => {
    const out = dir();
    const result = await exportMediaBundle(deps(false), out);
    expect(result.witness).toBeNull();
    expect(fs.existsSync(path.join(out, MEDIA_BUNDLE_FILES.witnessRequest))).toBe(false);
  });

  it('refuses a folder that is not empty (CONFLICT)', async () => {
    const out = dir();
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'notes.txt'), 'reviewer notes');
    expect(await asyncCodeOf(exportMediaBundle(deps(), out))).toBe('CONFLICT');
  });
});

describe('opening a media bundle', () => {
  let good: string;
  beforeAll(async () => {
    good = dir();
    await exportMediaBundle(deps(), good);
  });
  const copy = () => {
    const out = dir();
    fs.cpSync(good, out, { recursive: true });
    return out;
  };

  it.each<[string, (d: string) => void, string]>([
    ['an altered attestations file', (d) => fs.appendFileSync(path.join(d, MEDIA_BUNDLE_FILES.attestations), '{}\n'), 'SIGNATURE_INVALID'],
    ['a file the manifest does not list', (d) => fs.writeFileSync(path.join(d, 'artifact.pdf'), '%PDF'), 'INVALID_INPUT'],
    ['a missing listed file', (d) => fs.rmSync(path.join(d, MEDIA_BUNDLE_FILES.witnessRequest)), 'INVALID_INPUT'],
    ['no manifest', (d) => fs.rmSync(path.join(d, MEDIA_BUNDLE_FILES.manifest)), 'INVALID_INPUT'],
    ['a listed file replaced by a link', (d) => {
      fs.rmSync(path.join(d, MEDIA_BUNDLE_FILES.witnessRequest));
      fs.symlinkSync('/etc/hostname', path.join(d, MEDIA_BUNDLE_FILES.witnessRequest));
    }, 'INVALID_INPUT'],
    ['a manifest signed by another key', (d) => {
      const manifest = JSON.parse(fs.readFileSync(path.join(d, MEDIA_BUNDLE_FILES.manifest), 'utf8'));
      const seed = randomBytes(32);
      fs.writeFileSync(path.join(d, MEDIA_BUNDLE_FILES.manifest), JSON.stringify(signEnvelope(BUNDLE_MANIFEST_PAYLOAD_TYPE, fromBase64(manifest.payload), [{ sign: (m) => ed25519Sign(seed, m) }])));
    }, 'SIGNATURE_INVALID'],
    ['a manifest of another payload type', (d) => {
      const manifest = JSON.parse(fs.readFileSync(path.join(d, MEDIA_BUNDLE_FILES.manifest), 'utf8'));
      fs.writeFileSync(path.join(d, MEDIA_BUNDLE_FILES.manifest), JSON.stringify({ ...manifest, payloadType: IN_TOTO_PAYLOAD_TYPE }));
    }, 'SIGNATURE_INVALID'],
  ])('refuses %s', (_name, damage, code) => {
    const d = copy();
    damage(d);
    expect(codeOf(() => openMediaBundle(d, f.keys.device))).toBe(code);
  });

  it('opens the untouched bundle', () => {
    expect(codeOf(() => openMediaBundle(good, f.keys.device))).toBe('ok');
  });
});
