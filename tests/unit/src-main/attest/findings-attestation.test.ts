/**
 * The findings attestation on the workstation: a step-up, a `findings.attest` leaf whose index is in the
 * predicate, the findings with their CVSS v4.0 scores, signed by the reviewer key and queued; a wrong
 * passphrase or a case without findings signs, logs and queues nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINDINGS_PREDICATE_TYPE, IN_TOTO_PAYLOAD_TYPE, type FindingsPredicate } from '../../../../src-shared/attestation-types';
import { ed25519PublicKey } from '../../../../src-shared/node/crypto';
import { verifyEnvelope } from '../../../../src-shared/node/dsse';
import { fromUtf8 } from '../../../../src-shared/encoding';
import { DEFAULT_POLICY } from '../../../../src-shared/policy';
import { signFindingsAttestation } from '../../../../src-main/attest/findings-attestation';
import { listOutbox } from '../../../../src-main/attest/outbox';
import type { ReviewDeps } from '../../../../src-main/attest/review-attestation';
import { createFinding } from '../../../../src-main/workspace/findings-service';
import { actorFor } from '../../../../src-main/workspace/workspace-actor';
import { defaultRubric } from '../../../../src-main/workspace/rubric';
import { asyncCodeOf, insertCase, openVaultFixture, PASS, type VaultFixture } from '../../../helpers/attest-fixture';

let f: VaultFixture;
let deps: ReviewDeps;

beforeAll(async () => {
  f = await openVaultFixture();
  insertCase(f);
  deps = { vaultDir: f.dir, vault: f.vault, rubric: defaultRubric(), policy: DEFAULT_POLICY, unlockDeps: f.deps, logEvent: f.port.logEvent, clock: () => f.clock.now };
}, 60_000);
afterAll(() => f.close());

const leaves = () => Number(f.vault.audit.prepare('SELECT count(*) AS n FROM log_leaves').get()!.n);

describe('findings attestation', () => {
  it('refuses a case without findings before asking for the passphrase, and queues nothing', async () => {
    const before = leaves();
    expect(await asyncCodeOf(signFindingsAttestation(deps, 'case-0001', PASS))).toBe('INVALID_INPUT');
    expect(leaves()).toBe(before);
    expect(listOutbox(f.vault.audit, f.keys)).toHaveLength(0);
  });

  it('signs the findings with their CVSS scores, points at its own leaf, and queues the envelope', async () => {
    const vector = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
    createFinding(f.vault.content!, actorFor('alice', () => f.clock.now), { caseId: 'case-0001', title: 'Autonomy claim contradicted', severity: 'critical', category: 'misleading claim', cvssVector: vector, description: 'Two of 35.', artifactIds: [] });
    expect(await asyncCodeOf(signFindingsAttestation(deps, 'case-0001', 'wrong passphrase!!'))).toBe('AUTH_FAILED');
    expect(listOutbox(f.vault.audit, f.keys)).toHaveLength(0);
    const { envelope, statement, item } = await signFindingsAttestation(deps, 'case-0001', PASS);
    const verified = verifyEnvelope(envelope, [ed25519PublicKey(f.vault.signingPublicKey!)], { expectedPayloadType: IN_TOTO_PAYLOAD_TYPE });
    expect(JSON.parse(fromUtf8(verified.payload))).toEqual(statement);
    expect(statement.predicateType).toBe(FINDINGS_PREDICATE_TYPE);
    const p = statement.predicate as FindingsPredicate;
    expect(p.findings).toEqual([expect.objectContaining({ title: 'Autonomy claim contradicted', cvss: { vector, score: 9.3, severity: 'critical' }, evidence: [] })]);
    const row = f.vault.audit.prepare('SELECT leaf FROM log_leaves WHERE seq = ?').get([p.accessLogIndex]);
    expect(JSON.parse(fromUtf8(row!.leaf as Uint8Array))).toMatchObject({ event: 'findings.attest', object: { id: 'case-0001' } });
    expect(item.label).toBe('Findings of case case-0001: 1');
    expect(listOutbox(f.vault.audit, f.keys).map((i) => i.predicateType)).toEqual([FINDINGS_PREDICATE_TYPE]);
  });
});
