import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, privateKeyToPem, publicKeyOf, publicKeyToPem, randomBytes } from '../../../src-shared/node/crypto';
import { runCli } from '../../../src-cli/main';
import { captureIo } from '../../helpers/cli-io';
import { initVault, unlockVault } from '../../../src-main/vault/vault';
import { MIN_KDF_PARAMS } from '../../../src-main/vault/kdf';
import { tempDir, writeFiles } from '../../helpers/package-fixtures';
import { submissionBytes } from '../../helpers/package-fixtures';
import { evidencePackageFiles } from '../../helpers/evidence-case';
import { generateEvalLog } from '../../helpers/inspect-log-gen';

const PASS = 'correct horse battery staple';

const io = (cwd: string) => captureIo(cwd, { env: { RW_PASSPHRASE: PASS }, clock: () => Date.parse('2026-11-28T10:00:00Z') });

describe('rwctl evidence check FILE…', () => {
  const work = tempDir('rw-evidence-cli-');
  fs.writeFileSync(path.join(work, 'good.eval'), generateEvalLog({ samples: 10 }));
  fs.writeFileSync(path.join(work, 'bad.eval'), generateEvalLog({ samples: 10, reportedAccuracy: 0.99 }));
  fs.writeFileSync(path.join(work, 'cut.eval'), generateEvalLog({ samples: 10 }).subarray(0, 900));

  it('prints the JSON contract and exits 0 when every log is clean', async () => {
    const run = io(work);
    expect(await runCli(['evidence', 'check', 'good.eval', '--json'], run.io)).toBe(0);
    const doc = JSON.parse(run.out.stdout) as { logs: Array<Record<string, unknown>> };
    expect(Object.keys(doc)).toEqual(['logs']);
    expect(doc.logs[0]).toEqual({
      file: 'good.eval',
      status: 'clean',
      task: 'prime_check',
      model: 'example/model-a',
      samples: { expected: 10, present: 10, errored: 0 },
      scores: [
        { scorer: 'match', metric: 'accuracy', reported: expect.any(Number), recomputed: expect.any(Number) },
        { scorer: 'match', metric: 'stderr', reported: expect.any(Number), recomputed: expect.any(Number) },
      ],
      flags: [],
    });
  });

  it('exits 1 when any log is flagged or malformed, listing every log in order', async () => {
    const run = io(work);
    expect(await runCli(['evidence', 'check', 'good.eval', 'bad.eval', 'cut.eval', 'missing.eval', '--json'], run.io)).toBe(1);
    const doc = JSON.parse(run.out.stdout) as { logs: Array<{ file: string; status: string; flags: Array<{ code: string; message: string }> }> };
    expect(doc.logs.map((l) => [l.file, l.status, l.flags.map((f) => f.code)])).toEqual([
      ['good.eval', 'clean', []],
      ['bad.eval', 'flagged', ['metric-mismatch']],
      ['cut.eval', 'malformed', ['malformed']],
      ['missing.eval', 'malformed', ['malformed']],
    ]);
    expect(doc.logs[2]!.flags[0]!.message).toMatch(/truncated/);
  });

  it('prints a readable table without --json', async () => {
    const run = io(work);
    expect(await runCli(['evidence', 'check', 'bad.eval'], run.io)).toBe(1);
    expect(run.out.stdout).toMatch(/^FLAGGED\s+bad\.eval/);
    expect(run.out.stdout).toMatch(/match accuracy\s+0\.99\s+0\.\d+\s+mismatch/);
    expect(run.out.stdout).toMatch(/! metric-mismatch: match accuracy: the log reports 0\.99/);
  });

  it.each([
    [['evidence', 'check'], /at least one log file/],
    [['evidence', 'check', 'good.eval', '--vault', 'v', '--user', 'u', '--case', 'c'], /not both/],
    [['evidence', 'check', '--vault', 'v'], /go together/],
    [['evidence', 'check', '--vault', 'v', '--user', 'u', '--case', 'not-a-case'], /case id/],
    [['evidence', 'check', 'good.eval', '--bogus'], /Unknown option/],
  ])('usage errors exit 2: %j', async (argv, why) => {
    const run = io(work);
    expect(await runCli(argv, run.io)).toBe(2);
    expect(run.out.stderr).toMatch(why);
  });
});

describe('rwctl evidence check --vault --user --case', () => {
  it('checks every log artifact of the case in place (not other JSON), logs one leaf, exits 1 on the misreporting run', async () => {
    const work = tempDir('rw-evidence-vault-');
    const vaultDir = path.join(work, 'vault');
    await initVault(vaultDir, 'alice', PASS, { clock: () => 0, random: randomBytes, kdf: MIN_KDF_PARAMS });
    const key = generateKeyPair('ecdsa-p256');
    fs.writeFileSync(path.join(work, 'key.pem'), privateKeyToPem(key));
    fs.writeFileSync(path.join(work, 'pub.pem'), publicKeyToPem(publicKeyOf(key)));
    writeFiles(path.join(work, 'pkg'), { 'submission.json': submissionBytes(), ...evidencePackageFiles() });
    expect(await runCli(['package', 'sign', 'pkg', '--key', 'key.pem'], io(work).io)).toBe(0);
    const imported = io(work);
    expect(await runCli(['import', 'pkg', '--vault', 'vault', '--user', 'alice', '--trust', 'pub.pem'], imported.io)).toBe(0);
    const caseId = /case-[0-9a-f]{32}/.exec(imported.out.stdout)![0];

    const run = io(work);
    expect(await runCli(['evidence', 'check', '--vault', 'vault', '--user', 'alice', '--case', caseId, '--json'], run.io)).toBe(1);
    const doc = JSON.parse(run.out.stdout) as { logs: Array<{ file: string; status: string; model: string; flags: Array<{ code: string }> }> };
    expect(doc.logs.map((l) => [l.file, l.status, l.model, l.flags.map((f) => f.code)])).toEqual([
      ['evals/prime_check-model-a.eval', 'flagged', 'example/model-a', ['sample-errors']],
      ['evals/prime_check-model-b.eval', 'flagged', 'example/model-b', ['metric-mismatch']],
    ]);

    const vault = await unlockVault(vaultDir, 'alice', PASS, { clock: () => 0 });
    try {
      const leaves = vault.audit.prepare("SELECT leaf FROM log_leaves WHERE event = 'evidence.check'").all();
      expect(leaves).toHaveLength(1);
      expect(JSON.parse(Buffer.from(leaves[0]!.leaf as Uint8Array).toString('utf8'))).toMatchObject({ object: { kind: 'case', id: caseId }, detail: { logs: 2, flagged: 2 }, outcome: 'success' });
    } finally {
      vault.close();
    }
  });
});
