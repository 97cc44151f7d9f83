import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RwError } from '../../../../src-shared/errors';
import { DEFAULT_POLICY, type Policy } from '../../../../src-shared/policy';
import { randomBytes } from '../../../../src-shared/node/crypto';
import { extractTextFingerprint } from '../../../../src-shared/watermark/text-fingerprint';
import { WatermarkSessions } from '../../../../src-main/controls/watermark-session';
import { addScoredFinding, listScoredFindings } from '../../../../src-main/findings/finding-evidence';
import { listFindingEvidence, parseEvidenceRef } from '../../../../src-main/workspace/evidence-refs';
import { editFinding } from '../../../../src-main/workspace/findings-service';
import { exportFindingsDocument, type FindingsExportDeps } from '../../../../src-main/findings/findings-export';
import { validateFindingsDocument } from '../../../../src-main/findings/findings-validate';
import { openContentFixture, testActor, type ContentFixture } from '../workspace/content-fixture';
import { warmCsafValidators } from '../../../../src-main/findings/csaf-validator-thread';

const VECTOR = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
const JUSTIFY: Policy = { ...DEFAULT_POLICY, printExportMode: 'justify' };

let fx: ContentFixture;
beforeEach(() => {
  fx = openContentFixture();
});
afterEach(() => fx.close());

// The CSAF validators compile their schemas once per process (tens of seconds on a loaded machine):
// outside any one test's timeout.
beforeAll(() => warmCsafValidators(), 300_000);

describe('findings with CVSS and evidence', () => {
  it('adds a finding scored from its vector with evidence references, and lists it', () => {
    const f = addScoredFinding(fx.db, testActor('alice'), {
      caseId: 'case-a',
      title: 'CTF uplift',
      description: 'Solves easy CTFs.',
      cvssVector: VECTOR,
      evidence: ['claim:model-card.md:3', 'artifact:evals/report.pdf#page=4', 'claim:art-a1@120'],
    });
    expect(f).toMatchObject({ severity: 'critical', cvss: { vector: VECTOR, score: 9.3, severity: 'critical' } });
    expect(listScoredFindings(fx.db, 'case-a')).toEqual([f]);
    expect(listFindingEvidence(fx.db, f.id)).toEqual(['claim:model-card.md:3', 'artifact:evals/report.pdf#page=4', 'claim:art-a1@120']);
  });

  it.each([
    ['a malformed vector', { cvssVector: 'CVSS:4.0/AV:N' }, 'INVALID_INPUT'],
    ['evidence of another case', { evidence: ['artifact:art-b1'] }, 'NOT_FOUND'],
    ['evidence of an unknown file', { evidence: ['claim:nope.md:3'] }, 'NOT_FOUND'],
    ['evidence of an unknown kind', { evidence: ['url:https://example.com'] }, 'INVALID_INPUT'],
    ['a sample without epoch', { evidence: ['sample:model-card.md#12'] }, 'INVALID_INPUT'],
  ])('refuses %s and stores nothing', (_name, change, code) => {
    const input = { caseId: 'case-a', title: 'T', description: 'D', cvssVector: VECTOR, evidence: [] as string[], ...change };
    expect(() => addScoredFinding(fx.db, testActor('alice'), input)).toThrow(expect.objectContaining({ code }));
    expect(fx.db.prepare('SELECT count(*) AS n FROM findings').get()?.n).toBe(0);
    expect(fx.db.prepare('SELECT count(*) AS n FROM finding_evidence').get()?.n).toBe(0);
  });

  it('replaces evidence only when every reference checks', () => {
    const f = addScoredFinding(fx.db, testActor('alice'), { caseId: 'case-a', title: 'T', description: 'D', cvssVector: VECTOR, evidence: ['artifact:model-card.md'] });
    expect(() => editFinding(fx.db, testActor('alice'), { id: f.id, evidence: ['artifact:model-card.md', 'artifact:missing.md'] })).toThrow(RwError);
    expect(listFindingEvidence(fx.db, f.id)).toEqual(['artifact:model-card.md']);
    expect(fx.db.prepare('SELECT revision FROM findings WHERE id = ?').get([f.id])?.revision).toBe(1);
    expect(parseEvidenceRef(fx.db, 'case-a', 'sample:model-card.md#q-12/2').artifactId).toBe('art-a1');
  });
});

describe('findings export gate', () => {
  let sessions: WatermarkSessions;
  let policy: Policy;
  let written: Array<{ name: string; bytes: Uint8Array }>;
  let deps: FindingsExportDeps;
  beforeEach(() => {
    sessions = new WatermarkSessions({ random: randomBytes, clock: () => 1 });
    sessions.begin({ user: 'alice', role: 'reviewer', workstationId: 'ws-1' });
    policy = JUSTIFY;
    written = [];
    deps = {
      policy: () => policy,
      session: () => sessions.current(),
      stepUp: async (p) => {
        if (p !== 'right') throw new RwError('AUTH_FAILED', 'Wrong passphrase.');
      },
      clock: () => Date.UTC(2026, 11, 7),
      write: (bytes, name) => {
        written.push({ name, bytes });
        return name;
      },
    };
    addScoredFinding(fx.db, testActor('alice'), { caseId: 'case-a', title: 'CTF uplift', description: 'Solves easy CTFs.', cvssVector: VECTOR, evidence: ['claim:model-card.md:3'] });
  });
  const request = { caseId: 'case-a', format: 'csaf' as const, justification: 'Sending the findings to the clearinghouse.', passphrase: 'right' };

  it.each(['csaf', 'csaf21', 'openvex'] as const)('writes a valid, watermarked %s document and reports its digest', async (format) => {
    const out = await exportFindingsDocument(fx.db, { ...request, format }, deps);
    expect(written).toHaveLength(1);
    const text = new TextDecoder().decode(written[0]!.bytes);
    const doc = JSON.parse(text) as unknown;
    expect((await validateFindingsDocument(format, doc)).ok).toBe(true);
    expect(text).toContain(`session ${sessions.current()!.codeHex}`);
    expect(extractTextFingerprint(text)).toBe(sessions.current()!.codeHex);
    expect(out).toMatchObject({ findings: 1, bytes: written[0]!.bytes.byteLength });
    expect(out.detail).toMatchObject({ decision: 'allowed', kind: `findings-${format}`, sha256: out.sha256 });
    expect(JSON.stringify(out.detail)).not.toContain('CTF uplift');
  });

  it.each([
    ['the policy denies exports', () => (policy = DEFAULT_POLICY), {}, 'DENIED'],
    ['no watermark session', () => sessions.end(), {}, 'VAULT_LOCKED'],
    ['a short justification', () => undefined, { justification: 'because' }, 'INVALID_INPUT'],
    ['a wrong passphrase', () => undefined, { passphrase: 'wrong' }, 'AUTH_FAILED'],
    ['an unknown case', () => undefined, { caseId: 'nope' }, 'NOT_FOUND'],
  ])('refuses when %s and writes nothing', async (_name, arrange, change, code) => {
    arrange();
    await expect(exportFindingsDocument(fx.db, { ...request, ...change }, deps)).rejects.toMatchObject({ code });
    expect(written).toEqual([]);
  });
});
