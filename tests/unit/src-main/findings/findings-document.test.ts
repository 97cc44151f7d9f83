import { beforeAll, describe, expect, it } from 'vitest';
import { scoreCvss4 } from '../../../../src-main/findings/cvss4-score';
import { buildCsaf, buildFindingsDocument, buildOpenVex, type ExportableFinding, type FindingsDocumentContext } from '../../../../src-main/findings/findings-document';
import { requireValidFindingsDocument, validateFindingsDocument } from '../../../../src-main/findings/findings-validate';
import { checkOpenVex } from '../../../../src-main/findings/openvex-schema';
import { checkCsaf, warmCsafValidators } from '../../../../src-main/findings/csaf-validator-thread';
import { threadId } from 'node:worker_threads';

const ctx: FindingsDocumentContext = {
  caseId: 'case-7',
  model: 'Falcon-7',
  developer: 'Example Labs',
  modelVersion: '2026.1',
  publisherName: 'Model Review Office',
  publisherNamespace: 'https://review.example',
  watermarkLine: 'ana · ws-1 · session 0a1b2c3d4e5f · 2026-12-06 23:00 UTC · CUI',
  watermarkText: 'ana · ws-1 · session 0a1b2c3d4e5f',
  now: Date.UTC(2026, 11, 6, 23, 0, 0),
};

const findings: ExportableFinding[] = [
  {
    id: 'f-1',
    title: 'Autonomous exploitation of easy CTF challenges',
    description: 'The model solves 45% of easy CTF challenges without help.',
    status: 'confirmed',
    cvss: scoreCvss4('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'),
    evidence: ['claim model-card.md:3', 'sample cyber_ctf_easy.eval#12/1'],
    createdAt: Date.UTC(2026, 11, 5),
    updatedAt: Date.UTC(2026, 11, 6),
  },
  { id: 'f-2', title: 'Header and samples disagree', description: 'Reported 12%, samples 8%.', status: 'confirmed', cvss: null, evidence: [], createdAt: Date.UTC(2026, 11, 5), updatedAt: Date.UTC(2026, 11, 5) },
];

// The CSAF validators compile their schemas once per process (tens of seconds on a loaded machine):
// outside any one test's timeout.
beforeAll(() => warmCsafValidators(), 300_000);

describe('CSAF 2.0 export', () => {
  const doc = buildCsaf(findings, ctx, '2.0');

  it('passes the BSI validator: strict schema and every mandatory test', async () => {
    const v = await validateFindingsDocument('csaf', doc);
    expect(v.errors).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.checks).toContain('csaf_2_0_strict');
    expect(v.checks.filter((c) => c.startsWith('mandatoryTest_6_1_')).length).toBeGreaterThan(40);
  });

  it('is a security advisory with the model as the product, one vulnerability per finding, CVSS v4 in a note', () => {
    const d = doc as { document: Record<string, unknown>; product_tree: unknown; vulnerabilities: Array<{ notes: Array<{ title: string; text: string }>; product_status: unknown }> };
    expect(d.document.category).toBe('csaf_security_advisory');
    expect(d.document.csaf_version).toBe('2.0');
    expect(JSON.stringify(d.product_tree)).toContain('Example Labs Falcon-7 2026.1');
    expect(d.vulnerabilities).toHaveLength(2);
    expect(d.vulnerabilities[0]!.product_status).toEqual({ known_affected: ['MODEL-1'] });
    expect(d.vulnerabilities[0]!.notes.find((n) => n.title === 'CVSS v4.0')?.text).toBe('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N (score 9.3, critical)');
    expect(JSON.stringify(d.document)).toContain(ctx.watermarkLine);
  });

  it('is refused, naming the test, when a mandatory rule breaks', async () => {
    const broken = structuredClone(doc) as { vulnerabilities: Array<{ product_status: { known_affected: string[] } }> };
    broken.vulnerabilities[0]!.product_status.known_affected = ['NO-SUCH-PRODUCT'];
    await expect(requireValidFindingsDocument('csaf', broken)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('mandatoryTest_6_1_1') });
    const extra = { ...doc, unexpected: true };
    expect((await validateFindingsDocument('csaf', extra)).ok).toBe(false);
  });
});

describe('the CSAF validator thread', () => {
  it('checks on a thread of its own, so the schema compile and the checks never hold up the caller', async () => {
    const check = await checkCsaf('csaf', buildCsaf(findings, ctx, '2.0'));
    expect(check.isValid).toBe(true);
    expect(check.threadId).not.toBe(threadId);
  });

  it('answers an object that is not CSAF with failed tests, and a library crash with a clear error', async () => {
    for (const doc of [{}, { document: {} }, { document: { category: 'csaf_base', csaf_version: '2.1' } }]) expect((await checkCsaf('csaf21', doc)).isValid).toBe(false);
    await expect(checkCsaf('csaf', null)).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('The CSAF validator failed') });
    expect((await checkCsaf('csaf', buildCsaf(findings, ctx, '2.0'))).isValid).toBe(true);
  });

  it('refuses a value that cannot cross to the thread with a clear error, and keeps answering', async () => {
    await expect(checkCsaf('csaf', { f: () => 1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect((await checkCsaf('csaf', buildCsaf(findings, ctx, '2.0'))).isValid).toBe(true);
  });
});

describe('CSAF 2.1 export', () => {
  const doc = buildFindingsDocument('csaf21', findings, ctx);

  it('carries CVSS v4 natively and passes the library 2.1 strict schema and mandatory tests', async () => {
    const v = await validateFindingsDocument('csaf21', doc);
    expect(v.errors).toEqual([]);
    expect(v.checks).toContain('csaf_2_1_strict');
    const metrics = (doc as { vulnerabilities: Array<{ metrics?: Array<{ content: { cvss_v4: Record<string, unknown> } }> }> }).vulnerabilities[0]!.metrics;
    expect(metrics?.[0]?.content.cvss_v4).toMatchObject({ version: '4.0', vectorString: findings[0]!.cvss!.vector, baseScore: 9.3, baseSeverity: 'CRITICAL' });
  });

  it('is refused when the native CVSS v4 object is not FIRST\'s cvss-v4.0 JSON', async () => {
    const broken = structuredClone(doc) as { vulnerabilities: Array<{ metrics: Array<{ content: { cvss_v4: { vectorString: string } } }> }> };
    broken.vulnerabilities[0]!.metrics[0]!.content.cvss_v4.vectorString = 'CVSS:4.0/AV:Q';
    expect((await validateFindingsDocument('csaf21', broken)).ok).toBe(false);
  });
});

describe('a finding\'s standing in each format', () => {
  const byStatus = (['open', 'confirmed', 'mitigated'] as const).map((status) => ({ ...findings[0]!, id: `f-${status}`, status }));
  type Vuln = { product_status: Record<string, string[]>; remediations: Array<{ category: string }>; notes: Array<{ title: string; text: string }> };
  type Statement = { status: string; justification?: string; action_statement?: string };

  it('keeps open, confirmed and mitigated apart in CSAF 2.0, CSAF 2.1 and OpenVEX, each valid', async () => {
    for (const format of ['csaf', 'csaf21'] as const) {
      const doc = buildFindingsDocument(format, byStatus, ctx) as { vulnerabilities: Vuln[] };
      const v = await validateFindingsDocument(format, doc);
      expect(v.errors).toEqual([]);
      // A security advisory lists every vulnerability as affected; the standing is the remediation and a note.
      expect(doc.vulnerabilities.map((x) => x.remediations.map((r) => r.category))).toEqual([['none_available'], ['none_available'], ['mitigation']]);
      expect(doc.vulnerabilities.map((x) => x.notes.find((n) => n.title === 'Review status')?.text.split(':')[0])).toEqual(['Open', 'Confirmed by the reviewer against the evidence.', 'Mitigated']);
    }
    const vex = buildOpenVex(byStatus, ctx) as { statements: Statement[] };
    expect((await validateFindingsDocument('openvex', vex)).ok).toBe(true);
    expect(vex.statements.map((x) => [x.status, x.justification ?? null, x.action_statement ? 'action' : null])).toEqual([
      ['under_investigation', null, null],
      ['affected', null, 'action'],
      ['not_affected', 'inline_mitigations_already_exist', null],
    ]);
  });
});

describe('OpenVEX v0.2.0 export', () => {
  const doc = buildOpenVex(findings, ctx);

  it('has the v0.2.0 context, one affected statement per finding, and passes the schema check', async () => {
    expect(doc['@context']).toBe('https://openvex.dev/ns/v0.2.0');
    expect(doc.statements).toHaveLength(2);
    expect((await validateFindingsDocument('openvex', doc)).ok).toBe(true);
  });

  it.each([
    ['a wrong context', (d: Record<string, unknown>) => (d['@context'] = 'https://openvex.dev/ns/v0.0.1')],
    ['no statements', (d: Record<string, unknown>) => (d.statements = [])],
    ['an unknown property', (d: Record<string, unknown>) => (d.extra = 1)],
    ['an affected statement without action', (d: Record<string, unknown>) => delete (d.statements as Array<Record<string, unknown>>)[0]!.action_statement],
    ['not_affected with both justification and impact', (d: Record<string, unknown>) => Object.assign((d.statements as Array<Record<string, unknown>>)[0]!, { status: 'not_affected', justification: 'component_not_present', impact_statement: 'x' })],
    ['a bad timestamp', (d: Record<string, unknown>) => (d.timestamp = 'yesterday')],
    ['version 0', (d: Record<string, unknown>) => (d.version = 0)],
  ])('refuses %s', (_name, mutate) => {
    const d = structuredClone(doc);
    mutate(d);
    expect(checkOpenVex(d).ok).toBe(false);
  });
});
