/**
 * Issue 5 end to end over removable media, only through rwctl: enroll (request → server enroll →
 * import), sign an attestation, export a media bundle, import it at the server, bring the receipts back,
 * see every item delivered and the log witnessed; then a truncated access log is caught by
 * `rwctl audit verify` against the witnessed checkpoint, and the next export refuses to paper over it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicKeyToPem, ed25519PublicKey, sha256 } from '../../src-shared/node/crypto';
import { toHex } from '../../src-shared/encoding';
import { MEDIA_BUNDLE_FILES, RECEIPTS_BUNDLE_FILES } from '../../src-shared/attestation-types';
import { unlockVault } from '../../src-main/vault/vault';
import { workstationWithCase, PASS, type Harness } from './attest-cli-harness';
import { dropAppendOnlyTriggers, rebuildLogState } from '../helpers/audit-fixture';

let h: Harness;

beforeAll(async () => {
  h = await workstationWithCase();
}, 120_000);
afterAll(() => fs.rmSync(h.work, { recursive: true, force: true }));

async function reviewerPem(): Promise<string> {
  const vault = await unlockVault(path.join(h.work, 'vault'), 'alice', PASS, { clock: () => h.clock.now });
  try {
    return publicKeyToPem(ed25519PublicKey(vault.signingPublicKey!));
  } finally {
    vault.close();
  }
}

describe('attestation over removable media, both ways', () => {
  it('enrolls, signs, exports, imports at the server, and takes the receipts back', async () => {
    expect((await h.rwctl(['server', 'init', '--data', 'srv', '--name', 'central.test/log'])).code).toBe(0);

    // Before enrollment there is no pinned key: receipts cannot be checked.
    fs.mkdirSync(path.join(h.work, 'empty'));
    const early = await h.rwctl(['sync', 'import-receipts', 'empty', ...h.ws]);
    expect(early.code).toBe(1);
    expect(early.err).toContain('not enrolled');

    expect((await h.rwctl(['enroll', 'request', ...h.ws, '--out', 'request.json'])).code).toBe(0);
    const enrolled = await h.rwctl(['server', 'enroll', 'request.json', '--data', 'srv', '--out', 'approval.json']);
    expect(enrolled.code, enrolled.err).toBe(0);
    const installed = await h.rwctl(['enroll', 'import', 'approval.json', ...h.ws]);
    expect(installed.code, installed.err).toBe(0);
    expect(installed.out).toContain('Enrolled with central.test/log');

    const summary = 'No objection. Evaluations are consistent with the model card.\nSee finding counts.';
    const created = await h.rwctl(['attest', 'create', ...h.ws, '--case', h.caseId, '--verdict', 'no-objection', '--summary', summary, '--out', 'attestation.json']);
    expect(created.code, created.err).toBe(0);
    fs.writeFileSync(path.join(h.work, 'reviewer.pub.pem'), await reviewerPem());
    const verified = await h.rwctl(['attest', 'verify', 'attestation.json', '--pubkey', 'reviewer.pub.pem', '--json']);
    expect(verified.code, verified.err).toBe(0);
    const statement = JSON.parse(verified.out).statement;
    expect(statement.predicate.releaseSummary).toBe(summary);
    expect(statement.subject.map((s: { name: string }) => s.name).sort()).toEqual(['evals/results.csv', `package:${h.caseId}`, 'model-card.md', 'submission.json'].sort());

    const exported = await h.rwctl(['sync', 'export', ...h.ws, '--out', 'bundle']);
    expect(exported.code, exported.err).toBe(0);
    expect(fs.readdirSync(path.join(h.work, 'bundle')).sort()).toEqual([MEDIA_BUNDLE_FILES.attestations, MEDIA_BUNDLE_FILES.manifest, MEDIA_BUNDLE_FILES.witnessRequest].sort());
    const lines = fs.readFileSync(path.join(h.work, 'bundle', MEDIA_BUNDLE_FILES.attestations), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2); // the review attestation and the access-log checkpoint

    const imported = await h.rwctl(['server', 'import-bundle', 'bundle', '--data', 'srv', '--out', 'receipts']);
    expect(imported.code, imported.out).toBe(0);
    expect(imported.out).toContain('2 accepted');
    expect(imported.out).toContain('Witness: cosigned');

    const back = await h.rwctl(['sync', 'import-receipts', 'receipts', ...h.ws]);
    expect(back.code, back.out).toBe(0);
    expect(back.out).toContain('Receipts: 2 delivered');
    expect(back.out).toMatch(/Witness cosigned the access log at size \d+/);

    const status = await h.rwctl(['sync', 'status', ...h.ws, '--json']);
    const items = JSON.parse(status.out) as { state: string; logIndex: number | null }[];
    expect(items.map((i) => i.state)).toEqual(['delivered', 'delivered']);
    expect(items.every((i) => typeof i.logIndex === 'number')).toBe(true);

    // Importing the same receipts again changes nothing and says so.
    const again = await h.rwctl(['sync', 'import-receipts', 'receipts', ...h.ws]);
    expect(again.out).toContain('0 delivered, 2 already delivered');
  }, 120_000);

  it('refuses receipts that were altered on the way back, and leaves the items as they were', async () => {
    const dir = path.join(h.work, 'receipts-altered');
    fs.mkdirSync(dir);
    const receipts = fs.readFileSync(path.join(h.work, 'receipts', RECEIPTS_BUNDLE_FILES.receipts), 'utf8').trimEnd().split('\n');
    const first = JSON.parse(receipts[0]!);
    const tampered = [
      JSON.stringify({ ...first, logIndex: first.logIndex + 1 }),
      JSON.stringify({ ...first, inclusionProof: [toHex(sha256(new Uint8Array(1)))] }),
      JSON.stringify({ ...first, envelopeSha256: toHex(sha256(new Uint8Array(2))) }),
      JSON.stringify({ ...first, checkpoint: String(first.checkpoint).replace(/\n\n— .*\n$/s, '\n\n— central.test/log AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n') }),
      '{"envelopeSha256": 1}',
      'not json',
    ];
    fs.writeFileSync(path.join(dir, RECEIPTS_BUNDLE_FILES.receipts), `${tampered.join('\n')}\n`);
    fs.writeFileSync(path.join(dir, RECEIPTS_BUNDLE_FILES.witnessResponse), '— central.test/log AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n');
    const run = await h.rwctl(['sync', 'import-receipts', 'receipts-altered', ...h.ws]);
    expect(run.code).toBe(1);
    expect(run.out).toContain('0 delivered, 0 already delivered, 7 problem(s)');
  }, 60_000);

  it('a truncated access log is caught by rwctl audit verify against the witnessed checkpoint', async () => {
    expect((await h.rwctl(['sync', 'witnessed', ...h.ws, '--out', 'witnessed.txt'])).code).toBe(0);
    const intact = await h.rwctl(['audit', 'verify', ...h.ws, '--checkpoint', 'witnessed.txt']);
    expect(intact.code, intact.out).toBe(0);

    // Local root who knows a passphrase: drop the append-only triggers, cut the tail, rebuild the tree so it is self-consistent.
    const device = await unlockVault(path.join(h.work, 'vault'), 'alice', PASS, { clock: () => h.clock.now });
    const witnessedSize = Number(/size (\d+)/.exec(fs.readFileSync(path.join(h.work, 'witnessed.txt'), 'utf8').split('\n')[1] ?? '')?.[1] ?? fs.readFileSync(path.join(h.work, 'witnessed.txt'), 'utf8').split('\n')[1]);
    try {
      const db = device.audit;
      dropAppendOnlyTriggers(db);
      db.prepare('DELETE FROM log_leaves WHERE seq >= ?').run([witnessedSize - 3]);
      rebuildLogState(db);
    } finally {
      device.close();
    }
    // audit verify reads the witnessed checkpoints recorded in audit.db by import-receipts.
    const local = await h.rwctl(['audit', 'verify', ...h.ws]);
    expect(local.code, local.out).toBe(1);
    expect(local.out).toContain('truncated');
    // A careful attacker deletes those records too; the copy held off the laptop still catches it.
    const device2 = await unlockVault(path.join(h.work, 'vault'), 'alice', PASS, { clock: () => h.clock.now });
    try {
      device2.audit.exec('DELETE FROM witnessed_checkpoints');
    } finally {
      device2.close();
    }
    const blind = await h.rwctl(['audit', 'verify', ...h.ws]);
    expect(blind.code, blind.out).toBe(0);
    const caught = await h.rwctl(['audit', 'verify', ...h.ws, '--checkpoint', 'witnessed.txt']);
    expect(caught.code).toBe(1);
    expect(caught.out).toContain('truncated');

    // With the local record gone the workstation asks again from scratch; the witness, which kept the
    // size it cosigned, refuses to cosign the shorter log.
    const next = await h.rwctl(['sync', 'export', ...h.ws, '--out', 'bundle-after']);
    expect(next.code, next.err).toBe(0);
    const answer = await h.rwctl(['server', 'import-bundle', 'bundle-after', '--data', 'srv', '--out', 'receipts-after']);
    expect(answer.out).not.toContain('Witness: cosigned');
    expect(answer.out).toMatch(/Witness: (conflict|refused)/);
  }, 120_000);
});
