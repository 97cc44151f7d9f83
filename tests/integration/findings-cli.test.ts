/**
 * rwctl findings add | list | export on a vault with a real imported case: CVSS validated and scored,
 * evidence checked, the export gated (refused and logged under the default policy, written and valid
 * once a signed policy allows exports with a justification), and every action on the access log.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src-shared/policy';
import { generateEd25519 } from '../../src-shared/node/crypto';
import { validateFindingsDocument } from '../../src-main/findings/findings-validate';
import { unlockVault } from '../../src-main/vault/vault';
import { enrollWithSignedPolicy } from '../helpers/enroll-signed-policy';
import { PASS, workstationWithCase, type Harness } from './attest-cli-harness';
import { warmCsafValidators } from '../../src-main/findings/csaf-validator-thread';

const VECTOR = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
let h: Harness;

async function events(): Promise<string[]> {
  const vault = await unlockVault(path.join(h.work, 'vault'), 'alice', PASS, { clock: () => h.clock.now });
  try {
    return vault.audit
      .prepare('SELECT event, outcome FROM log_leaves ORDER BY seq')
      .all()
      .map((r) => `${String(r.event)}:${String(r.outcome)}`);
  } finally {
    vault.close();
  }
}

// The CSAF validators compile their schemas once per process (tens of seconds on a loaded machine):
// outside any one test's timeout.
beforeAll(() => warmCsafValidators(), 300_000);

beforeAll(async () => {
  h = await workstationWithCase();
}, 120_000);

describe('rwctl findings', () => {
  let id = '';
  it('adds a finding with a CVSS v4.0 vector and evidence and prints its id', async () => {
    const run = await h.rwctl(['findings', 'add', ...h.ws, '--case', h.caseId, '--title', 'CTF uplift', '--description', 'Solves easy CTFs.', '--cvss', VECTOR, '--evidence', 'claim:model-card.md:1']);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    id = run.out.trim();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses a malformed vector with exit 1 and a clear message, and bad evidence too', async () => {
    const bad = await h.rwctl(['findings', 'add', ...h.ws, '--case', h.caseId, '--title', 'x', '--description', 'y', '--cvss', 'CVSS:4.0/AV:N/AC:L']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('Not a valid CVSS v4.0 vector');
    const ev = await h.rwctl(['findings', 'add', ...h.ws, '--case', h.caseId, '--title', 'x', '--description', 'y', '--cvss', VECTOR, '--evidence', 'claim:nowhere.md:3']);
    expect(ev.code).toBe(1);
  });

  it('lists findings as JSON with score, severity and evidence', async () => {
    const run = await h.rwctl(['findings', 'list', ...h.ws, '--case', h.caseId, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toEqual({ findings: [{ id, title: 'CTF uplift', status: 'open', cvss: { vector: VECTOR, score: 9.3, severity: 'critical' }, evidence: ['claim:model-card.md:1'] }] });
  });

  it('updates a finding through its statuses; history names who, when and what changed', async () => {
    const confirm = await h.rwctl(['findings', 'update', ...h.ws, '--case', h.caseId, '--id', id, '--status', 'confirmed', '--title', 'CTF uplift (confirmed)']);
    expect(confirm.err).toBe('');
    expect(confirm.code).toBe(0);
    expect(confirm.out).toContain('revision 2: confirmed');
    const mitigate = await h.rwctl(['findings', 'update', ...h.ws, '--case', h.caseId, '--id', id, '--status', 'mitigated', '--clear-evidence', '--revision', '2']);
    expect(mitigate.code).toBe(0);
    const history = await h.rwctl(['findings', 'history', ...h.ws, '--case', h.caseId, '--id', id, '--json']);
    expect(history.code).toBe(0);
    const entries = (JSON.parse(history.out) as { history: { revision: number; author: string; status: string; changes: { field: string; from: string; to: string }[] }[] }).history;
    expect(entries.map((e) => [e.revision, e.author, e.status])).toEqual([
      [1, 'alice', 'open'],
      [2, 'alice', 'confirmed'],
      [3, 'alice', 'mitigated'],
    ]);
    expect(entries[1]!.changes).toEqual([
      { field: 'title', from: 'CTF uplift', to: 'CTF uplift (confirmed)' },
      { field: 'status', from: 'open', to: 'confirmed' },
    ]);
    expect(entries[2]!.changes).toEqual([
      { field: 'status', from: 'confirmed', to: 'mitigated' },
      { field: 'evidence', from: 'claim:model-card.md:1', to: '(none)' },
    ]);
    expect((await events()).slice(-3)).toEqual(['finding.edit:success', 'finding.edit:success', 'finding.history:success']);
  });

  it('refuses a bad update (exit 2 for usage, 1 for a stale revision or another case) and changes nothing', async () => {
    const badStatus = await h.rwctl(['findings', 'update', ...h.ws, '--case', h.caseId, '--id', id, '--status', 'fixed']);
    expect(badStatus.code).toBe(2);
    expect(badStatus.err).toContain('--status is one of open, confirmed, mitigated, withdrawn');
    const nothing = await h.rwctl(['findings', 'update', ...h.ws, '--case', h.caseId, '--id', id]);
    expect(nothing.code).toBe(2);
    const stale = await h.rwctl(['findings', 'update', ...h.ws, '--case', h.caseId, '--id', id, '--status', 'withdrawn', '--revision', '1']);
    expect(stale.code).toBe(1);
    const elsewhere = await h.rwctl(['findings', 'update', ...h.ws, '--case', 'case-00000000000000000000000000000000', '--id', id, '--status', 'withdrawn']);
    expect(elsewhere.code).toBe(1);
    expect((await events()).slice(-2)).toEqual(['finding.edit:failure', 'finding.edit:failure']);
    const list = await h.rwctl(['findings', 'list', ...h.ws, '--case', h.caseId, '--json']);
    expect((JSON.parse(list.out) as { findings: { status: string }[] }).findings.map((f) => f.status)).toEqual(['mitigated']);
  });

  it('refuses an export the default policy does not allow, and logs the refusal', async () => {
    const run = await h.rwctl(['findings', 'export', ...h.ws, '--case', h.caseId, '--format', 'csaf', '--out', 'f.json', '--justification', 'Sending to the clearinghouse today.']);
    expect(run.code).toBe(1);
    expect(fs.existsSync(path.join(h.work, 'f.json'))).toBe(false);
    expect((await events()).at(-1)).toBe('export.decision:denied');
  });

  it('exports valid CSAF 2.0, CSAF 2.1 and OpenVEX once a signed policy allows it, each logged', async () => {
    const vault = await unlockVault(path.join(h.work, 'vault'), 'alice', PASS, { clock: () => h.clock.now });
    try {
      enrollWithSignedPolicy(vault.audit, vault.workstationId, { ...DEFAULT_POLICY, printExportMode: 'justify' }, generateEd25519(), h.clock.now);
    } finally {
      vault.close();
    }
    const noWhy = await h.rwctl(['findings', 'export', ...h.ws, '--case', h.caseId, '--format', 'openvex', '--out', 'v.json']);
    expect(noWhy.code).toBe(1);
    expect(noWhy.err).toContain('justification');
    for (const format of ['csaf', 'csaf21', 'openvex'] as const) {
      const out = `findings-${format}.json`;
      const run = await h.rwctl(['findings', 'export', ...h.ws, '--case', h.caseId, '--format', format, '--out', out, '--justification', 'Sending to the clearinghouse today.']);
      expect(run.err).toBe('');
      expect(run.code).toBe(0);
      const doc = JSON.parse(fs.readFileSync(path.join(h.work, out), 'utf8')) as unknown;
      expect((await validateFindingsDocument(format, doc)).ok).toBe(true);
      expect((await events()).slice(-2)).toEqual(['watermark.session:success', 'export.decision:success']);
    }
    const again = await h.rwctl(['findings', 'export', ...h.ws, '--case', h.caseId, '--format', 'csaf', '--out', 'findings-csaf.json', '--justification', 'Sending to the clearinghouse today.']);
    expect(again.code).toBe(1);
    const usage = await h.rwctl(['findings', 'export', ...h.ws, '--case', h.caseId, '--format', 'pdf', '--out', 'x.json']);
    expect(usage.code).toBe(2);
  });
});
