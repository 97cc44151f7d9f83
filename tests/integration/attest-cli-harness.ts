/**
 * In-process rwctl for the attestation integration tests: a workstation vault with an imported,
 * signed package (a real case), and a central server data folder, driven only through commands.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { generateKeyPair, privateKeyToPem, publicKeyOf, publicKeyToPem, randomBytes } from '../../src-shared/node/crypto';
import { allCommands, runCli } from '../../src-cli/main';
import type { CliIo } from '../../src-cli/command';
import { initVault } from '../../src-main/vault/vault';
import { MIN_KDF_PARAMS } from '../../src-main/vault/kdf';
import { submissionBytes, tempDir, writeFiles } from '../helpers/package-fixtures';

export const PASS = 'correct horse battery staple';

export interface Run {
  code: number;
  out: string;
  err: string;
}

export interface Harness {
  work: string;
  clock: { now: number };
  rwctl(argv: string[], env?: Record<string, string | undefined>): Promise<Run>;
  /** The vault options every workstation command takes. */
  ws: string[];
  caseId: string;
}

export async function workstationWithCase(): Promise<Harness> {
  const work = tempDir('rw-attest-e2e-');
  const clock = { now: Date.parse('2026-11-28T10:00:00Z') };
  // The trust root an administrator would install from `rwctl server init` (tests keep the server in srv/).
  const rwctl = async (argv: string[], env: Record<string, string | undefined> = { RW_PASSPHRASE: PASS, RW_TRUST_ROOT: path.join(work, 'srv', 'workstation-trust.json') }): Promise<Run> => {
    const run = { code: 0, out: '', err: '' };
    const io: CliIo = {
      stdout: (t) => void (run.out += t),
      stderr: (t) => void (run.err += t),
      env,
      stdin: Readable.from([]),
      cwd: work,
      clock: () => clock.now,
    };
    run.code = await runCli(argv, io, allCommands());
    clock.now += 1000;
    return run;
  };
  await initVault(path.join(work, 'vault'), 'alice', PASS, { clock: () => clock.now, random: randomBytes, kdf: MIN_KDF_PARAMS });
  const key = generateKeyPair('ecdsa-p256');
  fs.writeFileSync(path.join(work, 'submitter.pem'), privateKeyToPem(key));
  fs.writeFileSync(path.join(work, 'submitter.pub.pem'), publicKeyToPem(publicKeyOf(key)));
  writeFiles(path.join(work, 'pkg'), { 'submission.json': submissionBytes(), 'model-card.md': '# Model card\n', 'evals/results.csv': 'task,score\na,0.5\n' });
  const signed = await rwctl(['package', 'sign', 'pkg', '--key', 'submitter.pem']);
  if (signed.code !== 0) throw new Error(`package sign: ${signed.err}`);
  const imported = await rwctl(['import', 'pkg', '--vault', 'vault', '--user', 'alice', '--trust', 'submitter.pub.pem']);
  if (imported.code !== 0) throw new Error(`import: ${imported.err}`);
  return { work, clock, rwctl, ws: ['--vault', 'vault', '--user', 'alice'], caseId: /case-[0-9a-f]{32}/.exec(imported.out)?.[0] ?? '' };
}
