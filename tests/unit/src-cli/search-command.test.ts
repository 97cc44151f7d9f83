import * as path from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from '../../../src-shared/node/crypto';
import { fromUtf8 } from '../../../src-shared/encoding';
import { runCli } from '../../../src-cli/main';
import { SEARCH_COMMANDS } from '../../../src-cli/search-command';
import { CASES_COMMANDS } from '../../../src-cli/cases-commands';
import type { CliIo } from '../../../src-cli/command';
import { addUser, initVault, unlockVault } from '../../../src-main/vault/vault';
import { MIN_KDF_PARAMS } from '../../../src-main/vault/kdf';
import { tempDir } from '../../helpers/package-fixtures';
import { importFiles, ONLY_IN, packageFiles } from '../src-main/search/search-fixture';

const PASS = 'correct horse battery staple';
const AUDITOR_PASS = 'auditor horse battery staple';
let work = '';
let caseId = '';

function io(passphrase = PASS) {
  const out = { stdout: '', stderr: '' };
  const value: CliIo = {
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    env: { RW_PASSPHRASE: passphrase },
    stdin: Readable.from([]),
    cwd: work,
    clock: () => Date.parse('2026-11-28T10:00:00Z'),
  };
  return { io: value, out };
}

async function searchLeaves(): Promise<Array<{ outcome: string; actor: { user: string }; detail: Record<string, unknown> }>> {
  const vault = await unlockVault(path.join(work, 'vault'), 'alice', PASS, { clock: () => 0 });
  try {
    return vault.audit
      .prepare("SELECT leaf FROM log_leaves WHERE event = 'search' ORDER BY seq")
      .all()
      .map((r) => JSON.parse(fromUtf8(r['leaf'] as Uint8Array)));
  } finally {
    vault.close();
  }
}

const run = async (args: string[], passphrase = PASS) => {
  const r = io(passphrase);
  const code = await runCli(['search', ...args], r.io, SEARCH_COMMANDS);
  return { code, ...r.out };
};

beforeAll(async () => {
  work = tempDir('rw-cli-search-');
  const dir = path.join(work, 'vault');
  await initVault(dir, 'alice', PASS, { clock: () => 0, random: randomBytes, kdf: MIN_KDF_PARAMS });
  await addUser(dir, { user: 'audrey', role: 'auditor', newPassphrase: AUDITOR_PASS }, { asUser: 'alice', asPassphrase: PASS }, { clock: () => 0, random: randomBytes, kdf: MIN_KDF_PARAMS });
  const vault = await unlockVault(dir, 'alice', PASS, { clock: () => 0 });
  try {
    caseId = await importFiles(vault.content!, packageFiles());
  } finally {
    vault.close();
  }
}, 60_000);

describe('rwctl search', () => {
  it('prints the JSON contract: hits with case, artifact, kind, where, snippet (** around hits) and score', async () => {
    const r = await run([ONLY_IN.pdf, '--vault', 'vault', '--user', 'alice', '--json']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const answer = JSON.parse(lines.at(-1)!);
    expect(Object.keys(answer)).toEqual(['hits']);
    expect(answer.hits).toHaveLength(1);
    expect(Object.keys(answer.hits[0])).toEqual(['case', 'artifact', 'kind', 'where', 'snippet', 'score']);
    expect(answer.hits[0]).toMatchObject({ case: caseId, artifact: 'reports/system-card.pdf', kind: 'pdf', where: 'page 2' });
    expect(answer.hits[0].snippet).toContain(`**${ONLY_IN.pdf}**`);
    expect(typeof answer.hits[0].score).toBe('number');
  });

  it('honours --case, --kind and --limit, and exits 0 with no hits', async () => {
    expect(JSON.parse((await run(['line', '--vault', 'vault', '--user', 'alice', '--json', '--limit', '2'])).stdout).hits).toHaveLength(2);
    expect(JSON.parse((await run([ONLY_IN.pdf, '--vault', 'vault', '--user', 'alice', '--json', '--kind', 'md'])).stdout).hits).toEqual([]);
    expect(JSON.parse((await run([ONLY_IN.pdf, '--vault', 'vault', '--user', 'alice', '--json', '--case', 'case-0000'])).stdout).hits).toEqual([]);
    const none = await run(['nothingmatchesthis', '--vault', 'vault', '--user', 'alice']);
    expect(none).toMatchObject({ code: 0, stdout: 'No hits.\n' });
    const text = await run([ONLY_IN.csv, '--vault', 'vault', '--user', 'alice', '--case', caseId]);
    expect(text.stdout).toContain('eval/results.csv (row 3) [csv]');
  });

  it.each([
    [['-alone'], 1],
    [['x', '--kind', 'exe'], 1],
    [['*ab*'], 1],
    [['x', '--limit', '0'], 2],
    [['x', '--limit', 'ten'], 2],
  ])('refuses %j with exit %i', async (args, code) => {
    const r = await run([...args, '--vault', 'vault', '--user', 'alice']);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^rwctl: /);
  });

  it('refuses an auditor (exit 1) and a wrong passphrase (exit 3)', async () => {
    const auditor = await run([ONLY_IN.pdf, '--vault', 'vault', '--user', 'audrey'], AUDITOR_PASS);
    expect(auditor.code).toBe(1);
    expect(auditor.stdout).toBe('');
    expect((await run([ONLY_IN.pdf, '--vault', 'vault', '--user', 'alice'], 'wrong passphrase entirely')).code).toBe(3);
  });

  it('writes one search leaf per search: query and hits, the refusals too', async () => {
    const leaves = await searchLeaves();
    expect(leaves[0]).toMatchObject({ outcome: 'success', actor: { user: 'alice' }, detail: { query: ONLY_IN.pdf, results: 1 } });
    expect(leaves.some((l) => l.outcome === 'failure' && l.detail['query'] === '-alone' && l.detail['error'] === 'INVALID_INPUT')).toBe(true);
    expect(leaves.some((l) => l.outcome === 'denied' && l.actor.user === 'audrey' && !('query' in l.detail))).toBe(true);
  });
});

describe('rwctl cases remove', () => {
  const remove = async (args: string[], passphrase = PASS) => {
    const r = io(passphrase);
    const code = await runCli(['cases', 'remove', ...args], r.io, CASES_COMMANDS);
    return { code, ...r.out };
  };

  it('refuses a malformed id (2), an unknown case and an auditor (1), changing nothing', async () => {
    expect((await remove(['not-a-case', '--vault', 'vault', '--user', 'alice'])).code).toBe(2);
    expect((await remove([`case-${'0'.repeat(32)}`, '--vault', 'vault', '--user', 'alice'])).code).toBe(1);
    expect((await remove([caseId, '--vault', 'vault', '--user', 'audrey'], AUDITOR_PASS)).code).toBe(1);
    expect(JSON.parse((await run([ONLY_IN.pdf, '--vault', 'vault', '--user', 'alice', '--json'])).stdout).hits).toHaveLength(1);
  });

  it('removes the case with its search hits, and logs the removal naming the case', async () => {
    const r = await remove([caseId, '--vault', 'vault', '--user', 'alice']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain(caseId);
    for (const word of [ONLY_IN.pdf, ONLY_IN.md, 'calculator']) expect(JSON.parse((await run([word, '--vault', 'vault', '--user', 'alice', '--json'])).stdout).hits).toEqual([]);
    const vault = await unlockVault(path.join(work, 'vault'), 'alice', PASS, { clock: () => 0 });
    try {
      const leaves = vault.audit.prepare("SELECT leaf FROM log_leaves WHERE event = 'case.remove' ORDER BY seq").all().map((row) => JSON.parse(fromUtf8(row['leaf'] as Uint8Array)));
      expect(leaves.at(-1)).toMatchObject({ outcome: 'success', actor: { user: 'alice' }, object: { kind: 'case', id: caseId } });
      expect(leaves.filter((l) => l.outcome !== 'success')).toHaveLength(2);
    } finally {
      vault.close();
    }
  });
});
