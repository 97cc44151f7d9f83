import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, publicKeyOf, publicKeyToPem, sha256, signWith, type PrivateKey } from '../../../../src-shared/node/crypto';
import { fromBase64, fromHex, toHex, utf8 } from '../../../../src-shared/encoding';
import { signEnvelope } from '../../../../src-shared/node/dsse';
import {
  buildSignatureBundle,
  compareOmsPaths,
  IN_TOTO_PAYLOAD_TYPE,
  isIgnoredPath,
  OMS_BUNDLE_MEDIA_TYPE,
  OMS_PREDICATE_V01,
  OMS_PREDICATE_V1,
  publicKeyHint,
  rootDigestOf,
  verifySignatureBundle,
} from '../../../../src-main/artifacts/oms-signature';
import { verifyPackage } from '../../../../src-main/artifacts/package-plan';
import { isPackageRefusal, type RefusalReason } from '../../../../src-main/artifacts/package-refusal';
import { signPackage } from '../../../../src-main/artifacts/sign-package';
import { digestOf, submissionBytes, tempDir, writeFiles } from '../../../helpers/package-fixtures';

const key = generateKeyPair('ecdsa-p384');
const trusted = [publicKeyOf(key)];

function bundleFor(statement: unknown, signer: PrivateKey = key, payloadType = IN_TOTO_PAYLOAD_TYPE): Uint8Array {
  const envelope = signEnvelope(payloadType, utf8(JSON.stringify(statement)), [{ sign: (m) => signWith(signer, m) }]);
  return utf8(JSON.stringify({ mediaType: OMS_BUNDLE_MEDIA_TYPE, verificationMaterial: { publicKey: { hint: 'x' } }, dsseEnvelope: envelope }));
}

function v1Statement(resources: { name: string; digest: string }[], overrides: Record<string, unknown> = {}, serialization: Record<string, unknown> = {}) {
  const root = rootDigestOf(resources.map((r) => ({ name: r.name, sha256: r.digest })));
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'm', digest: { sha256: root } }],
    predicateType: OMS_PREDICATE_V1,
    predicate: {
      serialization: { method: 'files', hash_type: 'sha256', allow_symlinks: false, ...serialization },
      resources: resources.map((r) => ({ name: r.name, algorithm: 'sha256', digest: r.digest })),
    },
    ...overrides,
  };
}

const d1 = digestOf('one');
const d2 = digestOf('two');

describe('signPackage', () => {
  it('writes a model.sig that verifies and has the OMS key-mode shape', async () => {
    const dir = path.join(tempDir(), 'kestrel-pkg');
    writeFiles(dir, { 'submission.json': submissionBytes(), 'a-c.txt': 'ac', 'a/b.txt': 'ab', 'z.md': 'z' });
    await signPackage(dir, key);
    const bundle = JSON.parse(fs.readFileSync(path.join(dir, 'model.sig'), 'utf8'));
    expect(bundle.mediaType).toBe(OMS_BUNDLE_MEDIA_TYPE);
    expect(bundle.verificationMaterial).toEqual({ publicKey: { hint: publicKeyHint(trusted[0]!) }, tlogEntries: [] });
    expect(bundle.dsseEnvelope.payloadType).toBe(IN_TOTO_PAYLOAD_TYPE);
    expect(bundle.dsseEnvelope.signatures).toHaveLength(1);
    expect(bundle.dsseEnvelope.signatures[0].keyid).toBe('');

    const statement = JSON.parse(Buffer.from(fromBase64(bundle.dsseEnvelope.payload)).toString('utf8'));
    expect(statement.predicateType).toBe(OMS_PREDICATE_V1);
    expect(statement.subject[0].name).toBe('kestrel-pkg');
    // Python PurePosixPath order: component by component, so a/b.txt precedes a-c.txt.
    expect(statement.predicate.resources.map((r: { name: string }) => r.name)).toEqual(['a/b.txt', 'a-c.txt', 'submission.json', 'z.md']);
    const root = toHex(sha256(...statement.predicate.resources.map((r: { digest: string }) => fromHex(r.digest))));
    expect(statement.subject[0].digest.sha256).toBe(root);
    expect(statement.predicate.serialization).toMatchObject({ method: 'files', hash_type: 'sha256', allow_symlinks: false });
    expect(statement.predicate.serialization.ignore_paths).toContain('model.sig');

    const verified = await verifyPackage(dir, trusted);
    expect(verified.files.map((f) => f.name)).toEqual(['a/b.txt', 'a-c.txt', 'submission.json', 'z.md']);
  });

  it('writes the OMS hint as the SHA-256 of the PEM public key', () => {
    const pem = publicKeyToPem(trusted[0]!);
    expect(publicKeyHint(trusted[0]!)).toBe(toHex(sha256(utf8(pem))));
  });

  it('signs with P-256 keys too', async () => {
    const p256 = generateKeyPair('ecdsa-p256');
    const dir = tempDir();
    writeFiles(dir, { 'x.txt': 'x' });
    await signPackage(dir, p256);
    await expect(verifyPackage(dir, [publicKeyOf(p256)])).resolves.toBeTruthy();
  });

  it('refuses Ed25519 keys, which OMS key mode does not accept', () => {
    expect(() => buildSignatureBundle({ modelName: 'm', resources: [], privateKey: generateKeyPair('ed25519') })).toThrow(/ECDSA/);
  });

  it('refuses to sign a folder holding a symlink', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'x.txt': 'x' });
    fs.symlinkSync('/etc/hostname', path.join(dir, 'link'));
    await expect(signPackage(dir, key)).rejects.toSatisfy((e) => isPackageRefusal(e, 'symlink'));
  });
});

describe('verifySignatureBundle', () => {
  it('accepts a v1.0 statement and returns its resources in signed order', () => {
    const manifest = verifySignatureBundle(bundleFor(v1Statement([{ name: 'b', digest: d2 }, { name: 'a', digest: d1 }])), trusted);
    expect(manifest.resources).toEqual([
      { name: 'b', sha256: d2 },
      { name: 'a', sha256: d1 },
    ]);
    expect(manifest.signerKey).toEqual(trusted[0]);
  });

  it('accepts the pre-1.0 Digests/v0.1 shape (the files are the subjects)', () => {
    const statement = { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'a', digest: { sha256: d1 } }], predicateType: OMS_PREDICATE_V01, predicate: {} };
    const manifest = verifySignatureBundle(bundleFor(statement), trusted);
    expect(manifest.predicateType).toBe(OMS_PREDICATE_V01);
    expect(manifest.rootDigest).toBeNull();
    expect(manifest.resources).toEqual([{ name: 'a', sha256: d1 }]);
  });

  it('ignores the bundle hint: a wrong hint still verifies, and the hint never selects a key', () => {
    const bytes = bundleFor(v1Statement([{ name: 'a', digest: d1 }]));
    const other = publicKeyOf(generateKeyPair('ecdsa-p384'));
    expect(() => verifySignatureBundle(bytes, [other, trusted[0]!])).not.toThrow();
  });

  it('verifies the signature before parsing: garbage signed by an untrusted key is "signature-invalid"', () => {
    const stranger = generateKeyPair('ecdsa-p384');
    const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, utf8('{{{ not json'), [{ sign: (m) => signWith(stranger, m) }]);
    const bytes = utf8(JSON.stringify({ mediaType: OMS_BUNDLE_MEDIA_TYPE, dsseEnvelope: envelope }));
    expect(() => verifySignatureBundle(bytes, trusted)).toThrow(expect.objectContaining({ detail: { entry: 'model.sig', reason: 'signature-invalid' } }));
  });

  const refusals: [string, () => Uint8Array, RefusalReason][] = [
    ['bytes that are not JSON', () => utf8('not json'), 'signature-malformed'],
    ['a bundle with a duplicate key', () => utf8('{"mediaType":"a","mediaType":"b"}'), 'signature-malformed'],
    ['another bundle media type', () => utf8(JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1', dsseEnvelope: {} })), 'signature-malformed'],
    ['a statement signed under another payload type', () => bundleFor(v1Statement([{ name: 'a', digest: d1 }]), key, 'application/json'), 'signature-malformed'],
    ['an unknown predicate type', () => bundleFor(v1Statement([{ name: 'a', digest: d1 }], { predicateType: 'https://example/evil' })), 'unsupported-signature'],
    ['a sharded serialization', () => bundleFor(v1Statement([{ name: 'a', digest: d1 }], {}, { method: 'shards', shard_size: 100 })), 'unsupported-signature'],
    ['a blake3 hash type', () => bundleFor(v1Statement([{ name: 'a', digest: d1 }], {}, { hash_type: 'blake3' })), 'unsupported-signature'],
    [
      'a root digest that does not match the resources',
      () => bundleFor({ ...v1Statement([{ name: 'a', digest: d1 }]), subject: [{ name: 'm', digest: { sha256: d2 } }] }),
      'signature-malformed',
    ],
    ['a resource listed twice', () => bundleFor(v1Statement([{ name: 'a', digest: d1 }, { name: 'a', digest: d1 }])), 'signature-malformed'],
    ['a resource named with ..', () => bundleFor(v1Statement([{ name: '../a', digest: d1 }])), 'signature-malformed'],
    ['an absolute ignore path', () => bundleFor(v1Statement([{ name: 'a', digest: d1 }], {}, { ignore_paths: ['/etc'] })), 'signature-malformed'],
    ['an upper-case hex digest', () => bundleFor(v1Statement([{ name: 'a', digest: d1.toUpperCase() }])), 'signature-malformed'],
    ['two subjects', () => bundleFor({ ...v1Statement([{ name: 'a', digest: d1 }]), subject: [{ name: 'm', digest: { sha256: d1 } }, { name: 'n', digest: { sha256: d1 } }] }), 'signature-malformed'],
    ['a signature by an untrusted key', () => bundleFor(v1Statement([{ name: 'a', digest: d1 }]), generateKeyPair('ecdsa-p384')), 'signature-invalid'],
  ];

  it.each(refusals)('refuses %s', (_name, build, reason) => {
    expect(() => verifySignatureBundle(build(), trusted)).toThrow(expect.objectContaining({ code: 'PACKAGE_REFUSED', detail: { entry: 'model.sig', reason } }));
  });
});

describe('OMS path helpers', () => {
  it('orders paths component by component with code-point comparison', () => {
    expect(['a-c', 'a/b', 'B', 'a', '\u{1F600}', '\uFFFD'].sort(compareOmsPaths)).toEqual(['B', 'a', 'a/b', 'a-c', '\uFFFD', '\u{1F600}']);
  });

  it('ignores a path and everything below it, and nothing else', () => {
    expect(isIgnoredPath('.git', ['.git'])).toBe(true);
    expect(isIgnoredPath('.git/HEAD', ['.git'])).toBe(true);
    expect(isIgnoredPath('.gitignore', ['.git'])).toBe(false);
    expect(isIgnoredPath('docs/.git', ['.git'])).toBe(false);
  });
});
