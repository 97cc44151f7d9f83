import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENROLLMENT_APPROVAL_PAYLOAD_TYPE, POLICY_PAYLOAD_TYPE, type ApprovalBundle, type EnrollmentRequest } from '../../../../src-shared/attestation-types';
import { canonicalBytes } from '../../../../src-shared/canonical-json';
import { ed25519Sign, generateKeyPair, publicKeyOf, publicKeyToPem, randomBytes, ed25519PublicFromSeed } from '../../../../src-shared/node/crypto';
import { signEnvelope } from '../../../../src-shared/node/dsse';
import { fromBase64, toBase64, utf8 } from '../../../../src-shared/encoding';
import { DEFAULT_POLICY } from '../../../../src-shared/policy';
import { createEnrollmentRequest, currentPolicy, importApproval, openEnrollmentRequest, readEnrollment, trustedSubmitterKeys } from '../../../../src-main/attest/enrollment';
import { logOrigin } from '../../../../src-main/audit/access-log';
import { approvalFor, centralOffice, codeOf, enrollmentRequestOf, openVaultFixture, policyFor, type CentralOffice, type VaultFixture } from '../../../helpers/attest-fixture';

let f: VaultFixture;
let office: CentralOffice;
let request: EnrollmentRequest;

beforeAll(async () => {
  f = await openVaultFixture();
  office = centralOffice();
  request = enrollmentRequestOf(f);
}, 60_000);
afterAll(() => f.close());
beforeEach(() => f.vault.audit.exec('DELETE FROM enrollment'));

const bytes = (bundle: unknown) => utf8(JSON.stringify(bundle));
const install = (bundle: unknown) => importApproval(f.vault.audit, f.vault.workstationId, bytes(bundle), () => f.clock.now);
const enrolledCount = () => Number(f.vault.audit.prepare('SELECT count(*) AS n FROM enrollment').get()?.n);

/** Re-sign an approval payload after changing it, with the server key (so only the change is wrong). */
function resigned(change: (approval: Record<string, unknown>) => void, seed = office.serverSeed, payloadType = ENROLLMENT_APPROVAL_PAYLOAD_TYPE): ApprovalBundle {
  const base = approvalFor(office, request, policyFor(office));
  const approval = JSON.parse(new TextDecoder().decode(fromBase64(base.envelope.payload))) as Record<string, unknown>;
  change(approval);
  return { serverPublicKey: toBase64(ed25519PublicFromSeed(seed)), envelope: signEnvelope(payloadType, canonicalBytes(approval), [{ sign: (m) => ed25519Sign(seed, m) }]) as ApprovalBundle['envelope'] };
}

describe('enrollment request', () => {
  it('is signed by the device key and names the device, reviewer keys and the log origin', () => {
    expect(request.workstationId).toBe(f.vault.workstationId);
    expect(request.logOrigin).toBe(logOrigin(f.vault.workstationId));
    expect(request.reviewerPublicKeys).toEqual([{ reviewerId: 'alice', publicKey: toBase64(f.vault.signingPublicKey!) }]);
  });

  it('does not open when altered or signed by another key', () => {
    const envelope = createEnrollmentRequest(f.vault.audit, { workstationId: f.vault.workstationId, logOrigin: 'x', reviewers: [], checkpoint: f.log.checkpoint('sync').note, clock: () => 1 });
    const payload = JSON.parse(new TextDecoder().decode(fromBase64(envelope.payload)));
    expect(codeOf(() => openEnrollmentRequest({ ...envelope, payload: toBase64(utf8(JSON.stringify({ ...payload, workstationId: 'other' }))) }))).toBe('SIGNATURE_INVALID');
    const other = randomBytes(32);
    const forged = signEnvelope(envelope.payloadType, canonicalBytes({ ...payload, devicePublicKey: toBase64(ed25519PublicFromSeed(randomBytes(32))) }), [{ sign: (m) => ed25519Sign(other, m) }]);
    expect(codeOf(() => openEnrollmentRequest(forged))).toBe('SIGNATURE_INVALID');
  });
});

describe('enroll import', () => {
  it('installs a valid approval: pinned server key and name, signed policy, submitter keys', () => {
    const submitter = publicKeyToPem(publicKeyOf(generateKeyPair('ecdsa-p256')));
    const policy = policyFor(office, { idleMinutes: 5 }, 'https://central.example');
    const installed = install(approvalFor(office, request, policy, { serverUrl: 'https://central.example', submitterPems: [submitter] }));
    expect(installed.serverName).toBe(office.serverName);
    expect(installed.serverPublicKey).toEqual(office.serverPublicKey);
    expect(installed.serverUrl).toBe('https://central.example');
    expect(currentPolicy(f.vault.audit)).toEqual(policy);
    expect(trustedSubmitterKeys(f.vault.audit)).toHaveLength(1);
  });

  it('uses the built-in default policy before enrollment', () => {
    expect(readEnrollment(f.vault.audit)).toBeNull();
    expect(currentPolicy(f.vault.audit)).toEqual(DEFAULT_POLICY);
  });

  it.each<[string, () => unknown, string]>([
    ['not JSON', () => 'approval', 'INVALID_INPUT'],
    ['an envelope without the server key beside it', () => approvalFor(office, request, policyFor(office)).envelope, 'INVALID_INPUT'],
    ['an unsigned envelope', () => ({ ...approvalFor(office, request, policyFor(office)), envelope: { ...approvalFor(office, request, policyFor(office)).envelope, signatures: [] } }), 'INVALID_INPUT'],
    ['a signature by another key than the one beside it', () => ({ ...approvalFor(office, request, policyFor(office)), serverPublicKey: toBase64(ed25519PublicFromSeed(randomBytes(32))) }), 'SIGNATURE_INVALID'],
    ['a payload changed after signing', () => {
      const b = approvalFor(office, request, policyFor(office));
      const a = JSON.parse(new TextDecoder().decode(fromBase64(b.envelope.payload)));
      return { ...b, envelope: { ...b.envelope, payload: toBase64(utf8(JSON.stringify({ ...a, trustedSubmitterKeys: ['x'] }))) } };
    }, 'SIGNATURE_INVALID'],
    ['the wrong payload type', () => resigned(() => undefined, office.serverSeed, POLICY_PAYLOAD_TYPE), 'INVALID_INPUT'],
    ['a payload naming another server key than its signer', () => resigned((a) => (a.serverPublicKey = toBase64(ed25519PublicFromSeed(randomBytes(32))))), 'POLICY_REFUSED'],
    ['an approval for another workstation', () => resigned((a) => (a.workstationId = 'another-workstation')), 'POLICY_REFUSED'],
    ['an approval for another device key', () => resigned((a) => (a.devicePublicKey = toBase64(ed25519PublicFromSeed(randomBytes(32))))), 'POLICY_REFUSED'],
    ['a policy signed by another key', () => resigned((a) => (a.policyEnvelope = signEnvelope(POLICY_PAYLOAD_TYPE, canonicalBytes(policyFor(office)), [{ sign: (m) => ed25519Sign(randomBytes(32), m) }]))), 'SIGNATURE_INVALID'],
    ['an unsigned policy', () => resigned((a) => (a.policyEnvelope = { payload: toBase64(canonicalBytes(policyFor(office))), payloadType: POLICY_PAYLOAD_TYPE, signatures: [] })), 'INVALID_INPUT'],
    ['a policy envelope of another type', () => resigned((a) => (a.policyEnvelope = signEnvelope('application/json', canonicalBytes(policyFor(office)), [{ sign: (m) => ed25519Sign(office.policySeed, m) }]))), 'INVALID_INPUT'],
    ['a malformed policy', () => resigned((a) => (a.policyEnvelope = signEnvelope(POLICY_PAYLOAD_TYPE, canonicalBytes({ ...policyFor(office), idleMinutes: 0 }), [{ sign: (m) => ed25519Sign(office.policySeed, m) }]))), 'INVALID_INPUT'],
    ['a policy naming another server key', () => resigned((a) => (a.policyEnvelope = signEnvelope(POLICY_PAYLOAD_TYPE, canonicalBytes({ ...policyFor(office), server: { url: 'https://x.example', publicKey: toBase64(randomBytes(32)) } }), [{ sign: (m) => ed25519Sign(office.policySeed, m) }]))), 'POLICY_REFUSED'],
    ['an approval URL the policy does not name', () => resigned((a) => (a.serverUrl = 'https://elsewhere.example')), 'POLICY_REFUSED'],
    ['an Ed25519 submitter key', () => resigned((a) => (a.trustedSubmitterKeys = [publicKeyToPem(publicKeyOf(generateKeyPair('ed25519')))])), 'POLICY_REFUSED'],
    ['a submitter key that is not PEM', () => resigned((a) => (a.trustedSubmitterKeys = ['not a key'])), 'INVALID_INPUT'],
    ['an unknown member in the approval', () => resigned((a) => (a.extra = true)), 'INVALID_INPUT'],
    ['duplicate keys in the file', () => `{"serverPublicKey":"${toBase64(office.serverPublicKey)}","serverPublicKey":"x","envelope":{}}`, 'INVALID_INPUT'],
  ])('refuses %s and installs nothing', (_name, make, code) => {
    const value = make();
    const input = typeof value === 'string' ? utf8(value) : bytes(value);
    expect(codeOf(() => importApproval(f.vault.audit, f.vault.workstationId, input, () => f.clock.now))).toBe(code);
    expect(enrolledCount()).toBe(0);
  });

  describe('once enrolled', () => {
    beforeEach(() => install(approvalFor(office, request, policyFor(office, { version: 3 }))));

    it('accepts a newer policy from the same server and policy keys', () => {
      install(approvalFor(office, request, policyFor(office, { version: 4, idleMinutes: 3 })));
      expect(currentPolicy(f.vault.audit).version).toBe(4);
    });

    it('accepts the same approval again (idempotent)', () => {
      install(approvalFor(office, request, policyFor(office, { version: 3 })));
      expect(currentPolicy(f.vault.audit).version).toBe(3);
    });

    it.each<[string, () => ApprovalBundle, string]>([
      ['an older policy', () => approvalFor(office, request, policyFor(office, { version: 2 })), 'POLICY_REFUSED'],
      ['a different policy under the same version', () => approvalFor(office, request, policyFor(office, { version: 3, idleMinutes: 240 })), 'POLICY_REFUSED'],
      ['another server key', () => approvalFor({ ...centralOffice(), policySeed: office.policySeed, policyPublicKey: office.policyPublicKey }, request, policyFor(office, { version: 5, server: null })), 'POLICY_REFUSED'],
      ['another policy key', () => approvalFor({ ...office, ...(() => { const s = randomBytes(32); return { policySeed: s, policyPublicKey: ed25519PublicFromSeed(s) }; })() }, request, policyFor(office, { version: 5 })), 'POLICY_REFUSED'],
    ])('refuses %s and keeps the installed policy', (_name, make, code) => {
      expect(codeOf(() => install(make()))).toBe(code);
      expect(currentPolicy(f.vault.audit).version).toBe(3);
    });

    it('refuses to read a policy whose stored envelope was edited in audit.db', () => {
      const stored = JSON.parse(String(f.vault.audit.prepare('SELECT policy_envelope FROM enrollment').get()?.policy_envelope));
      stored.payload = toBase64(canonicalBytes({ ...policyFor(office, { version: 3 }), copyMode: 'fingerprint' }));
      f.vault.audit.prepare('UPDATE enrollment SET policy_envelope = ?').run([JSON.stringify(stored)]);
      expect(codeOf(() => currentPolicy(f.vault.audit))).toBe('VAULT_DAMAGED');
    });
  });
});
