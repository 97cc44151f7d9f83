/**
 * The review's findings as documents a vulnerability clearinghouse already reads: CSAF 2.0
 * `csaf_security_advisory` (OASIS CSAF v2.0 §4.5; the model is the product, one vulnerability per
 * finding, the CVSS v4.0 vector in a note because 2.0 only has fields for CVSS v2 and v3), CSAF 2.1
 * (its `metrics[].content.cvss_v4` holds the vector natively) and OpenVEX v0.2.0 (one statement per
 * finding, its status from the finding's standing).
 * Pure: the caller hands in findings, the case and the clock; validation is separate
 * (findings-validate.ts) and runs before anything is written.
 */
import { cvss4Json, type Cvss4Score } from './cvss4-score';

export const FINDINGS_FORMATS = ['csaf', 'csaf21', 'openvex'] as const;
export type FindingsFormat = (typeof FINDINGS_FORMATS)[number];

/** A withdrawn finding is the reviewer's retraction and is never exported. */
export type ExportableStatus = 'open' | 'confirmed' | 'mitigated';

export interface ExportableFinding {
  id: string;
  title: string;
  description: string;
  status: ExportableStatus;
  cvss: Cvss4Score | null;
  /** Evidence references as the ledger writes them (claim, sample, artifact page). */
  evidence: readonly string[];
  createdAt: number;
  updatedAt: number;
}

export interface FindingsDocumentContext {
  caseId: string;
  model: string;
  developer: string;
  modelVersion: string;
  /** Who issues the document (the review office) and its namespace URI (CSAF `publisher.namespace`). */
  publisherName: string;
  publisherNamespace: string;
  /** The visible watermark line of the export (user, workstation, session, time, classification). */
  watermarkLine: string;
  /** The same line carrying the session's text fingerprint. */
  watermarkText: string;
  now: number;
}

const TOOL = 'Reviewer Workstation';
const PRODUCT_ID = 'MODEL-1';

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function trackingId(ctx: FindingsDocumentContext): string {
  return `RW-${ctx.caseId}-${isoSeconds(ctx.now).replace(/[-:]/g, '')}`.replace(/[^A-Za-z0-9._-]/g, '-');
}

function productName(ctx: FindingsDocumentContext): string {
  return `${ctx.developer} ${ctx.model} ${ctx.modelVersion}`;
}

/** A generic package URL for the model (purl-spec: pkg:generic/<name>@<version>). */
export function modelPurl(ctx: Pick<FindingsDocumentContext, 'model' | 'modelVersion'>): string {
  return `pkg:generic/${encodeURIComponent(ctx.model)}@${encodeURIComponent(ctx.modelVersion)}`;
}

function cvssText(cvss: Cvss4Score | null): string {
  return cvss ? `${cvss.vector} (score ${cvss.score.toFixed(1)}, ${cvss.severity})` : 'No CVSS v4.0 vector was recorded for this finding.';
}

const ACTION = 'To be addressed by the developer before public release.';
const MITIGATION = 'inline_mitigations_already_exist';

/**
 * OpenVEX names each standing: raised but not yet confirmed is under investigation, confirmed is
 * affected with the developer to act, mitigated is not affected because controls in the model prevent
 * the harm. A CSAF security advisory must list every vulnerability as known_affected (CSAF 2.1
 * mandatory test 6.1.27.12), so there the standing is its remediation and a note (`csafStanding`).
 */
const VEX_STATUS = { open: 'under_investigation', confirmed: 'affected', mitigated: 'not_affected' } as const;

const REVIEW_STATUS = {
  open: 'Open: raised by the reviewer, not yet confirmed against the evidence.',
  confirmed: 'Confirmed by the reviewer against the evidence.',
  mitigated: 'Mitigated: the reviewer found controls in the model that prevent the harm.',
} as const;

function csafStanding(f: ExportableFinding): { note: Record<string, string>; remediation: Record<string, unknown> } {
  const mitigated = f.status === 'mitigated';
  return {
    note: { category: 'details', title: 'Review status', text: REVIEW_STATUS[f.status] },
    remediation: { category: mitigated ? 'mitigation' : 'none_available', details: mitigated ? REVIEW_STATUS.mitigated : ACTION, product_ids: [PRODUCT_ID] },
  };
}

function evidenceText(f: ExportableFinding): string {
  return f.evidence.length ? f.evidence.map((e) => `- ${e}`).join('\n') : 'No evidence linked.';
}

function csafDocument(findings: readonly ExportableFinding[], ctx: FindingsDocumentContext, version: '2.0' | '2.1'): Record<string, unknown> {
  const now = isoSeconds(ctx.now);
  const vulnerabilities = findings.map((f) => {
    const standing = csafStanding(f);
    const notes: Array<Record<string, string>> = [
      { category: 'description', title: 'Finding', text: f.description || f.title },
      { category: 'details', title: 'Evidence', text: evidenceText(f) },
      standing.note,
    ];
    const vuln: Record<string, unknown> = {
      ids: [{ system_name: `${TOOL} finding`, text: f.id }],
      title: f.title,
      notes,
      product_status: { known_affected: [PRODUCT_ID] },
      remediations: [standing.remediation],
    };
    if (version === '2.0') {
      // CSAF 2.0 `scores` admits cvss_v2 and cvss_v3 only: the v4.0 vector travels as a note.
      notes.push({ category: 'other', title: 'CVSS v4.0', text: cvssText(f.cvss) });
    } else if (f.cvss) {
      vuln.metrics = [{ content: { cvss_v4: cvss4Json(f.cvss.vector) }, products: [PRODUCT_ID] }];
    }
    if (version === '2.1') {
      // CSAF 2.1 dates disclosure per vulnerability.
      vuln.disclosure_date = isoSeconds(f.createdAt);
    }
    return vuln;
  });
  const document: Record<string, unknown> = {
    category: 'csaf_security_advisory',
    csaf_version: version,
    // TLP:RED: the findings are for the named recipients of the review only.
    distribution: { text: ctx.watermarkText, tlp: { label: 'RED' } },
    lang: 'en',
    notes: [
      { category: 'summary', title: 'Summary', text: `Findings of the pre-release review of ${productName(ctx)} (case ${ctx.caseId}).` },
      { category: 'legal_disclaimer', title: 'Export watermark', text: ctx.watermarkLine },
    ],
    publisher: { category: 'other', name: ctx.publisherName, namespace: ctx.publisherNamespace },
    references: [{ category: 'self', summary: 'This document, as exported by the reviewer workstation.', url: `${ctx.publisherNamespace.replace(/\/+$/, '')}/${trackingId(ctx)}.json` }],
    title: `Review findings: ${productName(ctx)}`,
    tracking: {
      current_release_date: now,
      generator: { date: now, engine: { name: TOOL } },
      id: trackingId(ctx),
      initial_release_date: now,
      revision_history: [{ date: now, number: '1', summary: 'Exported from the review.' }],
      status: 'final',
      version: '1',
    },
  };
  if (version === '2.1') {
    // CSAF 2.1 documents name their licence as an SPDX expression; ours is not an open licence.
    document.license_expression = 'LicenseRef-Reviewer-Workstation-Confidential';
  }
  const doc: Record<string, unknown> = {
    document,
    product_tree: {
      branches: [
        {
          category: 'vendor',
          name: ctx.developer,
          branches: [
            {
              category: 'product_name',
              name: ctx.model,
              branches: [{ category: 'product_version', name: ctx.modelVersion, product: { product_id: PRODUCT_ID, name: productName(ctx) } }],
            },
          ],
        },
      ],
    },
    vulnerabilities,
  };
  if (version === '2.1') return { $schema: 'https://docs.oasis-open.org/csaf/csaf/v2.1/schema/csaf.json', ...doc };
  return doc;
}

export function buildCsaf(findings: readonly ExportableFinding[], ctx: FindingsDocumentContext, version: '2.0' | '2.1' = '2.0'): Record<string, unknown> {
  return csafDocument(findings, ctx, version);
}

export function buildOpenVex(findings: readonly ExportableFinding[], ctx: FindingsDocumentContext): Record<string, unknown> {
  const now = isoSeconds(ctx.now);
  return {
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': `urn:reviewer-workstation:findings:${trackingId(ctx)}`,
    author: ctx.publisherName,
    role: 'Pre-release model reviewer',
    timestamp: now,
    version: 1,
    tooling: `${TOOL} · ${ctx.watermarkLine}`,
    statements: findings.map((f) => {
      const status = VEX_STATUS[f.status];
      return {
        vulnerability: { '@id': `urn:reviewer-workstation:finding:${f.id}`, name: `RW-FINDING-${f.id}`, description: `${f.title}: ${f.description}`.slice(0, 4000) },
        timestamp: isoSeconds(f.updatedAt),
        products: [{ '@id': modelPurl(ctx), identifiers: { purl: modelPurl(ctx) } }],
        status,
        status_notes: `CVSS v4.0: ${cvssText(f.cvss)}. Evidence: ${f.evidence.join('; ') || 'none linked'}. Exported: ${ctx.watermarkText}`,
        ...(status === 'affected' ? { action_statement: ACTION } : {}),
        ...(status === 'not_affected' ? { justification: MITIGATION } : {}),
      };
    }),
  };
}

export function buildFindingsDocument(format: FindingsFormat, findings: readonly ExportableFinding[], ctx: FindingsDocumentContext): Record<string, unknown> {
  if (format === 'openvex') return buildOpenVex(findings, ctx);
  return buildCsaf(findings, ctx, format === 'csaf21' ? '2.1' : '2.0');
}
