import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateEd25519 } from '../../../../src-shared/node/crypto';
import { toBase64 } from '../../../../src-shared/encoding';
import { loadTrustRoot, machineTrustPath, trustRootCandidates } from '../../../../src-main/controls/trust-root';

describe('trust root', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rw-trust-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names the machine-wide file of each platform, outside any vault folder', () => {
    expect(machineTrustPath('linux', {})).toBe('/etc/reviewer-workstation/trust.json');
    expect(machineTrustPath('darwin', {})).toBe('/Library/Application Support/ReviewerWorkstation/trust.json');
    expect(machineTrustPath('win32', { ProgramData: 'D:\\PD' })).toBe(join('D:\\PD', 'ReviewerWorkstation', 'trust.json'));
  });

  it('prefers RW_TRUST_ROOT alone; else the machine file, then the one shipped in the app', () => {
    expect(trustRootCandidates({ env: { RW_TRUST_ROOT: '/x/trust.json' }, platform: 'linux', bundledPath: '/app.asar/trust.json' })).toEqual(['/x/trust.json']);
    expect(trustRootCandidates({ env: {}, platform: 'linux', bundledPath: '/app.asar/trust.json' })).toEqual(['/etc/reviewer-workstation/trust.json', '/app.asar/trust.json']);
  });

  it('reads the policy keys of a well-formed file and is null when no file exists', () => {
    const key = generateEd25519().publicKey;
    const file = join(dir, 'trust.json');
    writeFileSync(file, JSON.stringify({ version: 1, policyKeys: [toBase64(key)] }), { mode: 0o644 });
    expect(loadTrustRoot({ env: { RW_TRUST_ROOT: file }, platform: 'linux' })).toEqual({ policyKeys: [key], source: file });
    expect(loadTrustRoot({ env: { RW_TRUST_ROOT: join(dir, 'absent.json') }, platform: 'linux' })).toBeNull();
  });

  it.each([
    ['not JSON', 'policyKeys: []'],
    ['no keys', JSON.stringify({ version: 1, policyKeys: [] })],
    ['a short key', JSON.stringify({ version: 1, policyKeys: [toBase64(new Uint8Array(31))] })],
    ['an unknown member', JSON.stringify({ version: 1, policyKeys: [toBase64(new Uint8Array(32))], allowAll: true })],
    ['another version', JSON.stringify({ version: 2, policyKeys: [toBase64(new Uint8Array(32))] })],
  ])('refuses a trust file that is %s', (_name, text) => {
    const file = join(dir, 'trust.json');
    writeFileSync(file, text, { mode: 0o644 });
    expect(() => loadTrustRoot({ env: { RW_TRUST_ROOT: file }, platform: 'linux' })).toThrow(expect.objectContaining({ code: 'POLICY_REFUSED' }));
  });

  it.skipIf(process.platform === 'win32')('refuses a trust file others may write (anyone could name their own key)', () => {
    const file = join(dir, 'trust.json');
    writeFileSync(file, JSON.stringify({ version: 1, policyKeys: [toBase64(new Uint8Array(32).fill(7))] }));
    chmodSync(file, 0o666);
    expect(() => loadTrustRoot({ env: { RW_TRUST_ROOT: file }, platform: 'linux' })).toThrow(/writable by others/);
  });
});
