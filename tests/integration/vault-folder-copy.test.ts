/**
 * The attacker with a copy of a used vault folder and no passphrase (DESIGN §2, the thief and anyone who
 * can read the folder): no file in it is a bare key, and the project's own code cannot open audit.db,
 * unwrap any slot or sign as the workstation from it. Every byte string in the folder that could be a
 * key (whole small files, every base64 or hex string in its JSON, the lines of the journal) is tried as
 * the audit.db key, as a key-encryption key for every wrap in slots.json, and as the device's signing seed.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore } from '../../src-main/app-core';
import { openEncryptedDb } from '../../src-main/vault/encrypted-db';
import { slotAad, unwrapKey, type SealedJson } from '../../src-main/vault/key-slots';
import { readDeviceSigningKey, unlockVault } from '../../src-main/vault/vault';
import { ed25519PublicFromSeed } from '../../src-shared/node/crypto';
import { bytesEqual, fromBase64, fromHex } from '../../src-shared/encoding';

const TOP = { url: 'app://rw/index.html', isTopFrame: true };
const PASS = 'correct horse battery staple';
const TYPED_NAME = 'mallory-typed-this-name';
let root: string;
let original: string;
let copy: string;
let devicePublic: Uint8Array;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rw-copy-'));
  original = join(root, 'vault');
  const core = await createAppCore({ dataDir: original, clock: () => Date.now(), preview: true, appOrigin: 'app://rw' });
  const call = (channel: string, request: unknown = {}) => core.router.handle(channel, request, TOP);
  expect(await call('vault.create', { user: 'avery', passphrase: PASS })).toMatchObject({ ok: true });
  expect((await call('cases.importDemo')).ok).toBe(true);
  await call('session.lock', { reason: 'manual' });
  // Failed unlocks before sign-in: a typed user name must not be readable from the folder.
  await call('session.unlock', { user: TYPED_NAME, passphrase: 'not the passphrase at all' });
  await core.close();
  const vault = await unlockVault(original, 'avery', PASS, { clock: () => Date.now() });
  devicePublic = readDeviceSigningKey(vault.audit).publicKey;
  vault.close();
  copy = join(root, 'copy');
  cpSync(original, copy, { recursive: true });
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Every string value anywhere in a JSON document (or in each line of a JSON Lines file). */
function stringsIn(text: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  for (const chunk of [text, ...text.split('\n')]) {
    try {
      walk(JSON.parse(chunk));
    } catch {
      // not JSON
    }
  }
  return out;
}

function decodings(s: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  try {
    if (/^[0-9a-f]+$/i.test(s) && s.length % 2 === 0) out.push(fromHex(s.toLowerCase()));
  } catch {
    // not hex
  }
  try {
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(s)) out.push(fromBase64(s));
  } catch {
    // not base64
  }
  return out;
}

function candidateKeys(dir: string): { where: string; key: Uint8Array }[] {
  const out: { where: string; key: Uint8Array }[] = [];
  for (const name of readdirSync(dir)) {
    const bytes = new Uint8Array(readFileSync(join(dir, name)));
    if (bytes.byteLength <= 128) out.push({ where: `${name} (whole file)`, key: bytes });
    if (name.endsWith('.db') || name.endsWith('-wal') || name.endsWith('-shm')) continue;
    for (const s of stringsIn(Buffer.from(bytes).toString('utf8'))) for (const d of decodings(s)) out.push({ where: `${name}: ${s.slice(0, 16)}…`, key: d });
  }
  return out.filter((c) => c.key.byteLength >= 32).flatMap((c) => (c.key.byteLength === 32 ? [c] : [{ ...c, key: c.key.slice(0, 32) }, { ...c, key: c.key.slice(-32) }]));
}

function wrapsIn(slots: { slots: { kind: string; user?: string; role?: 'reviewer' | 'auditor'; keys: Record<string, SealedJson> }[] }) {
  return slots.slots.flatMap((slot) =>
    Object.entries(slot.keys).map(([db, wrapped]) => ({
      wrapped,
      aad: slotAad(slot.kind === 'device' ? { kind: 'device' } : { kind: 'passphrase', user: slot.user as string, role: slot.role as 'reviewer' }, db as 'audit'),
    })),
  );
}

describe('a copy of a used vault folder, without a passphrase', () => {
  it('holds no bare key: no byte string in it opens audit.db, unwraps a slot or is the device signing seed', () => {
    const candidates = candidateKeys(copy);
    expect(candidates.length).toBeGreaterThan(5);
    const wraps = wrapsIn(JSON.parse(readFileSync(join(copy, 'slots.json'), 'utf8')));
    const opens: string[] = [];
    for (const { where, key } of candidates) {
      for (const w of wraps) if (unwrapKey(key, w.wrapped, w.aad) !== null) opens.push(`${where} unwraps a slot`);
      if (bytesEqual(ed25519PublicFromSeed(key), devicePublic)) opens.push(`${where} is the device signing seed`);
      try {
        const db = openEncryptedDb(join(copy, 'audit.db'), key);
        db.prepare('SELECT count(*) FROM log_leaves').get();
        db.close();
        opens.push(`${where} opens audit.db`);
      } catch {
        // refused: the expected outcome
      }
    }
    expect(opens).toEqual([]);
  });

  it('cannot be opened by the project\'s own code without the passphrase', async () => {
    for (const passphrase of ['', 'not the passphrase at all']) {
      await expect(unlockVault(copy, 'avery', passphrase, { clock: () => Date.now() })).rejects.toMatchObject({ code: expect.stringMatching(/AUTH_FAILED|INVALID_INPUT|LOCKED_OUT/) });
    }
  });

  it('does not show what was typed at the lock screen', () => {
    for (const name of readdirSync(copy)) {
      if (statSync(join(copy, name)).isFile()) expect(readFileSync(join(copy, name)).includes(Buffer.from(TYPED_NAME)), name).toBe(false);
    }
  });

  it('the next sign-in appends the sealed pre-sign-in events as leaves, with their original times, and empties the journal', async () => {
    const core = await createAppCore({ dataDir: original, clock: () => Date.now(), preview: true, appOrigin: 'app://rw' });
    expect(await core.router.handle('session.unlock', { user: 'avery', passphrase: PASS }, TOP)).toMatchObject({ ok: true });
    const vault = core.sessions.require();
    const leaves = vault.audit
      .prepare('SELECT leaf FROM log_leaves ORDER BY seq')
      .all()
      .map((r) => JSON.parse(Buffer.from(r['leaf'] as Uint8Array).toString('utf8')) as { event: string; ts: number; actor: { user: string | null }; detail: Record<string, unknown> });
    const failed = leaves.find((l) => l.event === 'unlock' && l.detail['error'] === 'AUTH_FAILED');
    expect(failed).toMatchObject({ actor: { user: null }, detail: { journal: true } });
    expect(leaves.filter((l) => l.detail['journal'] === true).map((l) => l.event)).toEqual(expect.arrayContaining(['app.start', 'unlock', 'app.stop']));
    expect(leaves.some((l) => l.event.startsWith('journal.'))).toBe(false);
    // The lock before: signed into a checkpoint while the session still held the key.
    expect(vault.audit.prepare("SELECT count(*) AS n FROM log_checkpoints WHERE reason = 'lock'").get()?.['n']).toBeGreaterThan(0);
    await core.close();
    expect(readFileSync(join(original, 'journal.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });
});
