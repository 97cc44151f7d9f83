/**
 * rwctl vault clear-lockout and rwctl server lockout-release: a user's lockout cleared by another
 * reviewer, the workstation's by a release the central office signs for its id and failure count;
 * each refusal with its exit code, and what reaches the access log.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src-cli/command';
import { runCli } from '../../../src-cli/main';
import { createServerCommands } from '../../../src-cli/server-commands';
import { createVaultCommands } from '../../../src-cli/vault-commands';
import { CASES_COMMANDS } from '../../../src-cli/cases-commands';
import { refreshPreSignInPolicy } from '../../../src-main/controls/signed-policy';
import { MIN_KDF_PARAMS } from '../../../src-main/vault/kdf';
import { unlockVault } from '../../../src-main/vault/vault';
import { initDataDir } from '../../../src-server/server-config';
import { fromBase64 } from '../../../src-shared/encoding';
import { generateEd25519 } from '../../../src-shared/node/crypto';
import { DEFAULT_POLICY } from '../../../src-shared/policy';
import { enrollWithSignedPolicy, trustPolicyKey } from '../../helpers/enroll-signed-policy';

const ALICE_PW = 'alice passphrase 1';
const BOB_PW = 'bob passphrase 22';
const AUDREY_PW = 'audrey passphrase 3';
const commands = [...createVaultCommands({ kdf: async () => MIN_KDF_PARAMS }), ...createServerCommands(), ...CASES_COMMANDS];

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-lockout-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

async function run(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env, stdin: Readable.from([]), cwd: root, clock: () => Date.now() };
  const code = await runCli(argv, io, commands);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** alice and bob (reviewers), audrey (auditor), under a signed policy: a user locks after 2 failures, the workstation after 4. */
async function vaultWithStrictLockout(): Promise<string> {
  expect((await run(['vault', 'init', '--vault', 'v', '--user', 'alice'], { RW_PASSPHRASE: ALICE_PW })).code).toBe(0);
  for (const [user, role, pw] of [['bob', 'reviewer', BOB_PW], ['audrey', 'auditor', AUDREY_PW]] as const) {
    expect((await run(['vault', 'add-user', '--vault', 'v', '--user', user, '--role', role, '--as', 'alice'], { RW_PASSPHRASE: ALICE_PW, RW_NEW_PASSPHRASE: pw })).code).toBe(0);
  }
  const vault = await unlockVault(path.join(root, 'v'), 'alice', ALICE_PW, { clock: () => Date.now() });
  try {
    enrollWithSignedPolicy(vault.audit, vault.workstationId, { ...DEFAULT_POLICY, version: 2, lockout: { delayAfter: 20, lockAfter: 2, workstationLockAfter: 4 } }, generateEd25519(), Date.now());
    refreshPreSignInPolicy(path.join(root, 'v'), vault.audit);
    return vault.workstationId;
  } finally {
    vault.close();
  }
}

async function leaves() {
  const vault = await unlockVault(path.join(root, 'v'), 'audrey', AUDREY_PW, { clock: () => Date.now(), policy: { delayAfter: 20, lockAfter: 2, workstationLockAfter: 4 } });
  try {
    return vault.audit.prepare("SELECT event, user, role, object_id, outcome, leaf FROM log_leaves WHERE event LIKE 'lockout.%' ORDER BY seq").all()
      .map((r) => ({ event: String(r['event']), user: r['user'], role: r['role'], object_id: r['object_id'], outcome: r['outcome'], leaf: JSON.parse(Buffer.from(r['leaf'] as Uint8Array).toString('utf8')) }));
  } finally {
    vault.close();
  }
}

describe('rwctl vault clear-lockout and server lockout-release', () => {
  it('a user: another reviewer clears it (exit 0, the leaf names both), the user, an auditor, nothing to clear refused (exit 1); the workstation: a release for its id and count, once; another workstation, count, a bad signature, reuse refused (exit 1)', async () => {
    const workstation = await vaultWithStrictLockout();
    for (let i = 0; i < 2; i++) expect((await run(['cases', 'list', '--vault', 'v', '--user', 'alice'], { RW_PASSPHRASE: 'wrong passphrase!' })).code).toBe(3);
    const locked = await run(['cases', 'list', '--vault', 'v', '--user', 'alice'], { RW_PASSPHRASE: ALICE_PW });
    expect(locked).toMatchObject({ code: 3, stderr: expect.stringContaining('Another reviewer can clear the lockout') });

    expect((await run(['vault', 'clear-lockout', '--vault', 'v', '--user', 'alice', '--as', 'alice'], { RW_PASSPHRASE: ALICE_PW })).code).toBe(3);
    const auditor = await run(['vault', 'clear-lockout', '--vault', 'v', '--user', 'alice', '--as', 'audrey'], { RW_PASSPHRASE: AUDREY_PW });
    expect(auditor).toMatchObject({ code: 1, stderr: expect.stringContaining('Only a reviewer may clear a lockout') });
    const self = await run(['vault', 'clear-lockout', '--vault', 'v', '--user', 'bob', '--as', 'bob'], { RW_PASSPHRASE: BOB_PW });
    expect(self).toMatchObject({ code: 1, stderr: expect.stringContaining('Nobody clears their own lockout') });

    const clearedRun = await run(['vault', 'clear-lockout', '--vault', 'v', '--user', 'alice', '--as', 'bob'], { RW_PASSPHRASE: BOB_PW });
    expect(clearedRun).toMatchObject({ code: 0, stdout: 'Cleared the lockout of alice (2 failed attempts); they may sign in again.\n' });
    expect((await run(['vault', 'clear-lockout', '--vault', 'v', '--user', 'alice', '--as', 'bob'], { RW_PASSPHRASE: BOB_PW })).code).toBe(1);
    expect((await run(['cases', 'list', '--vault', 'v', '--user', 'alice'], { RW_PASSPHRASE: ALICE_PW })).code).toBe(0);

    // The workstation: a release the central office signs for its id and count, used once.
    const server = path.join(root, 'server');
    const { config } = initDataDir(server);
    trustPolicyKey(fromBase64(config.policyPublicKey));
    // Names that are no user count toward the workstation's ceiling only: four of them lock it.
    for (let i = 0; i < 4; i++) expect((await run(['cases', 'list', '--vault', 'v', '--user', `nobody${i}`], { RW_PASSPHRASE: ALICE_PW })).code).toBe(3);
    const wsLocked = await run(['cases', 'list', '--vault', 'v', '--user', 'bob'], { RW_PASSPHRASE: BOB_PW });
    expect(wsLocked).toMatchObject({ code: 3, stderr: expect.stringMatching(new RegExp(`workstation ${workstation}, failure count \\d+`)) });
    const count = Number(/failure count (\d+)/.exec(wsLocked.stderr)?.[1]);
    // alice's two failures and the four unknown names; a refused attempt while locked counts nothing.
    expect(count).toBe(6);

    const release = (ws: string, failures: number, out: string) => run(['server', 'lockout-release', '--data', 'server', '--workstation', ws, '--failures', String(failures), '--out', out]);
    expect(await release(workstation, count, 'r.json')).toMatchObject({ code: 0, stdout: expect.stringContaining(`at failure count ${count} written to ${path.join(root, 'r.json')}`) });
    expect((await release(workstation, count, 'r.json')).code).toBe(1);
    expect((await release('not-an-id', 4, 'x.json')).code).toBe(2);
    expect((await release(workstation, 0, 'x.json')).code).toBe(2);
    expect((await release('0'.repeat(32), 4, 'other.json')).code).toBe(0);
    expect((await release(workstation, count - 1, 'stale.json')).code).toBe(0);
    const envelope = JSON.parse(fs.readFileSync(path.join(root, 'r.json'), 'utf8'));
    const sig = Buffer.from(envelope.signatures[0].sig, 'base64');
    sig[0] = (sig[0] ?? 0) ^ 1;
    fs.writeFileSync(path.join(root, 'forged.json'), JSON.stringify({ ...envelope, signatures: [{ ...envelope.signatures[0], sig: sig.toString('base64') }] }));

    const clear = (file: string) => run(['vault', 'clear-lockout', '--vault', 'v', '--release', file]);
    expect(await clear('other.json')).toMatchObject({ code: 1, stderr: expect.stringContaining('another workstation') });
    expect(await clear('stale.json')).toMatchObject({ code: 1, stderr: expect.stringContaining(`failure count ${count - 1}, but this workstation's count is ${count}`) });
    expect(await clear('forged.json')).toMatchObject({ code: 1, stderr: expect.stringContaining('not signed by the central office') });
    expect(await clear('missing.json')).toMatchObject({ code: 1 });
    expect(await clear('r.json')).toMatchObject({ code: 0, stdout: expect.stringContaining(`Lockout released for workstation ${workstation} (failure count ${count})`) });
    expect(await clear('r.json')).toMatchObject({ code: 1, stderr: expect.stringContaining('already used') });
    expect((await run(['cases', 'list', '--vault', 'v', '--user', 'bob'], { RW_PASSPHRASE: BOB_PW })).code).toBe(0);

    // Journaled before sign-in, in the log after it: every attempt, with its outcome.
    const logged = await leaves();
    const cleared = logged.filter((l) => l.event === 'lockout.clear');
    expect(cleared.map((l) => [l.user, l.object_id, l.outcome, l.leaf.detail.error ?? null])).toEqual([
      ['audrey', 'alice', 'denied', 'DENIED'],
      ['bob', 'bob', 'denied', 'DENIED'],
      ['bob', 'alice', 'success', null],
      ['bob', 'alice', 'failure', 'CONFLICT'],
    ]);
    expect(cleared[2]?.leaf.detail).toMatchObject({ by: 'bob', failures: 2 });
    expect(logged.filter((l) => l.event === 'lockout.release').map((l) => [l.role, l.object_id, l.outcome, l.leaf.detail.error ?? l.leaf.detail.failures])).toEqual([
      ['anonymous', workstation, 'failure', 'CONFLICT'],
      ['anonymous', workstation, 'failure', 'CONFLICT'],
      ['anonymous', workstation, 'failure', 'SIGNATURE_INVALID'],
      ['anonymous', workstation, 'failure', 'NOT_FOUND'],
      ['anonymous', workstation, 'success', count],
      ['anonymous', workstation, 'failure', 'REPLAYED'],
    ]);
  }, 90_000);

  it('takes either --user with --as or --release, not both or neither (exit 2)', async () => {
    expect((await run(['vault', 'clear-lockout', '--vault', 'v', '--user', 'alice'])).code).toBe(2);
    expect((await run(['vault', 'clear-lockout', '--vault', 'v', '--user', 'alice', '--as', 'bob', '--release', 'r.json'])).code).toBe(2);
  });
});
