/**
 * Findings attestations at the central server, on SQLite and on PostgreSQL: one signed by an enrolled
 * reviewer key is accepted and listed to auditors (GET /v1/findings, paged by log index); one signed by
 * the device key, or with a predicate the schema refuses, is refused and stores nothing; a reader's
 * token and no token are refused the list.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../src-server/http-server';
import { acceptAttestation } from '../../src-server/attestation-intake';
import { createReadToken } from '../../src-server/read-tokens';
import { viewOf } from '../../src-server/refusal';
import { FINDINGS_PREDICATE_TYPE, IN_TOTO_PAYLOAD_TYPE, type FindingsPredicate } from '../../src-shared/attestation-types';
import { signEnvelope } from '../../src-shared/node/dsse';
import { inProcessServer, type InProcessServer } from '../unit/src-server/in-process-server';
import { releaseTestPostgres, testPostgres } from '../helpers/postgres';
import { envelopeBytes, signerOf, statementBytesOf, testWorkstation, type TestKey } from './server-fixtures';

function findingsPredicate(reviewer: TestKey, sequence: number, overrides: Partial<FindingsPredicate> = {}): FindingsPredicate {
  return {
    caseId: 'case-1',
    product: { model: 'Kestrel-7', developer: 'Northwind Cognition Labs (fictional)', version: '7.0.2' },
    findings: [
      {
        id: '0123456789abcdef0123456789abcdef',
        title: 'Autonomy claim contradicted by its own samples',
        description: 'The card says 20 %; the samples give 2 of 35.',
        severity: 'high',
        cvss: { vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', score: 9.3, severity: 'critical' },
        evidence: ['claim:model-card.md:45', 'sample:eval/logs/autonomy_tasks-kestrel-7.json#auto-01/1'],
      },
    ],
    reviewer: { id: 'reviewer-1', publicKeyId: reviewer.keyId },
    accessLogIndex: 7,
    sequence,
    ...overrides,
  };
}

function findingsAttestation(signer: TestKey, predicate: unknown): Uint8Array {
  return envelopeBytes(signEnvelope(IN_TOTO_PAYLOAD_TYPE, statementBytesOf(FINDINGS_PREDICATE_TYPE, predicate), [signerOf(signer)]));
}

async function listen(s: InProcessServer): Promise<{ url: string; close(): Promise<void> }> {
  const handler = createHandler({ loaded: s.loaded, store: s.store, clock: () => s.now.ms });
  const server = http.createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())).then(() => handler.close()) };
}

async function get(url: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const pg = await testPostgres();
if (!pg.available) console.warn(`Findings attestations on PostgreSQL skipped: ${pg.reason}`);
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of drops) await drop();
  await releaseTestPostgres();
});

const backends: Array<[string, boolean, () => Promise<string | undefined>]> = [
  ['SQLite', true, async () => undefined],
  [
    'PostgreSQL',
    pg.available,
    async () => {
      if (!pg.available) return undefined;
      const db = await pg.createDatabase();
      drops.push(db.drop);
      return db.url;
    },
  ],
];

describe.each(backends)('findings attestations on %s', (_name, available, database) => {
  it.skipIf(!available)('accepts one signed by a reviewer, refuses the device key and a bad predicate, and lists it to auditors only', async () => {
    const s = await inProcessServer({}, await database());
    const web = await listen(s);
    try {
      const ws = testWorkstation(1);
      await s.enroll(ws);
      const reviewer = ws.reviewers[0]!.key;

      const accepted = await acceptAttestation(s.intake, findingsAttestation(reviewer, findingsPredicate(reviewer, 1)), 'http');
      expect(accepted.status).toBe(201);
      const before = await s.store.counts();

      const refusals: Array<[Uint8Array, string]> = [
        [findingsAttestation(ws.device, { ...findingsPredicate(reviewer, 2), reviewer: { id: 'device', publicKeyId: ws.device.keyId } }), 'wrong-signer'],
        [findingsAttestation(reviewer, findingsPredicate(reviewer, 2, { findings: [{ ...findingsPredicate(reviewer, 2).findings[0]!, cvss: { vector: 'CVSS:4.0/AV:N', score: 11, severity: 'critical' } }] })), 'invalid-predicate'],
        [findingsAttestation(reviewer, findingsPredicate(reviewer, 2, { findings: [] })), 'invalid-predicate'],
      ];
      for (const [body, reason] of refusals) {
        let error: unknown;
        await acceptAttestation(s.intake, body, 'http').catch((e: unknown) => (error = e));
        expect(viewOf(error)).toMatchObject({ reason });
      }
      expect(await s.store.counts()).toEqual(before);

      const auditor = await createReadToken(s.store, 'auditor', s.now.ms);
      const reader = await createReadToken(s.store, 'reader', s.now.ms);
      const listed = await get(`${web.url}/v1/findings`, auditor);
      expect(listed.status).toBe(200);
      const rows = listed.body['findings'] as Array<{ caseId: string; reviewer: string; findings: number; receipt: { logIndex: number } }>;
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ caseId: 'case-1', reviewer: 'reviewer-1', findings: 1, receipt: { logIndex: accepted.receipt.logIndex } });
      expect((await get(`${web.url}/v1/findings?after=${accepted.receipt.logIndex}`, auditor)).body['findings']).toEqual([]);
      expect((await get(`${web.url}/v1/findings`, reader)).status).toBe(403);
      expect((await get(`${web.url}/v1/findings`)).status).toBe(401);
    } finally {
      await web.close();
      await s.store.close();
    }
  }, 120_000);
});
