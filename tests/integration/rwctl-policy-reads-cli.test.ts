/**
 * rwctl policy install, rwctl audit resolve-watermark, and the access-log leaf every read command now
 * writes, on a real enrolled vault on disk (SQLCipher, Argon2id, Ed25519), driven through the real
 * command runner: success paths, each refusal with its exit code (0 ok, 1 refused, 2 usage, 3 auth),
 * a refused install leaving the installed policy as it was, and exactly one leaf per command.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY_PAYLOAD_TYPE } from '../../src-shared/attestation-types';
import { ed25519Sign, generateEd25519, randomBytes } from '../../src-shared/node/crypto';
import { signEnvelope } from '../../src-shared/node/dsse';
import { fromBase64, toBase64, utf8 } from '../../src-shared/encoding';
import { DEFAULT_POLICY, type Policy } from '../../src-shared/policy';
import { readEnrollment, signPolicy } from '../../src-main/attest/enrollment';
import { openAccessLog } from '../../src-main/audit/access-log';
import { AuditQuery, type LeafView } from '../../src-main/audit/audit-query';
import { entryFromRecord } from '../../src-main/audit/audit-hook';
import { allCommands, runCli } from '../../src-cli/main';
import type { CliIo } from '../../src-cli/command';
import { watermarkSessionRecord, WatermarkSessions } from '../../src-main/controls/watermark-session';
import { MIN_KDF_PARAMS } from '../../src-main/vault/kdf';
import { addUser, initVault, unlockVault } from '../../src-main/vault/vault';
import { tempDir } from '../helpers/package-fixtures';
import { enrollWithSignedPolicy } from '../helpers/enroll-signed-policy';

const PASS = 'correct horse battery staple';
const AUDITOR_PASS = 'auditor passphrase 42';
const V2: Policy = { ...DEFAULT_POLICY, version: 2, copyMode: 'fingerprint', classification: 'CUI // TEST' };

let work: string;
let vaultDir: string;
const clock = { now: Date.parse('2026-11-28T10:00:00Z') };
const policyKey = generateEd25519();
let sessionCode: string;

interface Run {
  code: number;
  out: string;
  err: string;
}

async function rwctl(argv: string[], passphrase = PASS): Promise<Run> {
  const run = { code: 0, out: '', err: '' };
  const io: CliIo = {
    stdout: (t) => void (run.out += t),
    stderr: (t) => void (run.err += t),
    env: { RW_PASSPHRASE: passphrase },
    stdin: Readable.from([]),
    cwd: work,
    clock: () => clock.now,
  };
  run.code = await runCli(argv, io, allCommands());
  clock.now += 1000;
  return run;
}

const asAlice = ['--vault', 'vault', '--user', 'alice'];
const asAudrey = ['--vault', 'vault', '--user', 'audrey'];

/** Every leaf in the log, read directly (this helper writes none). */
async function leaves(dir = vaultDir): Promise<LeafView[]> {
  const vault = await unlockVault(dir, 'alice', PASS, { clock: () => clock.now });
  try {
    return [...new AuditQuery(vault.audit).scan({})];
  } finally {
    vault.close();
  }
}

/** Runs a command and returns its result and the leaves it added. */
async function withNewLeaves(argv: string[], passphrase = PASS): Promise<{ run: Run; added: LeafView[] }> {
  const before = (await leaves()).length;
  const run = await rwctl(argv, passphrase);
  return { run, added: (await leaves()).slice(before) };
}

/** The enrollment row's policy columns and the latest checkpoint: what a refused install must not change. */
async function policyState(): Promise<{ row: Record<string, unknown> | undefined; checkpointSize: number; size: number }> {
  const vault = await unlockVault(vaultDir, 'alice', PASS, { clock: () => clock.now });
  try {
    const row = vault.audit.prepare('SELECT policy_version, policy_json, policy_envelope FROM enrollment WHERE id = 1').get();
    const cp = vault.audit.prepare('SELECT max(size) AS n FROM log_checkpoints').get();
    const size = vault.audit.prepare('SELECT count(*) AS n FROM log_leaves').get();
    return { row, checkpointSize: Number(cp?.['n'] ?? 0), size: Number(size?.['n'] ?? 0) };
  } finally {
    vault.close();
  }
}

const write = (name: string, content: string | Uint8Array) => {
  fs.writeFileSync(path.join(work, name), content);
  return name;
};
const signed = (policy: Policy, seed = policyKey.privateKey) => JSON.stringify(signPolicy(policy, seed));
/** Signed by the pinned key but not a policy: signPolicy refuses to sign one, so the envelope is made by hand. */
const signedRaw = (value: unknown) => JSON.stringify(signEnvelope(POLICY_PAYLOAD_TYPE, utf8(JSON.stringify(value)), [{ sign: (m) => ed25519Sign(policyKey.privateKey, m) }]));

beforeAll(async () => {
  work = tempDir('rw-cli-policy-');
  vaultDir = path.join(work, 'vault');
  const deps = { clock: () => clock.now, random: randomBytes, kdf: MIN_KDF_PARAMS };
  await initVault(vaultDir, 'alice', PASS, deps);
  await addUser(vaultDir, { user: 'audrey', role: 'auditor', newPassphrase: AUDITOR_PASS }, { asUser: 'alice', asPassphrase: PASS }, deps);
  const vault = await unlockVault(vaultDir, 'alice', PASS, { clock: () => clock.now });
  try {
    // Enrolled as the app and `rwctl enroll import` enroll: the policy key is pinned, V2 is in force.
    enrollWithSignedPolicy(vault.audit, vault.workstationId, V2, policyKey, 1, () => clock.now);
    // Alice's unlock session in the app: the watermark.session leaf the app writes at every unlock.
    const session = new WatermarkSessions({ random: randomBytes, clock: () => clock.now }).begin({ user: 'alice', role: 'reviewer', workstationId: vault.workstationId });
    sessionCode = session.codeHex;
    const log = openAccessLog(vault.audit, { app: 'rw-app/0.1.0', clock: () => clock.now, monotonic: () => 0 });
    try {
      log.append(entryFromRecord(watermarkSessionRecord(session), 'session-1'));
      clock.now += 60_000;
      log.append({ actor: { user: 'alice', role: 'reviewer' }, session: 'session-1', event: 'lock', outcome: 'success', detail: { reason: 'manual' } });
    } finally {
      log.close();
    }
  } finally {
    vault.close();
  }
}, 120_000);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('rwctl policy install', () => {
  it.each<[string, () => string, RegExp]>([
    ['an unsigned policy', () => JSON.stringify({ ...V2, version: 5 }), /not signed/],
    ['a policy signed by another key', () => signed({ ...V2, version: 5 }, generateEd25519().privateKey), /does not verify under the policy key/],
    [
      'a policy whose signature was altered',
      () => {
        const envelope = JSON.parse(signed({ ...V2, version: 5 }));
        const sig = fromBase64(envelope.signatures[0].sig);
        sig[0]! ^= 1;
        envelope.signatures[0].sig = toBase64(sig);
        return JSON.stringify(envelope);
      },
      /does not verify/,
    ],
    ['a genuine signature over a schema-invalid policy', () => signedRaw({ ...V2, version: 5, idleMinutes: 0 }), /policy schema \(idleMinutes/],
    ['an older version', () => signed({ ...V2, version: 1 }), /older \(version 1\) than the one installed \(version 2\)/],
    ['a different policy under the installed version', () => signed({ ...V2, copyMode: 'deny' }), /differs from the installed one/],
  ])('refuses %s with one line, exit 1, the policy unchanged and one denied leaf', async (_name, make, message) => {
    const before = await policyState();
    const { run, added } = await withNewLeaves(['policy', 'install', write('offered.json', make()), ...asAlice]);
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.err).toMatch(message);
    expect(run.err).toMatch(/^rwctl: [^\n]+\n$/);
    expect((await policyState()).row).toEqual(before.row);
    expect(added).toEqual([
      expect.objectContaining({ event: 'policy.change', outcome: 'denied', app: 'rwctl/0.1.0', actor: { user: 'alice', role: 'reviewer' }, detail: expect.objectContaining({ installed: 2, error: expect.any(String) }) }),
    ]);
    // A security event: the attempt is pinned by a signed checkpoint at once.
    const after = await policyState();
    expect(after.checkpointSize).toBe(after.size);
  });

  it('installs a newer policy signed by a trust-root key, prints version, and logs it under a checkpoint', async () => {
    const v3: Policy = { ...V2, version: 3, copyMode: 'deny' };
    const { run, added } = await withNewLeaves(['policy', 'install', write('v3.json', signed(v3)), ...asAlice]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('Policy version 3 installed (was 2)');
    expect(run.out).toContain('verified under the trust root');
    const vault = await unlockVault(vaultDir, 'alice', PASS, { clock: () => clock.now });
    try {
      expect(readEnrollment(vault.audit)?.policy).toEqual(v3);
    } finally {
      vault.close();
    }
    expect(added).toEqual([expect.objectContaining({ event: 'policy.change', outcome: 'success', object: expect.objectContaining({ kind: 'policy', id: '3', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) }) })]);
    const state = await policyState();
    expect(state.checkpointSize).toBe(state.size);
    // Reinstalling the same file is idempotent, as in the app.
    const again = await rwctl(['policy', 'install', 'v3.json', ...asAlice]);
    expect(again.code).toBe(0);
    expect(again.out).toContain('Policy version 3 was already installed');
  });

  it('admits an auditor, as the app admits any signed-in user (the signature is the authority)', async () => {
    const { run, added } = await withNewLeaves(['policy', 'install', write('v4.json', signed({ ...V2, version: 4 })), ...asAudrey], AUDITOR_PASS);
    expect(run.code, run.err).toBe(0);
    expect(added).toEqual([expect.objectContaining({ event: 'policy.change', outcome: 'success', actor: { user: 'audrey', role: 'auditor' } })]);
  });

  it.each<[string, number, string[], string, RegExp]>([
    ['a missing file', 1, ['policy', 'install', 'no-such-policy.json', ...asAlice], PASS, /cannot be read/],
    ['no file', 2, ['policy', 'install', ...asAlice], PASS, /Missing FILE/],
    ['no --user', 2, ['policy', 'install', 'v3.json', '--vault', 'vault'], PASS, /--user is required/],
    ['a wrong passphrase', 3, ['policy', 'install', 'v3.json', ...asAlice], 'not the passphrase', /attempts? left/],
  ])('refuses %s (exit %i) and changes nothing', async (_name, code, argv, passphrase, message) => {
    write('v3.json', signed({ ...V2, version: 3, copyMode: 'deny' }));
    const before = await policyState();
    const run = await rwctl(argv, passphrase);
    expect(run.code).toBe(code);
    expect(run.err).toMatch(message);
    expect(await policyState()).toEqual(before);
  });
});

describe('rwctl audit resolve-watermark', () => {
  it("maps a session code to the reviewer, workstation, session and time, and logs the auditor's question", async () => {
    const { run, added } = await withNewLeaves(['audit', 'resolve-watermark', sessionCode.toUpperCase(), ...asAudrey], AUDITOR_PASS);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain(`Session code ${sessionCode}: user alice`);
    expect(run.out).toContain('session session-1');
    expect(added).toEqual([
      expect.objectContaining({ event: 'watermark.resolve', outcome: 'success', actor: { user: 'audrey', role: 'auditor' }, object: expect.objectContaining({ kind: 'watermark', id: sessionCode }), detail: { found: true } }),
    ]);
    const json = await rwctl(['audit', 'resolve-watermark', sessionCode, ...asAudrey, '--json'], AUDITOR_PASS);
    expect(JSON.parse(json.out)).toMatchObject({ code: sessionCode, found: true, user: 'alice', session: 'session-1', from: expect.any(Number), to: expect.any(Number) });
  });

  it('says so and exits 1 for a code that is not in the log (and logs the question)', async () => {
    const unknown = sessionCode === '000000000000' ? '000000000001' : '000000000000';
    const { run, added } = await withNewLeaves(['audit', 'resolve-watermark', unknown, ...asAudrey], AUDITOR_PASS);
    expect(run.code).toBe(1);
    expect(run.out).toBe(`No session with code ${unknown} in this vault's access log.\n`);
    expect(added).toEqual([expect.objectContaining({ event: 'watermark.resolve', outcome: 'success', detail: { found: false } })]);
  });

  it('refuses a reviewer (the audit.resolveWatermark channel is for auditors) and logs the refusal', async () => {
    const { run, added } = await withNewLeaves(['audit', 'resolve-watermark', sessionCode, ...asAlice]);
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.err).toBe('rwctl: Your role does not allow this operation.\n');
    expect(added).toEqual([expect.objectContaining({ event: 'watermark.resolve', outcome: 'denied', actor: { user: 'alice', role: 'reviewer' }, detail: { error: 'DENIED' } })]);
  });

  it.each([['too short', 'abc123'], ['not hex', 'zzzzzzzzzzzz'], ['too long', 'a1b2c3d4e5f6a'], ['missing', undefined]])('refuses a code %s as a usage error (exit 2) before signing in', async (_name, code) => {
    const { run, added } = await withNewLeaves(['audit', 'resolve-watermark', ...(code === undefined ? [] : [code]), ...asAudrey], AUDITOR_PASS);
    expect(run.code).toBe(2);
    expect(added).toEqual([]);
  });
});

describe('read commands write one leaf each', () => {
  it.each<[string, string[], string, number, Partial<LeafView>]>([
    ['cases list (reviewer)', ['cases', 'list', ...asAlice], PASS, 0, { event: 'case.list', outcome: 'success', detail: { results: 0 } }],
    ['cases list (auditor, refused)', ['cases', 'list', ...asAudrey], AUDITOR_PASS, 1, { event: 'case.list', outcome: 'denied', detail: { error: 'DENIED' } }],
    ['audit verify', ['audit', 'verify', ...asAudrey], AUDITOR_PASS, 0, { event: 'audit.integrity', outcome: 'success', detail: expect.objectContaining({ ok: true }) }],
    ['audit list', ['audit', 'list', ...asAudrey], AUDITOR_PASS, 0, { event: 'audit.query', outcome: 'success' }],
    ['audit list --event', ['audit', 'list', ...asAudrey, '--event', 'lock'], AUDITOR_PASS, 0, { event: 'audit.query', outcome: 'success', detail: { event: 'lock' } }],
    ['audit device-key', ['audit', 'device-key', ...asAudrey, '--out', 'device.pem'], AUDITOR_PASS, 0, { event: 'audit.device-key', outcome: 'success' }],
    ['sync status', ['sync', 'status', ...asAlice], PASS, 0, { event: 'outbox.list', outcome: 'success', detail: { results: 0 } }],
    ['sync witnessed (none yet)', ['sync', 'witnessed', ...asAlice, '--out', 'witnessed.txt'], PASS, 1, { event: 'sync.witnessed', outcome: 'failure', detail: { error: 'NOT_FOUND' } }],
  ])('%s', async (_name, argv, passphrase, code, leaf) => {
    const { run, added } = await withNewLeaves(argv, passphrase);
    expect(run.code, run.err).toBe(code);
    const user = argv[argv.indexOf('--user') + 1];
    expect(added).toEqual([expect.objectContaining({ ...leaf, app: 'rwctl/0.1.0', actor: { user, role: user === 'alice' ? 'reviewer' : 'auditor' } })]);
  });

  it('audit list shows the log as it was asked about, not its own leaf', async () => {
    const before = await leaves();
    const run = await rwctl(['audit', 'list', ...asAudrey, '--json'], AUDITOR_PASS);
    const listed = run.out.trim().split('\n').map((line) => JSON.parse(line) as LeafView);
    expect(listed.map((l) => l.seq)).toEqual(before.map((l) => l.seq));
  });

  it('audit verify still covers and passes the log that now holds the read leaves', async () => {
    const run = await rwctl(['audit', 'verify', ...asAudrey, '--json'], AUDITOR_PASS);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ ok: true, size: (await leaves()).length - 1 });
  });
});

describe('rwctl audit verify on a damaged audit.db', () => {
  const copy = (name: string) => {
    const dir = path.join(work, name);
    fs.cpSync(vaultDir, dir, { recursive: true });
    return dir;
  };

  it('reports a flipped byte as damage (exit 1) and never crashes, whether or not its leaf can be written', async () => {
    const dir = copy('flipped');
    const file = path.join(dir, 'audit.db');
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    fs.writeFileSync(file, bytes);
    const run = await rwctl(['audit', 'verify', '--vault', 'flipped', '--user', 'audrey'], AUDITOR_PASS);
    expect(run.code).toBe(1);
    expect(run.out).toContain('Audit log DAMAGED');
    expect(run.out).toContain('the audit database is damaged');
    expect(run.err).not.toContain('internal error');
  });

  it.each<[string, string[], number]>([
    ['its leaves intact', [], 0],
    [
      'the first leaf rewritten too',
      ['DROP TRIGGER log_leaves_no_update', `UPDATE log_leaves SET leaf = CAST(replace(CAST(leaf AS TEXT), '"success"', '"failure"') AS BLOB) WHERE seq = 0`],
      1,
    ],
  ])('keeps the verdict and exit code when the leaf cannot be written (state row removed, %s)', async (name, extra, code) => {
    const dir = copy(`stateless-${code}`);
    // A log whose state row is gone refuses every append (LOG_DAMAGED), whatever its leaves say.
    const vault = await unlockVault(dir, 'alice', PASS, { clock: () => clock.now });
    try {
      for (const sql of ['DELETE FROM log_state WHERE id = 1', ...extra]) vault.audit.prepare(sql).run();
    } finally {
      vault.close();
    }
    const before = (await leaves(dir)).length;
    const run = await rwctl(['audit', 'verify', '--vault', path.basename(dir), '--user', 'audrey'], AUDITOR_PASS);
    expect(run.code, name).toBe(code);
    expect(run.out).toMatch(code === 0 ? /^Audit log intact/ : /^Audit log DAMAGED: first bad sequence number 0/);
    expect(run.err).toBe('rwctl: this check could not be written to the access log (the verdict stands).\n');
    expect((await leaves(dir)).length).toBe(before);
  });
});
