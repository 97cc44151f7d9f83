/**
 * rwctl attest / enroll / sync: every command's refusals, with its exit code (0 ok, 1 refused,
 * 2 usage, 3 authentication), and `attest verify` on altered envelopes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalBytes } from '../../src-shared/canonical-json';
import { ed25519PublicKey, ed25519Sign, generateKeyPair, publicKeyOf, publicKeyToPem, randomBytes, ed25519PublicFromSeed } from '../../src-shared/node/crypto';
import { signEnvelope } from '../../src-shared/node/dsse';
import { fromBase64, toBase64, utf8 } from '../../src-shared/encoding';
import { unlockVault } from '../../src-main/vault/vault';
import { workstationWithCase, PASS, type Harness } from './attest-cli-harness';

let h: Harness;
let envelope: { payload: string; payloadType: string; signatures: { keyid?: string; sig: string }[] };
let statement: Record<string, unknown>;

beforeAll(async () => {
  h = await workstationWithCase();
  const created = await h.rwctl(['attest', 'create', ...h.ws, '--case', h.caseId, '--verdict', 'objection', '--summary', 'Blocking finding.', '--out', 'attestation.json']);
  expect(created.code, created.err).toBe(0);
  envelope = JSON.parse(fs.readFileSync(path.join(h.work, 'attestation.json'), 'utf8'));
  statement = JSON.parse(new TextDecoder().decode(fromBase64(envelope.payload)));
  const vault = await unlockVault(path.join(h.work, 'vault'), 'alice', PASS, { clock: () => h.clock.now });
  try {
    fs.writeFileSync(path.join(h.work, 'reviewer.pem'), publicKeyToPem(ed25519PublicKey(vault.signingPublicKey!)));
    fs.writeFileSync(path.join(h.work, 'reviewer.b64'), `${toBase64(vault.signingPublicKey!)}\n`);
  } finally {
    vault.close();
  }
  fs.writeFileSync(path.join(h.work, 'other.pem'), publicKeyToPem(publicKeyOf(generateKeyPair('ed25519'))));
}, 120_000);
afterAll(() => fs.rmSync(h.work, { recursive: true, force: true }));

const write = (name: string, content: string | Uint8Array) => {
  fs.writeFileSync(path.join(h.work, name), content);
  return name;
};
const flip = (b64: string) => {
  const bytes = fromBase64(b64);
  bytes[bytes.length - 1]! ^= 1;
  return toBase64(bytes);
};

describe('rwctl attest verify', () => {
  it('accepts the attestation under the reviewer key, in PEM or raw base64 (exit 0)', async () => {
    expect((await h.rwctl(['attest', 'verify', 'attestation.json', '--pubkey', 'reviewer.pem'])).code).toBe(0);
    const raw = await h.rwctl(['attest', 'verify', 'attestation.json', '--pubkey', 'reviewer.b64']);
    expect(raw.code).toBe(0);
    expect(raw.out).toContain('verdict objection');
  });

  it.each<[string, () => string]>([
    ['a flipped signature bit', () => JSON.stringify({ ...envelope, signatures: [{ sig: flip(envelope.signatures[0]!.sig) }] })],
    ['a changed verdict', () => JSON.stringify({ ...envelope, payload: toBase64(utf8(JSON.stringify({ ...statement, predicate: { ...(statement.predicate as object), verdict: 'no-objection' } }))) })],
    ['a dropped subject', () => JSON.stringify({ ...envelope, payload: toBase64(canonicalBytes({ ...statement, subject: (statement.subject as unknown[]).slice(1) })) })],
    ['a changed payloadType', () => JSON.stringify({ ...envelope, payloadType: 'application/json' })],
    ['no signatures', () => JSON.stringify({ ...envelope, signatures: [] })],
    ['a signature moved to another keyid', () => JSON.stringify({ ...envelope, signatures: [{ keyid: 'trusted', sig: toBase64(randomBytes(64)) }] })],
    ['a re-signed payload by another key', () => {
      const seed = randomBytes(32);
      return JSON.stringify(signEnvelope(envelope.payloadType, fromBase64(envelope.payload), [{ keyid: envelope.signatures[0]!.keyid!, sign: (m) => ed25519Sign(seed, m) }]));
    }],
    ['duplicate keys', () => JSON.stringify(envelope).replace('{"payload"', '{"payloadType":"x","payload"')],
    ['not JSON', () => 'this is not an attestation'],
    ['an empty file', () => ''],
  ])('refuses %s (exit 1)', async (_name, make) => {
    const run = await h.rwctl(['attest', 'verify', write('altered.json', make()), '--pubkey', 'reviewer.pem']);
    expect(run.code, run.out).toBe(1);
    expect(run.out).toBe('');
  });

  it('refuses a valid attestation under another key (exit 1)', async () => {
    expect((await h.rwctl(['attest', 'verify', 'attestation.json', '--pubkey', 'other.pem'])).code).toBe(1);
  });

  it('refuses a signed Statement of a predicate type that may not leave (exit 1)', async () => {
    const seed = randomBytes(32);
    write('k.b64', toBase64(ed25519PublicFromSeed(seed)));
    const other = signEnvelope(envelope.payloadType, canonicalBytes({ ...statement, predicateType: 'https://slsa.dev/provenance/v1' }), [{ sign: (m) => ed25519Sign(seed, m) }]);
    expect((await h.rwctl(['attest', 'verify', write('slsa.json', JSON.stringify(other)), '--pubkey', 'k.b64'])).code).toBe(1);
  });

  it.each<[string, string[], number]>([
    ['a missing file', ['attest', 'verify', 'nope.json', '--pubkey', 'reviewer.pem'], 1],
    ['a key file that is not a key', ['attest', 'verify', 'attestation.json', '--pubkey', 'attestation.json'], 1],
    ['no --pubkey', ['attest', 'verify', 'attestation.json'], 2],
    ['an oversized file', ['attest', 'verify', 'big.json', '--pubkey', 'reviewer.pem'], 1],
  ])('refuses %s', async (name, argv, code) => {
    if (name === 'an oversized file') write('big.json', ' '.repeat(1024 * 1024 + 1));
    expect((await h.rwctl(argv)).code).toBe(code);
  });
});

describe('rwctl attest create refusals', () => {
  it.each<[string, string[], number, RegExp]>([
    ['an unknown verdict', ['--case', 'x', '--verdict', 'fine', '--summary', 's', '--out', 'a1.json'], 2, /--verdict/],
    ['an unknown case', ['--case', 'case-nope', '--verdict', 'concerns', '--summary', 's', '--out', 'a2.json'], 1, /No such case/],
    ['a summary with a direction override', ['--case', 'CASE', '--verdict', 'concerns', '--summary', 'ok\u202Eko', '--out', 'a3.json'], 1, /text-direction/],
    ['an existing --out file', ['--case', 'CASE', '--verdict', 'concerns', '--summary', 's', '--out', 'attestation.json'], 1, /./],
  ])('refuses %s', async (_name, argv, code, message) => {
    const run = await h.rwctl(['attest', 'create', ...h.ws, ...argv.map((a) => (a === 'CASE' ? h.caseId : a))]);
    expect(run.code).toBe(code);
    expect(run.err).toMatch(message);
  });

  it('fails authentication with a wrong passphrase (exit 3) and signs nothing', async () => {
    const queued = (await h.rwctl(['sync', 'status', ...h.ws])).out;
    const run = await h.rwctl(['attest', 'create', ...h.ws, '--case', h.caseId, '--verdict', 'concerns', '--summary', 's', '--out', 'a4.json'], { RW_PASSPHRASE: 'wrong passphrase here' });
    expect(run.code).toBe(3);
    expect(fs.existsSync(path.join(h.work, 'a4.json'))).toBe(false);
    expect((await h.rwctl(['sync', 'status', ...h.ws])).out).toBe(queued);
  });
});

describe('rwctl enroll and sync refusals', () => {
  it.each<[string, () => string[], number, RegExp]>([
    ['enroll import of a missing file', () => ['enroll', 'import', 'missing.json', ...h.ws], 1, /cannot be read/],
    ['enroll import of an unsigned approval', () => ['enroll', 'import', write('unsigned.json', JSON.stringify({ serverPublicKey: toBase64(new Uint8Array(32).fill(7)), envelope: { payload: 'e30=', payloadType: 'x', signatures: [] } })), ...h.ws], 1, /malformed/],
    ['enroll import of an enrollment request', () => ['enroll', 'import', 'attestation.json', ...h.ws], 1, /./],
    ['enroll request over an existing file', () => ['enroll', 'request', ...h.ws, '--out', 'attestation.json'], 1, /./],
    ['enroll request without --out', () => ['enroll', 'request', ...h.ws], 2, /--out/],
    ['sync import-receipts before enrollment', () => ['sync', 'import-receipts', 'pkg', ...h.ws], 1, /not enrolled/],
    ['sync witnessed before anything was witnessed', () => ['sync', 'witnessed', ...h.ws, '--out', 'w.txt'], 1, /No checkpoint/],
    ['sync export into a folder that is not empty', () => ['sync', 'export', ...h.ws, '--out', 'pkg'], 1, /not empty/],
  ])('refuses %s', async (_name, argv, code, message) => {
    const run = await h.rwctl(argv());
    expect(run.code, run.err).toBe(code);
    expect(run.err).toMatch(message);
  });

  it('sync now is offline without a server in the signed policy (exit 0)', async () => {
    const run = await h.rwctl(['sync', 'now', ...h.ws]);
    expect(run.code).toBe(0);
    expect(run.out).toContain('Offline');
  });

  it('sync status lists the queued attestation as pending', async () => {
    const run = await h.rwctl(['sync', 'status', ...h.ws]);
    expect(run.out).toMatch(/^pending\s+[0-9a-f]{16}\s+Review of case case-[0-9a-f]+: objection/m);
  });
});
