import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CASES_COMMANDS } from '../../../src-cli/cases-commands';
import type { CliIo } from '../../../src-cli/command';
import { allCommands, runCli } from '../../../src-cli/main';
import { createVaultCommands } from '../../../src-cli/vault-commands';
import { MIN_KDF_PARAMS } from '../../../src-main/vault/kdf';
import { unlockVault } from '../../../src-main/vault/vault';
import { generateEd25519 } from '../../../src-shared/node/crypto';
import { DEFAULT_POLICY } from '../../../src-shared/policy';
import { refreshPreSignInPolicy } from '../../../src-main/controls/signed-policy';
import { enrollWithSignedPolicy } from '../../helpers/enroll-signed-policy';
import { rwctlArgs } from '../../helpers/rwctl-child';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ALICE_PW = 'alice passphrase 1';
const AUDREY_PW = 'audrey passphrase 3';

// The fast profile (64 MiB floor, one pass) stands in for calibration in the in-process tests.
const commands = [...createVaultCommands({ kdf: async () => MIN_KDF_PARAMS }), ...CASES_COMMANDS];

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-cli-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function fakeIo(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env,
    stdin: Readable.from([]),
    cwd: root,
    clock: () => Date.now(),
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

async function run(argv: string[], env: Record<string, string> = {}) {
  const f = fakeIo(env);
  const code = await runCli(argv, f.io, commands);
  return { code, stdout: f.out(), stderr: f.err() };
}

async function initWithAuditor() {
  expect((await run(['vault', 'init', '--vault', 'v', '--user', 'alice'], { RW_PASSPHRASE: ALICE_PW })).code).toBe(0);
  const added = await run(['vault', 'add-user', '--vault', 'v', '--user', 'audrey', '--role', 'auditor', '--as', 'alice'], { RW_PASSPHRASE: ALICE_PW, RW_NEW_PASSPHRASE: AUDREY_PW });
  expect(added).toMatchObject({ code: 0, stdout: expect.stringContaining('Added auditor audrey') });
}

describe('rwctl vault and cases (in process)', () => {
  it('registers its commands with the real runner', () => {
    const paths = allCommands().map((c) => c.path.join(' '));
    expect(paths).toEqual(expect.arrayContaining(['vault init', 'vault add-user', 'vault change-passphrase', 'cases list']));
  });

  it('initialises, adds an auditor and lists cases as JSON for a reviewer', async () => {
    await initWithAuditor();
    const vault = await unlockVault(path.join(root, 'v'), 'alice', ALICE_PW, { clock: () => Date.now() });
    vault.content?.prepare("INSERT INTO cases VALUES ('case-1', 'Model X', 'Dev Co', '1.0', '2026-11-01', '2026-12-15', '2026-12-01', 'sha256:ab', 'k', 5, '{}')").run();
    vault.close();
    const listed = await run(['cases', 'list', '--vault', 'v', '--user', 'alice', '--json'], { RW_PASSPHRASE: ALICE_PW });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({
      cases: [{ id: 'case-1', model: 'Model X', developer: 'Dev Co', version: '1.0', releaseDate: '2026-12-15', reviewDeadline: '2026-12-01', packageDigest: 'sha256:ab', importedAt: 5, artifactCount: 0 }],
    });
    const table = await run(['cases', 'list', '--vault', 'v', '--user', 'alice'], { RW_PASSPHRASE: ALICE_PW });
    expect(table.stdout).toMatch(/^ID\s+MODEL.*\ncase-1\s+Model X\s+1\.0\s+Dev Co/);
  });

  it('reads the authorising passphrase from --passphrase-file', async () => {
    fs.writeFileSync(path.join(root, 'pw.txt'), `${ALICE_PW}\n`);
    expect((await run(['vault', 'init', '--vault', 'v', '--user', 'alice', '--passphrase-file', 'pw.txt'])).code).toBe(0);
    expect((await run(['cases', 'list', '--vault', 'v', '--user', 'alice', '--passphrase-file', 'pw.txt'])).code).toBe(0);
  });

  it('changes a passphrase', async () => {
    await initWithAuditor();
    expect((await run(['vault', 'change-passphrase', '--vault', 'v', '--user', 'alice'], { RW_PASSPHRASE: ALICE_PW, RW_NEW_PASSPHRASE: 'another long passphrase' })).code).toBe(0);
    expect((await run(['cases', 'list', '--vault', 'v', '--user', 'alice'], { RW_PASSPHRASE: ALICE_PW })).code).toBe(3);
    expect((await run(['cases', 'list', '--vault', 'v', '--user', 'alice'], { RW_PASSPHRASE: 'another long passphrase' })).code).toBe(0);
  });

  it.each([
    ['a missing --vault', ['vault', 'init', '--user', 'alice'], { RW_PASSPHRASE: ALICE_PW }, 2],
    ['an unknown option', ['vault', 'init', '--vault', 'v', '--user', 'alice', '--passphrase', 'x'], { RW_PASSPHRASE: ALICE_PW }, 2],
    ['no passphrase source and no terminal', ['vault', 'init', '--vault', 'v', '--user', 'alice'], {}, 2],
    ['a short passphrase', ['vault', 'init', '--vault', 'v', '--user', 'alice'], { RW_PASSPHRASE: 'short' }, 1],
    ['a bad user name', ['vault', 'init', '--vault', 'v', '--user', '../alice'], { RW_PASSPHRASE: ALICE_PW }, 1],
    ['cases in a folder without a vault', ['cases', 'list', '--vault', 'nowhere', '--user', 'alice'], { RW_PASSPHRASE: ALICE_PW }, 1],
  ])('exits with the contract code for %s', async (_name, argv, env, code) => {
    expect((await run(argv, env)).code).toBe(code);
  });

  it.each([
    ['a second init', ['vault', 'init', '--vault', 'v', '--user', 'bob'], { RW_PASSPHRASE: ALICE_PW }, 1],
    ['a role that does not exist', ['vault', 'add-user', '--vault', 'v', '--user', 'x', '--role', 'admin', '--as', 'alice'], { RW_PASSPHRASE: ALICE_PW, RW_NEW_PASSPHRASE: AUDREY_PW }, 2],
    ['an add-user authorised by an auditor', ['vault', 'add-user', '--vault', 'v', '--user', 'x', '--role', 'reviewer', '--as', 'audrey'], { RW_PASSPHRASE: AUDREY_PW, RW_NEW_PASSPHRASE: AUDREY_PW }, 1],
    ['an add-user with a wrong authorising passphrase', ['vault', 'add-user', '--vault', 'v', '--user', 'x', '--role', 'auditor', '--as', 'alice'], { RW_PASSPHRASE: 'wrong passphrase!', RW_NEW_PASSPHRASE: AUDREY_PW }, 3],
    ['an add-user of an existing name', ['vault', 'add-user', '--vault', 'v', '--user', 'AUDREY', '--role', 'auditor', '--as', 'alice'], { RW_PASSPHRASE: ALICE_PW, RW_NEW_PASSPHRASE: AUDREY_PW }, 1],
    ['a wrong passphrase', ['cases', 'list', '--vault', 'v', '--user', 'alice'], { RW_PASSPHRASE: 'wrong passphrase!' }, 3],
    ['an unknown user', ['cases', 'list', '--vault', 'v', '--user', 'zed'], { RW_PASSPHRASE: ALICE_PW }, 3],
    ['an auditor listing case content', ['cases', 'list', '--vault', 'v', '--user', 'audrey'], { RW_PASSPHRASE: AUDREY_PW }, 1],
  ])('exits with the contract code for %s on an existing vault', async (_name, argv, env, code) => {
    await initWithAuditor();
    const r = await run(argv, env);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(/^rwctl: /);
    expect(r.stderr).not.toContain(root);
  });

  it('prints the same refusal for an unknown user and a wrong passphrase, with the attempts left (per user; the workstation ceiling for a name that is no user)', async () => {
    await initWithAuditor();
    const wrong = await run(['cases', 'list', '--vault', 'v', '--user', 'alice'], { RW_PASSPHRASE: 'wrong passphrase!' });
    const unknown = await run(['cases', 'list', '--vault', 'v', '--user', 'zed'], { RW_PASSPHRASE: ALICE_PW });
    expect(wrong.stderr).toContain('9 attempts left');
    expect(unknown.stderr).toBe(wrong.stderr.replace('9 attempts', '28 attempts'));
  });

  it("counts failed unlocks against the installed signed policy's lockout, as the app does", async () => {
    await initWithAuditor();
    const vault = await unlockVault(path.join(root, 'v'), 'alice', ALICE_PW, { clock: () => Date.now(), policy: DEFAULT_POLICY.lockout });
    try {
      enrollWithSignedPolicy(vault.audit, vault.workstationId, { ...DEFAULT_POLICY, version: 2, lockout: { delayAfter: 2, lockAfter: 4 } }, generateEd25519(), Date.now());
      // As `rwctl enroll import` and the app's lock do: the signed copy the lock screen reads.
      refreshPreSignInPolicy(path.join(root, 'v'), vault.audit);
    } finally {
      vault.close();
    }
    const wrong = await run(['cases', 'list', '--vault', 'v', '--user', 'alice'], { RW_PASSPHRASE: 'wrong passphrase!' });
    expect(wrong.stderr).toContain('3 attempts left');
    await run(['cases', 'list', '--vault', 'v', '--user', 'alice'], { RW_PASSPHRASE: 'wrong passphrase!' });
    await run(['cases', 'list', '--vault', 'v', '--user', 'alice'], { RW_PASSPHRASE: 'wrong passphrase!' });
    await run(['cases', 'list', '--vault', 'v', '--user', 'alice'], { RW_PASSPHRASE: 'wrong passphrase!' });
    // Locked after four, as the policy says (the default would allow ten): the right passphrase is refused too.
    expect((await run(['cases', 'list', '--vault', 'v', '--user', 'alice'], { RW_PASSPHRASE: ALICE_PW })).code).not.toBe(0);
  });
});

describe('rwctl as a real child process', () => {
  const rwctl = (args: string[], env: Record<string, string>) =>
    spawnSync(process.execPath, rwctlArgs(args), {
      cwd: repoRoot,
      env: { ...process.env, RW_PASSPHRASE: '', RW_NEW_PASSPHRASE: '', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('initialises with a calibrated KDF and counts failed unlocks across separate processes', () => {
    const v = path.join(root, 'v');
    const init = rwctl(['vault', 'init', '--vault', v, '--user', 'alice'], { RW_PASSPHRASE: ALICE_PW });
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
    expect(init.stdout).toMatch(/Argon2id: \d+ MiB, t=\d+/);
    const slot = JSON.parse(fs.readFileSync(path.join(root, 'v', 'slots.json'), 'utf8')).slots[0];
    expect(slot.kdf.memoryKiB).toBeGreaterThanOrEqual(65536);

    // Each failure is recorded by a separate process; the next process continues the count.
    for (let i = 0; i < 3; i++) {
      const r = rwctl(['cases', 'list', '--vault', v, '--user', i === 1 ? 'nobody' : 'alice'], { RW_PASSPHRASE: `wrong passphrase ${i}` });
      expect(r.status).toBe(3);
      expect(r.stderr).toContain(`not correct. ${[9, 28, 8][i]} attempt`);
    }
    expect(JSON.parse(fs.readFileSync(path.join(v, 'unlock-state.json'), 'utf8'))).toMatchObject({ failures: 3, users: { alice: { failures: 2 } } });
  }, 240_000);
});

describe('rwctl vault users, remove-user and show-key', () => {
  it('lists users as JSON, removes an auditor (exit 0), refuses the last reviewer (exit 1) and an auditor acting (exit 1)', async () => {
    await initWithAuditor();
    const listed = await run(['vault', 'users', '--vault', 'v', '--json']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({ users: [{ name: 'alice', role: 'reviewer' }, { name: 'audrey', role: 'auditor' }] });

    const last = await run(['vault', 'remove-user', '--vault', 'v', '--user', 'alice', '--as', 'alice'], { RW_PASSPHRASE: ALICE_PW });
    expect(last.code).toBe(1);
    expect(last.stderr).toContain('alice is the last reviewer and cannot be removed');
    const byAuditor = await run(['vault', 'remove-user', '--vault', 'v', '--user', 'alice', '--as', 'audrey'], { RW_PASSPHRASE: AUDREY_PW });
    expect(byAuditor).toMatchObject({ code: 1, stderr: expect.stringContaining('Only a reviewer may remove users.') });
    const wrong = await run(['vault', 'remove-user', '--vault', 'v', '--user', 'audrey', '--as', 'alice'], { RW_PASSPHRASE: 'not the passphrase' });
    expect(wrong.code).toBe(3);
    const missing = await run(['vault', 'remove-user', '--vault', 'v', '--user', 'nobody', '--as', 'alice'], { RW_PASSPHRASE: ALICE_PW });
    expect(missing.code).toBe(1);
    expect(JSON.parse((await run(['vault', 'users', '--vault', 'v', '--json'])).stdout).users).toHaveLength(2);

    const removed = await run(['vault', 'remove-user', '--vault', 'v', '--user', 'audrey', '--as', 'alice'], { RW_PASSPHRASE: ALICE_PW });
    expect(removed).toMatchObject({ code: 0, stdout: 'Removed auditor audrey; they can no longer sign in on this workstation.\n' });
    expect(JSON.parse((await run(['vault', 'users', '--vault', 'v', '--json'])).stdout)).toEqual({ users: [{ name: 'alice', role: 'reviewer' }] });
    expect((await run(['vault', 'change-passphrase', '--vault', 'v', '--user', 'audrey'], { RW_PASSPHRASE: AUDREY_PW, RW_NEW_PASSPHRASE: 'whatever passphrase 12' })).code).toBe(3);

    // Every attempt, refused or not, is a user.remove leaf under the acting user's name.
    const vault = await unlockVault(path.join(root, 'v'), 'alice', ALICE_PW, { clock: () => Date.now() });
    const leaves = vault.audit.prepare("SELECT user, outcome FROM log_leaves WHERE event = 'user.remove' ORDER BY seq").all();
    vault.close();
    expect(leaves.map((l) => [l.user, l.outcome])).toEqual([
      ['alice', 'denied'],
      ['audrey', 'denied'],
      ['alice', 'failure'],
      ['alice', 'success'],
    ]);
  });

  it('show-key prints the reviewer public key and its digest; an auditor has none (exit 1)', async () => {
    await initWithAuditor();
    const shown = await run(['vault', 'show-key', '--vault', 'v', '--user', 'alice'], { RW_PASSPHRASE: ALICE_PW });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^[A-Za-z0-9+/]{43}=\nsha256:[0-9a-f]{64}\n$/);
    expect((await run(['vault', 'show-key', '--vault', 'v', '--user', 'audrey'], { RW_PASSPHRASE: AUDREY_PW })).code).toBe(1);
  });
});

describe('rwctl --passphrase-stdin', () => {
  async function runStdin(argv: string[], stdin: string, env: Record<string, string> = {}) {
    const f = fakeIo(env);
    f.io.stdin = Readable.from([Buffer.from(stdin)]);
    const code = await runCli(argv, f.io, commands);
    return { code, stdout: f.out(), stderr: f.err() };
  }

  it('takes the passphrase from the first line of standard input, before RW_PASSPHRASE; an empty stdin is refused (exit 1)', async () => {
    await initWithAuditor();
    const shown = await runStdin(['vault', 'show-key', '--vault', 'v', '--user', 'alice', '--passphrase-stdin'], `${ALICE_PW}\nignored second line\n`, { RW_PASSPHRASE: 'wrong and ignored' });
    expect(shown.code).toBe(0);
    expect((await runStdin(['vault', 'show-key', '--vault', 'v', '--user', 'alice', '--passphrase-stdin'], '')).code).toBe(1);
    expect((await runStdin(['vault', 'show-key', '--vault', 'v', '--user', 'alice', '--passphrase-stdin'], 'wrong passphrase\n')).code).toBe(3);
  });

  it('is offered by every command that takes --passphrase-file, and help names RW_NEW_PASSPHRASE', async () => {
    const help = await run(['vault', 'show-key', '--help']);
    expect(help.stdout).toContain('--passphrase-stdin');
    expect((await run(['--help'])).stdout).toContain('RW_NEW_PASSPHRASE');
    expect((await run(['vault', 'users', '--vault', 'v', '--passphrase-stdin'])).code).toBe(2);
  });
});
