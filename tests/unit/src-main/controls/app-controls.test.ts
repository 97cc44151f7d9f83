/**
 * The controls as the app composes them, on a real vault: a watermark session per unlock, logged
 * before the unlock completes (and the unlock undone when it cannot be), the signed policy read at start
 * from the signed pre-sign-in copy and at unlock (both verified under the trust root), and the export
 * step-up against the real passphrase throttle.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateEd25519, randomBytes } from '../../../../src-shared/node/crypto';
import { DEFAULT_POLICY, type Policy } from '../../../../src-shared/policy';
import { signPolicy } from '../../../../src-main/attest/enrollment';
import { createAppControls, type AppControls } from '../../../../src-main/controls/app-controls';
import { encodePng } from '../../../../src-main/controls/watermark-files';
import type { AuditRecord, CallContext } from '../../../../src-main/ipc/router';
import { SessionManager } from '../../../../src-main/session/session-manager';
import { createVaultOps } from '../../../../src-main/session/vault-ops';
import { MIN_KDF_PARAMS } from '../../../../src-main/vault/kdf';
import { initVault, type UnlockedVault } from '../../../../src-main/vault/vault';
import { enrollWithSignedPolicy } from '../../../helpers/enroll-signed-policy';

const USER = 'avery.reviewer';
const PASSPHRASE = 'correct horse battery staple 42';
const JUSTIFY: Policy = { ...DEFAULT_POLICY, version: 2, printExportMode: 'justify', copyMode: 'fingerprint', classification: 'CUI // TEST' };
const ARTIFACT = `art-${'cd'.repeat(16)}`;

const ctx: CallContext = { session: { role: 'reviewer', user: USER }, describe: () => undefined, emit: () => undefined };

describe('app controls on a real vault', () => {
  let dir: string;
  let records: AuditRecord[];
  let failLog: boolean;
  let sessions: SessionManager<UnlockedVault>;
  let controls: AppControls;

  const compose = () => {
    sessions = new SessionManager(createVaultOps(dir, { clock: () => Date.now(), policy: () => controls?.policy() ?? DEFAULT_POLICY, kdf: MIN_KDF_PARAMS }));
    controls = createAppControls({
      dataDir: dir,
      sessions,
      clock: () => Date.now(),
      audit: {
        record(entry) {
          if (failLog) throw new Error('disk full');
          records.push(entry);
        },
      },
      exportDir: join(dir, 'exports'),
    });
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rw-controls-'));
    records = [];
    failLog = false;
    await initVault(dir, USER, PASSPHRASE, { clock: () => Date.now(), random: randomBytes, kdf: MIN_KDF_PARAMS, policy: DEFAULT_POLICY.lockout });
    compose();
  });
  afterEach(() => {
    sessions.lock('shutdown');
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws and logs a fresh session code at every unlock and ends it at lock', async () => {
    const payloads: (string | null)[] = [];
    controls.onOverlayChange((p) => payloads.push(p.code));
    const open = await sessions.unlock(USER, PASSPHRASE);
    const first = controls.watermarks.current();
    expect(first?.codeHex).toMatch(/^[0-9a-f]{12}$/);
    expect(records).toEqual([
      expect.objectContaining({ event: 'watermark.session', actor: { role: 'reviewer', user: USER }, object: { kind: 'watermark', id: first?.codeHex }, detail: expect.objectContaining({ workstation: open.workstationId }) }),
    ]);
    expect(controls.overlayPayload()).toMatchObject({ code: first?.codeHex, user: USER, workstation: open.workstationId, classification: DEFAULT_POLICY.classification });
    sessions.lock('manual');
    expect(controls.watermarks.current()).toBeNull();
    expect(controls.overlayPayload().code).toBeNull();
    await sessions.unlock(USER, PASSPHRASE);
    const second = controls.watermarks.current()?.codeHex;
    expect(second).not.toBe(first?.codeHex);
    expect(payloads).toEqual([first?.codeHex, null, second]);
  });

  it('undoes the unlock when the watermark session cannot be logged (fail closed)', async () => {
    failLog = true;
    await expect(sessions.unlock(USER, PASSPHRASE)).rejects.toThrow('disk full');
    expect(sessions.current()).toBeNull();
    expect(controls.watermarks.current()).toBeNull();
    expect(controls.overlayPayload().code).toBeNull();
  });

  it('reads the enrolled signed policy at start from the signed copy written at lock, and steps up on the real passphrase for export', async () => {
    const open = await sessions.unlock(USER, PASSPHRASE);
    const policyKey = generateEd25519();
    enrollWithSignedPolicy(open.audit, open.workstationId, JUSTIFY, policyKey, 1, () => 2);
    sessions.lock('manual');
    compose();
    // Before anyone signs in: the lock screen already runs under the signed policy.
    expect(controls.policy()).toEqual(JUSTIFY);
    expect(controls.policies.source()).toBe('signed');
    await sessions.unlock(USER, PASSPHRASE);
    expect(await controls.handlers['controls.status']({}, ctx)).toEqual({ copyMode: 'fingerprint', printExportMode: 'justify', classification: 'CUI // TEST' });
    const png = new Uint8Array(encodePng({ width: 300, height: 200, data: new Uint8ClampedArray(300 * 200 * 4).fill(255) }));
    const request = { kind: 'png' as const, artifactId: ARTIFACT, label: 'page 1', justification: 'Evidence for finding F-1 in the report.', passphrase: 'not the passphrase!', png };
    await expect(controls.handlers['controls.export'](request, ctx)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(() => readdirSync(join(dir, 'exports'))).toThrow();
    const result = await controls.handlers['controls.export']({ ...request, passphrase: PASSPHRASE }, ctx);
    expect(readdirSync(join(dir, 'exports'))).toEqual([result.fileName]);

    // A later policy-only update: in force at once and on the record; an older one is refused.
    const v3: Policy = { ...JUSTIFY, version: 3, copyMode: 'deny' };
    const file = (p: Policy) => new TextEncoder().encode(JSON.stringify(signPolicy(p, policyKey.privateKey)));
    await controls.installPolicy(file(v3));
    expect(controls.policy()).toEqual(v3);
    expect(records.at(-1)).toMatchObject({ event: 'policy.change', object: { kind: 'policy', id: '3' }, actor: { user: USER } });
    await expect(controls.installPolicy(file(JUSTIFY))).rejects.toMatchObject({ code: 'POLICY_REFUSED' });
    expect(controls.policy()).toEqual(v3);
  });

  it('policy swap: a laxer policy under a key of the attacker\'s, in audit.db and in the pre-sign-in copy, is refused and logged as policy.invalid', async () => {
    const open = await sessions.unlock(USER, PASSPHRASE);
    enrollWithSignedPolicy(open.audit, open.workstationId, JUSTIFY, generateEd25519(), 1, () => 2);
    sessions.lock('manual');
    // The attacker (anyone who can write the vault) re-signs a laxer policy with their own key and swaps
    // both the enrollment row and the signed copy the lock screen reads; the trust root is not theirs.
    const attacker = generateEd25519();
    const lax: Policy = { ...JUSTIFY, version: 9, idleMinutes: 240, lockout: { delayAfter: 20, lockAfter: 100 } };
    const envelope = signPolicy(lax, attacker.privateKey);
    const reopened = await sessions.unlock(USER, PASSPHRASE);
    reopened.audit
      .prepare('UPDATE enrollment SET policy_public_key = ?, policy_version = ?, policy_json = ?, policy_envelope = ? WHERE id = 1')
      .run([Buffer.from(attacker.publicKey), lax.version, JSON.stringify(lax), JSON.stringify(envelope)]);
    sessions.lock('manual');
    writeFileSync(join(dir, 'policy.json'), JSON.stringify(envelope));
    records = [];
    compose();
    expect(controls.policy()).toEqual(DEFAULT_POLICY);
    await sessions.unlock(USER, PASSPHRASE);
    expect(controls.policy()).toEqual(DEFAULT_POLICY);
    expect(records.filter((r) => r.event === 'policy.invalid').map((r) => [r.object?.id, r.detail?.['reason']])).toEqual([
      ['pre-sign-in-copy', 'not-verified'],
      ['installed', 'not-verified'],
    ]);
    expect(records.some((r) => r.event === 'policy.change')).toBe(false);
  });
});
