/**
 * Unlock to case list: `npx tsx bench/unlock.ts [--cases 50] [--runs 5] [--json]`.
 *
 * A vault made through the app's own router (so its key slot carries the Argon2id cost calibrated on
 * this machine), with 50 imported-looking cases of 8 artifacts each in content.db and an access log that
 * already holds a few thousand leaves. Then, several times: lock, and time `session.unlock` followed by
 * `cases.list` through the router (sender check, schema, role, access-log leaf), which is what the lock
 * screen does before the case list can draw. The Argon2id derivation alone at the slot's parameters is
 * timed too, so the rest of the unlock can be read off. Figures only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppCore } from '../src-main/app-core';
import { deriveKey } from '../src-main/vault/kdf';
import { readSlotFile } from '../src-main/vault/key-slots';
import { vaultPaths } from '../src-main/vault/vault-files';
import { requireContentDb } from '../src-main/vault/vault';
import { randomBytes } from '../src-shared/node/crypto';
import { toHex } from '../src-shared/encoding';
import { numberOption, printJsonResult } from './bench-result';

const CASES = numberOption('cases', 50);
const RUNS = numberOption('runs', 5);
const USER = 'bench';
const PASSPHRASE = 'correct horse battery staple bench';
const TOP = { url: 'app://rw/index.html', isTopFrame: true };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** CPU time of this process (user + system): the work itself, which other processes' load does not inflate as it does the wall clock. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const root = mkdtempSync(join(tmpdir(), 'rw-bench-unlock-'));
const dataDir = join(root, 'vault');
const core = await createAppCore({ dataDir, clock: () => Date.now(), preview: true, appOrigin: 'app://rw' });
try {
  const call = async (channel: string, request: unknown = {}) => {
    const result = await core.router.handle(channel, request, TOP);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.value;
  };
  await call('vault.create', { user: USER, passphrase: PASSPHRASE });
  {
    // 50 cases with their artifacts, written as the importer writes its rows (content bytes do not
    // matter to the case list, so each artifact holds one small chunk).
    const db = requireContentDb(core.sessions.require());
    const insertCase = db.prepare('INSERT INTO cases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const insertArtifact = db.prepare('INSERT INTO artifacts VALUES (?, ?, ?, ?, ?, ?, ?)');
    const insertChunk = db.prepare('INSERT INTO artifact_chunks (artifact_id, seq, data) VALUES (?, ?, ?)');
    db.exec('BEGIN');
    for (let c = 0; c < CASES; c++) {
      const caseId = `case-${toHex(randomBytes(16))}`;
      const metadata = JSON.stringify({ model: `Model ${c}`, developer: 'Bench Lab', version: `1.${c}` });
      insertCase.run([caseId, `Model ${c}`, 'Bench Lab', `1.${c}`, '2026-11-28T00:00:00Z', '2027-01-01', `2026-12-${String(10 + (c % 20)).padStart(2, '0')}`, `sha256:${toHex(randomBytes(32))}`, `sha256:${toHex(randomBytes(32))}`, Date.now() - c * 60_000, metadata]);
      for (let a = 0; a < 8; a++) {
        const artifactId = `art-${toHex(randomBytes(16))}`;
        insertArtifact.run([artifactId, caseId, `reports/file-${a}.md`, 4096, toHex(randomBytes(32)), 'text/markdown', 1]);
        insertChunk.run([artifactId, 0, randomBytes(4096) as Uint8Array<ArrayBuffer>]);
      }
    }
    db.exec('COMMIT');
  }
  // An access log with some history, as a vault in use has (each call below is a leaf).
  for (let i = 0; i < 200; i++) await call('cases.list');
  const cases = (await call('cases.list')) as unknown[];
  if (cases.length !== CASES) throw new Error(`expected ${CASES} cases, saw ${cases.length}`);

  const file = readSlotFile(vaultPaths(dataDir).slots);
  const slot = file?.slots.find((s) => s.kind === 'passphrase');
  if (!slot || slot.kind !== 'passphrase') throw new Error('no passphrase slot');
  const { salt: _salt, ...params } = slot.kdf;
  const kdf: number[] = [];
  const kdfCpu: number[] = [];
  const salt = randomBytes(16);
  for (let i = 0; i < RUNS; i++) {
    const c = cpuMs();
    const t = performance.now();
    await deriveKey(PASSPHRASE, salt, params);
    kdf.push(performance.now() - t);
    kdfCpu.push(cpuMs() - c);
  }
  const unlock: number[] = [];
  const unlockCpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await call('session.lock', { reason: 'manual' });
    const c = cpuMs();
    const t = performance.now();
    await call('session.unlock', { user: USER, passphrase: PASSPHRASE });
    const list = (await call('cases.list')) as unknown[];
    unlock.push(performance.now() - t);
    unlockCpu.push(cpuMs() - c);
    if (list.length !== CASES) throw new Error('case list incomplete');
  }
  console.log(`Unlock to case list (${CASES} cases), Argon2id ${params.memoryKiB / 1024} MiB, t=${params.iterations}, p=${params.parallelism} (calibrated here)`);
  console.log(`  Argon2id alone: median ${median(kdf).toFixed(0)} ms (${kdf.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`  passphrase -> case list data ready: median ${median(unlock).toFixed(0)} ms (${unlock.map((x) => x.toFixed(0)).join(', ')}; goal <= 1500 ms)`);
  // On a shared machine the wall clock swings with others' load; CPU time says what the work costs.
  console.log(`  CPU time: Argon2id median ${median(kdfCpu).toFixed(0)} ms, unlock to case list median ${median(unlockCpu).toFixed(0)} ms; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`);
  printJsonResult('unlock', { kdf_ms: median(kdf), unlock_to_cases_ms: median(unlock) });
} finally {
  await core.close();
  rmSync(root, { recursive: true, force: true });
}
