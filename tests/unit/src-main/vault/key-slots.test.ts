import { describe, expect, it } from 'vitest';
import { randomBytes } from '../../../../src-shared/node/crypto';
import { toBase64 } from '../../../../src-shared/encoding';
import { MIN_KDF_PARAMS } from '../../../../src-main/vault/kdf';
import { slotAad, slotFileSchema, unwrapKey, wrapKey } from '../../../../src-main/vault/key-slots';

const kek = randomBytes(32);
const sealed = () => wrapKey(kek, randomBytes(32), new Uint8Array(0));
const kdf = { ...MIN_KDF_PARAMS, salt: toBase64(new Uint8Array(16)) };

type Slot = Record<string, unknown> & { keys: Record<string, unknown> };
type TestFile = { version: number; workstationId: string; createdAt: number; journal?: { publicKey: string }; slots: Slot[] };
const slot = (f: TestFile, i: number) => f.slots[i] as Slot;

function validFile(): TestFile {
  return {
    version: 2,
    workstationId: 'ab'.repeat(16),
    createdAt: 1,
    journal: { publicKey: toBase64(randomBytes(32)) },
    slots: [
      { kind: 'passphrase', user: 'alice', role: 'reviewer', kdf, keys: { content: sealed(), audit: sealed(), signing: sealed() }, createdAt: 1, updatedAt: 1 },
      { kind: 'passphrase', user: 'audrey', role: 'auditor', kdf, keys: { audit: sealed() }, createdAt: 1, updatedAt: 1 },
    ],
  };
}

describe('key-slot file', () => {
  it('accepts a well-formed file', () => {
    expect(slotFileSchema.safeParse(validFile()).success).toBe(true);
  });

  it.each([
    ['another format version', (f: TestFile) => (f.version = 3)],
    ['the earlier format under the current version (a device slot)', (f: TestFile) => f.slots.push({ kind: 'device', store: 'file', keys: { audit: sealed() }, createdAt: 1 })],
    ['no journal public key', (f: TestFile) => delete f.journal],
    ['an auditor slot holding a content key', (f: TestFile) => (slot(f, 1).keys['content'] = sealed())],
    ['an auditor slot holding a signing key', (f: TestFile) => (slot(f, 1).keys['signing'] = sealed())],
    ['a reviewer slot without a content key', (f: TestFile) => delete slot(f, 0).keys['content']],
    ['KDF memory below the floor', (f: TestFile) => (slot(f, 0)['kdf'] = { ...kdf, memoryKiB: 1024 })],
    ['a short salt', (f: TestFile) => (slot(f, 0)['kdf'] = { ...kdf, salt: toBase64(new Uint8Array(8)) })],
    ['an unknown role', (f: TestFile) => (slot(f, 0)['role'] = 'admin')],
    ['two slots for one user (case folded)', (f: TestFile) => (slot(f, 1)['user'] = 'ALICE')],
    ['no user slot', (f: TestFile) => (f.slots = [])],
    ['an unknown field', (f: TestFile) => (slot(f, 0)['extra'] = 1)],
    ['a user name with a newline', (f: TestFile) => (slot(f, 0)['user'] = 'ali\nce')],
    ['a malformed workstation id', (f: TestFile) => (f.workstationId = 'x')],
  ])('refuses %s', (_name, mutate) => {
    const f = validFile();
    mutate(f);
    expect(slotFileSchema.safeParse(f).success).toBe(false);
  });

  it('binds a wrapped key to its user, role and database through the AAD', () => {
    const key = randomBytes(32);
    const alice = { kind: 'passphrase', user: 'alice', role: 'reviewer' } as const;
    const wrapped = wrapKey(kek, key, slotAad(alice, 'content'));
    expect(unwrapKey(kek, wrapped, slotAad(alice, 'content'))).toEqual(key);
    expect(unwrapKey(kek, wrapped, slotAad(alice, 'audit'))).toBeNull();
    expect(unwrapKey(kek, wrapped, slotAad({ ...alice, user: 'bob' }, 'content'))).toBeNull();
    expect(unwrapKey(kek, wrapped, slotAad({ ...alice, role: 'auditor' }, 'content'))).toBeNull();
    expect(unwrapKey(kek, wrapped, slotAad({ kind: 'device' }, 'content'))).toBeNull();
    expect(unwrapKey(randomBytes(32), wrapped, slotAad(alice, 'content'))).toBeNull();
    expect(unwrapKey(kek, { ...wrapped, iv: 'not base64!' }, slotAad(alice, 'content'))).toBeNull();
  });
});
