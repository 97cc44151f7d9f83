/**
 * OpenSSF model signing conformance (../shared/conformance/model-signing, from sigstore/model-transparency
 * scripts/tests): the published key-mode signatures verify with the published P-384 key, and altered
 * copies (a flipped file byte, a flipped signature byte, a different key) are refused.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, parsePublicKeyPem, publicKeyOf } from '../../src-shared/node/crypto';
import { fromBase64, toBase64 } from '../../src-shared/encoding';
import { OMS_PREDICATE_V1, verifySignatureBundle } from '../../src-main/artifacts/oms-signature';
import { verifyPackage, verifySingleFileModel } from '../../src-main/artifacts/package-plan';
import { isPackageRefusal } from '../../src-main/artifacts/package-refusal';
import { conformancePresent, conformanceRoot } from './conformance-root';
import { tempDir } from '../helpers/package-fixtures';

const present = conformancePresent('model-signing', 'model-signing');
const root = path.join(conformanceRoot, 'model-signing');

function trustedKey() {
  return parsePublicKeyPem(fs.readFileSync(path.join(root, 'keys/certificate/signing-key-pub.pem'), 'utf8'));
}

function cases(): string[] {
  return fs.readdirSync(root).filter((d) => d !== 'keys' && fs.existsSync(path.join(root, d, 'model.sig')));
}

/** A writable copy of one case (the conformance folder is read-only and must not be altered). */
function copyCase(name: string): string {
  const dir = path.join(tempDir('rw-oms-'), name);
  fs.cpSync(path.join(root, name), dir, { recursive: true });
  for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o644);
  return dir;
}

async function verifyCase(dir: string, keys = [trustedKey()]) {
  const signature = new Uint8Array(fs.readFileSync(path.join(dir, 'model.sig')));
  const manifest = verifySignatureBundle(signature, keys);
  if (manifest.resources.length === 1 && manifest.resources[0]?.name === '.') {
    return verifySingleFileModel(path.join(dir, manifest.modelName), signature, keys);
  }
  return (await verifyPackage(dir, keys)).manifest;
}

function flipSignatureByte(dir: string): void {
  const file = path.join(dir, 'model.sig');
  const bundle = JSON.parse(fs.readFileSync(file, 'utf8'));
  const sig = fromBase64(bundle.dsseEnvelope.signatures[0].sig);
  sig[sig.length - 5] = (sig[sig.length - 5] as number) ^ 0x01;
  bundle.dsseEnvelope.signatures[0].sig = toBase64(sig);
  fs.writeFileSync(file, JSON.stringify(bundle));
}

describe.skipIf(!present)('OMS model signing conformance', () => {
  it('has the three published elliptic-key cases', () => {
    expect(cases().sort()).toEqual(['v0.3.1-elliptic-key', 'v1.0.0-elliptic-key', 'v1.1.0-elliptic-key']);
  });

  for (const name of present ? cases() : []) {
    it(`${name}: verifies with the published P-384 key`, async () => {
      const manifest = await verifyCase(path.join(root, name));
      expect(manifest.predicateType).toBe(OMS_PREDICATE_V1);
      expect(manifest.resources.length).toBeGreaterThan(0);
    });

    it(`${name}: refuses the model with one file byte flipped`, async () => {
      const dir = copyCase(name);
      const target = path.join(dir, 'signme-1');
      const bytes = fs.readFileSync(target);
      bytes[0] = (bytes[0] as number) ^ 0x20;
      fs.writeFileSync(target, bytes);
      await expect(verifyCase(dir)).rejects.toSatisfy((e) => isPackageRefusal(e, 'digest-mismatch'));
    });

    it(`${name}: refuses a signature with one byte flipped`, async () => {
      const dir = copyCase(name);
      flipSignatureByte(dir);
      await expect(verifyCase(dir)).rejects.toSatisfy((e) => isPackageRefusal(e, 'signature-invalid'));
    });

    it(`${name}: refuses verification under another key (the bundle's own key material is never trusted)`, async () => {
      const other = publicKeyOf(generateKeyPair('ecdsa-p384'));
      await expect(verifyCase(path.join(root, name), [other])).rejects.toSatisfy((e) => isPackageRefusal(e, 'signature-invalid'));
    });
  }

  it('v1.1.0: honours the signed ignore_paths (ignore-me is present but not signed)', async () => {
    const { manifest } = await verifyPackage(path.join(root, 'v1.1.0-elliptic-key'), [trustedKey()]);
    expect(manifest.ignorePaths).toContain('ignore-me');
    expect(manifest.resources.map((r) => r.name)).toEqual(['signme-1', 'signme-2']);
  });

  it('v1.1.0: refuses an extra file that is neither signed nor ignored', async () => {
    const dir = copyCase('v1.1.0-elliptic-key');
    fs.writeFileSync(path.join(dir, 'extra'), 'unsigned');
    await expect(verifyPackage(dir, [trustedKey()])).rejects.toSatisfy((e) => isPackageRefusal(e, 'not-listed'));
  });

  it('v1.1.0: refuses when a signed file is missing', async () => {
    const dir = copyCase('v1.1.0-elliptic-key');
    fs.rmSync(path.join(dir, 'signme-2'));
    await expect(verifyPackage(dir, [trustedKey()])).rejects.toSatisfy((e) => isPackageRefusal(e, 'missing'));
  });
});
