import { describe, expect, it } from 'vitest';
import { POLICY_PAYLOAD_TYPE } from '../../../../src-shared/attestation-types';
import { ed25519Sign, generateEd25519 } from '../../../../src-shared/node/crypto';
import { signEnvelope } from '../../../../src-shared/node/dsse';
import { fromBase64, toBase64, utf8 } from '../../../../src-shared/encoding';
import { RwError } from '../../../../src-shared/errors';
import { DEFAULT_POLICY, type Policy } from '../../../../src-shared/policy';
import { readEnrollment } from '../../../../src-main/attest/enrollment';
import { enrollmentPolicyRecord, MAX_POLICY_BYTES, PolicyStore, verifySignedPolicy, type VerifiedPolicy } from '../../../../src-main/controls/signed-policy';
import { openAuditFixture } from '../../../helpers/audit-fixture';
import { enrollWithSignedPolicy } from '../../../helpers/enroll-signed-policy';

const policyKey = generateEd25519();
const otherKey = generateEd25519();

const v2: Policy = { ...DEFAULT_POLICY, version: 2, copyMode: 'fingerprint', printExportMode: 'justify' };
const v3: Policy = { ...v2, version: 3, idleMinutes: 5 };

function fileOf(value: unknown): Uint8Array {
  return utf8(JSON.stringify(value));
}

function signed(policy: unknown, seed = policyKey.privateKey, payloadType = POLICY_PAYLOAD_TYPE): Uint8Array {
  return fileOf(signEnvelope(payloadType, utf8(JSON.stringify(policy)), [{ sign: (m) => ed25519Sign(seed, m) }]));
}

function refusal(fn: () => unknown): RwError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RwError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('verifySignedPolicy', () => {
  it('accepts a newer policy signed by the pinned policy key, with its canonical digest', () => {
    const verified = verifySignedPolicy(signed(v3), policyKey.publicKey, v2);
    expect(verified.policy).toEqual(v3);
    expect(verified.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(verified.digest).not.toBe(verifySignedPolicy(signed(v2), policyKey.publicKey, null).digest);
  });

  it('accepts the installed policy again (idempotent re-install)', () => {
    expect(verifySignedPolicy(signed(v2), policyKey.publicKey, v2).policy).toEqual(v2);
  });

  const tampered = (() => {
    const envelope = JSON.parse(new TextDecoder().decode(signed(v2))) as { payload: string };
    envelope.payload = toBase64(utf8(JSON.stringify({ ...v2, copyMode: 'fingerprint', idleMinutes: 240 })));
    return fileOf(envelope);
  })();
  const unsignedEnvelope = (() => {
    const envelope = JSON.parse(new TextDecoder().decode(signed(v2))) as { signatures: unknown[] };
    envelope.signatures = [];
    return fileOf(envelope);
  })();

  const refusals: [string, () => Uint8Array, Policy | null, RwError['code'], RegExp][] = [
    ['an unsigned policy (bare JSON)', () => fileOf(v3), v2, 'POLICY_REFUSED', /not signed/],
    ['an envelope without signatures', () => unsignedEnvelope, v2, 'POLICY_REFUSED', /no signature/],
    ['a policy signed by another key', () => signed(v3, otherKey.privateKey), v2, 'POLICY_REFUSED', /does not verify under the policy keys of the trust root/],
    ['a payload changed after signing', () => tampered, null, 'POLICY_REFUSED', /does not verify/],
    ['a signature over another payload type', () => signed(v3, policyKey.privateKey, 'application/vnd.in-toto+json'), v2, 'POLICY_REFUSED', /payload type/],
    ['an older version', () => signed(v2), v3, 'POLICY_REFUSED', /older \(version 2\) than the one installed \(version 3\)/],
    ['another policy under the installed version', () => signed({ ...v2, idleMinutes: 200 }), v2, 'POLICY_REFUSED', /same version number/],
    ['a signed payload that fails the schema', () => signed({ ...v3, copyMode: 'allow' }), v2, 'INVALID_INPUT', /copyMode/],
    ['a signed payload with an unknown member', () => signed({ ...v3, exfiltrate: true }), v2, 'INVALID_INPUT', /policy schema/],
    ['a file that is not JSON', () => utf8('version: 3'), v2, 'POLICY_REFUSED', /not JSON/],
    ['a file over the size limit', () => new Uint8Array(MAX_POLICY_BYTES + 1), v2, 'TOO_LARGE', /at most/],
  ];

  it.each(refusals)('refuses %s with a clear message, keeping the current policy', (_name, file, installed, code, message) => {
    const error = refusal(() => verifySignedPolicy(file(), policyKey.publicKey, installed));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('The current policy stays in force.');
  });
});

function memoryRecord(installed: Uint8Array | null) {
  const record = {
    writes: [] as VerifiedPolicy[],
    current: installed,
    installedEnvelope: () => record.current,
    write(verified: VerifiedPolicy) {
      record.writes.push(verified);
      record.current = fileOf(verified.envelope);
    },
  };
  return record;
}

const rootOf = (...keys: Uint8Array[]) => () => ({ policyKeys: keys, source: 'test' });

describe('PolicyStore', () => {
  it('serves the built-in default before enrollment and refuses an install without a trust root', () => {
    const store = new PolicyStore({ trustRoot: () => null });
    const record = memoryRecord(null);
    expect(store.load(record)).toEqual(DEFAULT_POLICY);
    expect(store.source()).toBe('default');
    expect(store.lastInvalid()).toBeNull();
    const error = refusal(() => store.install(record, signed(v2)));
    expect(error.code).toBe('POLICY_REFUSED');
    expect(error.message).toMatch(/No trust root/);
    expect(store.current()).toEqual(DEFAULT_POLICY);
    expect(record.writes).toHaveLength(0);
  });

  it('installs a newer signed policy, tells listeners, and keeps it when an older one is offered', () => {
    const store = new PolicyStore({ trustRoot: rootOf(policyKey.publicKey) });
    const record = memoryRecord(signed(v2));
    store.load(record);
    const heard: number[] = [];
    store.onChange((p) => heard.push(p.version));
    store.install(record, signed(v3));
    expect(store.current()).toEqual(v3);
    expect(store.source()).toBe('signed');
    expect(heard).toEqual([3]);
    expect(refusal(() => store.install(record, signed(v2))).code).toBe('POLICY_REFUSED');
    expect(refusal(() => store.install(record, fileOf(v3))).code).toBe('POLICY_REFUSED');
    expect(store.current()).toEqual(v3);
    expect(record.writes.map((w) => w.policy.version)).toEqual([3]);
  });

  it('refuses an installed policy that does not verify under the trust root: strictest defaults, policy.invalid reason', () => {
    const store = new PolicyStore({ trustRoot: rootOf(policyKey.publicKey) });
    expect(store.load(memoryRecord(signed(v3, otherKey.privateKey)))).toEqual(DEFAULT_POLICY);
    expect(store.lastInvalid()).toMatchObject({ reason: 'not-verified', where: 'installed' });
    expect(new PolicyStore({ trustRoot: () => null }).load(memoryRecord(signed(v3)))).toEqual(DEFAULT_POLICY);
  });

  it('keeps the last good policy when the installed one is swapped for a laxer one or rolled back', () => {
    const store = new PolicyStore({ trustRoot: rootOf(policyKey.publicKey) });
    const record = memoryRecord(signed(v3));
    expect(store.load(record)).toEqual(v3);
    record.current = signed({ ...v3, version: 9, idleMinutes: 240 }, otherKey.privateKey);
    expect(store.load(record)).toEqual(v3);
    expect(store.lastInvalid()?.reason).toBe('not-verified');
    record.current = signed(v2);
    expect(store.load(record)).toEqual(v3);
    expect(store.lastInvalid()?.reason).toBe('not-verified');
  });

  it('refuses everything while the trust root cannot be read', () => {
    const store = new PolicyStore({ trustRoot: () => { throw new RwError('POLICY_REFUSED', 'The trust root file is writable by others; refusing it.'); } });
    expect(store.load(memoryRecord(signed(v3)))).toEqual(DEFAULT_POLICY);
    expect(store.lastInvalid()?.reason).toBe('trust-root-unreadable');
  });
});

describe('enrollmentPolicyRecord on a real audit.db', () => {
  it('reads the policy the enrollment installed, replaces it with a newer signed one, and re-verifies it on read', () => {
    const f = openAuditFixture();
    try {
      enrollWithSignedPolicy(f.db, f.workstationId, v2, policyKey, 1, () => 2);
      const store = new PolicyStore();
      const record = enrollmentPolicyRecord(f.db);
      expect(store.load(record)).toEqual(v2);
      expect(store.source()).toBe('signed');
      store.install(record, signed(v3));
      expect(readEnrollment(f.db)?.policy).toEqual(v3);
      expect(fromBase64(toBase64(readEnrollment(f.db)!.policyPublicKey))).toEqual(policyKey.publicKey);
      expect(refusal(() => store.install(record, signed(v2))).code).toBe('POLICY_REFUSED');
      expect(new PolicyStore().load(record)).toEqual(v3);
    } finally {
      f.close();
    }
  });

  it('policy swap: rewriting the enrollment row with a key of the attacker\'s and a laxer policy signed by it is refused', () => {
    const f = openAuditFixture();
    try {
      enrollWithSignedPolicy(f.db, f.workstationId, v2, policyKey, 1, () => 2);
      const attacker = generateEd25519();
      const lax: Policy = { ...v2, version: 7, idleMinutes: 240, copyMode: 'fingerprint', printExportMode: 'justify', lockout: { delayAfter: 20, lockAfter: 100 } };
      // What anyone who can open audit.db could do: the same row, a key of their own, a policy it signs.
      f.db
        .prepare('UPDATE enrollment SET policy_public_key = ?, policy_version = ?, policy_json = ?, policy_envelope = ? WHERE id = 1')
        .run([Buffer.from(attacker.publicKey), lax.version, JSON.stringify(lax), new TextDecoder().decode(signed(lax, attacker.privateKey))]);
      const store = new PolicyStore({ trustRoot: rootOf(policyKey.publicKey) });
      expect(store.load(enrollmentPolicyRecord(f.db))).toEqual(DEFAULT_POLICY);
      expect(store.lastInvalid()).toMatchObject({ reason: 'not-verified', where: 'installed' });
    } finally {
      f.close();
    }
  });
});
