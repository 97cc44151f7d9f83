/**
 * The network sync client talks to the enrolled server named by the signed policy and to nothing else:
 * a redirect (to another host or the same one) is refused and the redirect target is never contacted;
 * the base URL comes only from the policy; plain http only on loopback; a receipt that does not verify
 * is not a delivery; a failure schedules a retry by the backoff schedule (fake clock).
 */
import http from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IN_TOTO_PAYLOAD_TYPE, type Receipt } from '../../src-shared/attestation-types';
import { canonicalBytes } from '../../src-shared/canonical-json';
import { ed25519Sign, ed25519PublicFromSeed, randomBytes, type Ed25519KeyPair } from '../../src-shared/node/crypto';
import { signEnvelope } from '../../src-shared/node/dsse';
import { toBase64 } from '../../src-shared/encoding';
import { DEFAULT_POLICY, type Policy } from '../../src-shared/policy';
import { backoffDelay } from '../../src-main/attest/backoff';
import type { Enrollment } from '../../src-main/attest/enrollment';
import { admitToOutbox, listOutbox } from '../../src-main/attest/outbox';
import { buildReviewStatement, gatherReviewFacts, policyDigest } from '../../src-main/attest/review-attestation';
import { endpoint, platformFetch, serverTarget, syncNow, type FetchFn } from '../../src-main/attest/sync-client';
import { unlockSigningKey } from '../../src-main/vault/vault';
import { defaultRubric } from '../../src-main/workspace/rubric';
import { codeOf, insertCase, openVaultFixture, PASS, type VaultFixture } from '../helpers/attest-fixture';

let f: VaultFixture;
let reviewer: Ed25519KeyPair;
const serverSeed = randomBytes(32);
const serverPublicKey = ed25519PublicFromSeed(serverSeed);

const enrollment = (): Enrollment => ({
  workstationId: f.vault.workstationId,
  serverPublicKey,
  serverName: 'central.test/log',
  serverUrl: null,
  policyPublicKey: new Uint8Array(32),
  policy: DEFAULT_POLICY,
  policyEnvelope: { payload: '', payloadType: '', signatures: [] } as never,
  trustedSubmitterKeys: [],
  installedAt: 0,
});
const policyFor = (url: string, key: Uint8Array = serverPublicKey): Policy => ({ ...DEFAULT_POLICY, server: { url, publicKey: toBase64(key) } });

interface Listener {
  url: string;
  hits: string[];
  close(): Promise<void>;
}

function listen(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<Listener> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => handler(req, res));
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      done({ url: `http://127.0.0.1:${address.port}`, hits, close: () => new Promise((c) => server.close(() => c())) });
    }),
  );
}

let sequence = 0;
function queueAttestation(): void {
  sequence++;
  const statement = buildReviewStatement(
    gatherReviewFacts(f.vault.content!, defaultRubric(), 'case-0001'),
    { caseId: 'case-0001', verdict: 'no-objection', releaseSummary: `pass ${sequence}` },
    { reviewerId: 'alice', reviewerPublicKey: reviewer.publicKey, policyDigest: policyDigest(DEFAULT_POLICY), accessLogIndex: sequence, sequence },
  );
  admitToOutbox(f.vault.audit, signEnvelope(IN_TOTO_PAYLOAD_TYPE, canonicalBytes(statement), [{ sign: (m) => ed25519Sign(reviewer.privateKey, m) }]), f.keys, () => f.clock.now);
}

const deps = (policy: Policy, fetchFn: FetchFn = platformFetch) => ({
  audit: f.vault.audit,
  keys: f.keys,
  policy,
  enrollment: enrollment(),
  fetch: fetchFn,
  clock: () => f.clock.now,
  random: () => 0.5,
});

beforeAll(async () => {
  f = await openVaultFixture();
  insertCase(f);
  reviewer = await unlockSigningKey(f.dir, f.vault, PASS, f.deps);
}, 60_000);
afterAll(() => f.close());
beforeEach(() => {
  f.vault.audit.exec('DELETE FROM outbox');
  queueAttestation();
});

describe('the only host is the enrolled server named by the signed policy', () => {
  let target: Listener;
  let elsewhere: Listener;
  afterEach(async () => {
    await target?.close();
    await elsewhere?.close();
  });

  it('refuses a redirect to another host and never contacts it', async () => {
    elsewhere = await listen((_req, res) => res.writeHead(201).end('{}'));
    target = await listen((_req, res) => res.writeHead(307, { Location: `${elsewhere.url}/v1/attestations` }).end());
    const result = await syncNow(deps(policyFor(target.url)));
    expect(result.mode).toBe('network');
    expect(result.delivered).toBe(0);
    expect(result.failed).toHaveLength(1);
    expect(target.hits).toEqual(['POST /v1/attestations']);
    expect(elsewhere.hits).toEqual([]);
    expect(listOutbox(f.vault.audit, f.keys, 'pending')).toHaveLength(1);
  });

  it('refuses a redirect to the same host too', async () => {
    target = await listen((req, res) => (req.url === '/v1/attestations' ? res.writeHead(302, { Location: '/v2/attestations' }).end() : res.writeHead(201).end('{}')));
    const result = await syncNow(deps(policyFor(target.url)));
    expect(result.failed).toHaveLength(1);
    expect(target.hits).toEqual(['POST /v1/attestations']);
  });

  it('refuses a 3xx that fetch did not follow, and a response that says it was redirected', async () => {
    const answers: FetchFn[] = [
      async () => ({ status: 304, headers: new Headers(), arrayBuffer: async () => new ArrayBuffer(0) }),
      async () => ({ status: 201, redirected: true, headers: new Headers(), arrayBuffer: async () => new ArrayBuffer(0) }),
    ];
    for (const fake of answers) {
      f.vault.audit.exec('DELETE FROM outbox');
      queueAttestation();
      const result = await syncNow(deps(policyFor('https://central.example'), fake));
      expect(result.failed[0]?.error).toContain('redirect');
    }
  });

  it('sends every request to the policy origin and nowhere else', async () => {
    const urls: string[] = [];
    const recording: FetchFn = async (url) => {
      urls.push(url);
      throw new TypeError('fetch failed');
    };
    await syncNow(deps(policyFor('https://central.example/base/'), recording));
    expect(urls).toEqual(['https://central.example/base/v1/attestations']);
  });

  it.each<[string, Policy, Enrollment | null, string]>([
    ['a policy without a server', DEFAULT_POLICY, null, 'offline'],
    ['a workstation that is not enrolled', { ...DEFAULT_POLICY, server: { url: 'https://central.example', publicKey: toBase64(serverPublicKey) } }, null, 'offline'],
  ])('stays offline with %s and contacts nobody', async (_name, policy, pinned, mode) => {
    let called = false;
    const result = await syncNow({ ...deps(policy, async () => ((called = true), Promise.reject(new Error('no')))), enrollment: pinned });
    expect(result.mode).toBe(mode);
    expect(called).toBe(false);
  });

  it.each<[string, () => unknown]>([
    ["a policy server key that is not the pinned one", () => serverTarget(policyFor('https://central.example', randomBytes(32)), enrollment())],
    ['plain http to a non-loopback host', () => serverTarget(policyFor('http://central.example'), enrollment())],
    ['credentials in the URL', () => serverTarget(policyFor('https://user:pw@central.example'), enrollment())],
    ['a query in the URL', () => serverTarget(policyFor('https://central.example/?next=evil.example'), enrollment())],
    ['a fragment in the URL', () => serverTarget(policyFor('https://central.example/#x'), enrollment())],
    ['a non-http scheme', () => serverTarget(policyFor('file:///etc/passwd'), enrollment())],
  ])('refuses %s (POLICY_REFUSED)', (_name, make) => {
    expect(codeOf(make)).toBe('POLICY_REFUSED');
  });

  it('keeps the origin whatever path is appended', () => {
    const t = serverTarget(policyFor('https://central.example/api'), enrollment())!;
    expect(new URL(endpoint(t, '//evil.example/v1/attestations')).origin).toBe('https://central.example');
    expect(new URL(endpoint(t, '/../../v1/attestations')).origin).toBe('https://central.example');
    expect(endpoint(t, '/v1/attestations')).toBe('https://central.example/api/v1/attestations');
  });

  it('does not count a receipt that fails verification as a delivery', async () => {
    const item = listOutbox(f.vault.audit, f.keys, 'pending')[0]!;
    const bogus: Receipt = { envelopeSha256: item.envelopeSha256, logIndex: 0, treeSize: 1, inclusionProof: [], checkpoint: 'central.test/log\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— central.test/log AAAAAAAA\n' };
    target = await listen((_req, res) => res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify(bogus)));
    const result = await syncNow(deps(policyFor(target.url)));
    expect(result.delivered).toBe(0);
    expect(listOutbox(f.vault.audit, f.keys, 'pending')).toHaveLength(1);
  });

  it('schedules a retry by the backoff schedule and waits for it (fake clock)', async () => {
    const failing: FetchFn = async () => {
      throw new TypeError('fetch failed');
    };
    const start = f.clock.now;
    await syncNow(deps(policyFor('https://central.example'), failing));
    const [item] = listOutbox(f.vault.audit, f.keys, 'pending');
    expect(item?.attempts).toBe(1);
    expect(item?.nextAttemptAt).toBe(start + backoffDelay(1, 0.5));
    f.clock.now = item!.nextAttemptAt - 1;
    expect((await syncNow(deps(policyFor('https://central.example'), failing))).deferred).toBe(1);
    f.clock.now = item!.nextAttemptAt;
    await syncNow(deps(policyFor('https://central.example'), failing));
    const [again] = listOutbox(f.vault.audit, f.keys, 'pending');
    expect(again?.attempts).toBe(2);
    expect(again?.nextAttemptAt).toBe(f.clock.now + backoffDelay(2, 0.5));
  });
});
