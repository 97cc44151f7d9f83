import { afterEach, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../../../src-shared/node/checkpoint';
import { bytesEqual } from '../../../../src-shared/encoding';
import { leafHash, rootOf, verifyConsistency, verifyInclusion } from '../../../../src-shared/node/merkle';
import { ed25519NoteVerifier } from '../../../../src-shared/node/signed-note';
import { logOrigin } from '../../../../src-main/audit/access-log';
import { parseLeaf } from '../../../../src-main/audit/log-leaf';
import { verifyAccessLog } from '../../../../src-main/audit/verify-access-log';
import { openAuditFixture, reviewer, tick, type AuditFixture } from '../../../helpers/audit-fixture';

let f: AuditFixture;
afterEach(() => f?.close());

function leafBytes(seq: number): Uint8Array {
  const row = f.db.prepare('SELECT leaf FROM log_leaves WHERE seq = ?').get([seq]);
  return row!['leaf'] as Uint8Array;
}

describe('AccessLog', () => {
  it('appends canonical leaves with consecutive seq and the fields of DESIGN §5, stored exactly as hashed', () => {
    f = openAuditFixture();
    for (let i = 0; i < 5; i++) {
      const r = f.log.append({ actor: reviewer, session: 's1', event: 'artifact.view', object: { kind: 'artifact', id: `a${i}` }, outcome: 'success', detail: { page: i + 1 } });
      expect(r.seq).toBe(i);
      expect(bytesEqual(r.leafHash, leafHash(leafBytes(i)))).toBe(true);
      tick(f, 1000);
    }
    const parsed = parseLeaf(leafBytes(3));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(Object.keys(JSON.parse(new TextDecoder().decode(leafBytes(3))) as object)).toEqual(['actor', 'app', 'detail', 'device', 'event', 'mono', 'object', 'outcome', 'seq', 'session', 'ts', 'v']);
    expect(parsed.leaf).toMatchObject({ v: 1, seq: 3, device: f.workstationId, session: 's1', event: 'artifact.view', object: { kind: 'artifact', id: 'a3', name: null, digest: null }, detail: { page: 4 }, mono: 3000 });
  });

  it('keeps the root equal to RFC 9162 over the leaves and serves valid proofs from stored nodes', () => {
    f = openAuditFixture({ everyLeaves: 1_000_000, everyMs: Number.MAX_SAFE_INTEGER });
    const hashes: Uint8Array[] = [];
    const roots: Uint8Array[] = [];
    for (let i = 0; i < 37; i++) {
      hashes.push(f.log.append({ actor: reviewer, event: 'search', outcome: 'success', detail: { query: `q${i}` } }).leafHash);
      roots.push(f.log.root());
      expect(bytesEqual(roots[i]!, rootOf(hashes))).toBe(true);
    }
    for (const size of [1, 2, 3, 8, 13, 37]) {
      expect(bytesEqual(f.log.rootAt(size), roots[size - 1]!)).toBe(true);
      for (let index = 0; index < size; index += 3) verifyInclusion(index, size, hashes[index]!, f.log.inclusionProof(index, size), roots[size - 1]!);
    }
    for (const [a, b] of [[1, 37], [7, 8], [8, 37], [13, 21], [36, 37]] as const) {
      verifyConsistency(a, b, roots[a - 1]!, roots[b - 1]!, f.log.consistencyProof(a, b));
    }
  });

  it('signs C2SP checkpoints with the device key after security events and at the leaf-count interval', () => {
    f = openAuditFixture({ everyLeaves: 4, everyMs: Number.MAX_SAFE_INTEGER });
    const a = f.log.append({ actor: reviewer, event: 'search', outcome: 'success' });
    expect(a.checkpoint).toBeNull();
    const failed = f.log.append({ actor: { user: 'mallory', role: 'anonymous' }, event: 'unlock', outcome: 'failure' });
    expect(failed.checkpoint?.reason).toBe('security-event');
    for (let i = 0; i < 3; i++) expect(f.log.append({ actor: reviewer, event: 'search', outcome: 'success' }).checkpoint).toBeNull();
    const fourth = f.log.append({ actor: reviewer, event: 'search', outcome: 'success' });
    expect(fourth.checkpoint).toMatchObject({ size: 6, reason: 'leaf-count' });
    const origin = logOrigin(f.workstationId);
    const { checkpoint } = openCheckpoint(fourth.checkpoint!.note, [ed25519NoteVerifier(origin, f.devicePublicKey)], { origin });
    expect(checkpoint.size).toBe(6);
    expect(bytesEqual(checkpoint.rootHash, f.log.rootAt(6))).toBe(true);
  });

  it('records a clock.jump leaf when the wall clock goes backwards, and verification accepts the explained decrease', () => {
    f = openAuditFixture();
    f.log.append({ actor: reviewer, event: 'search', outcome: 'success' });
    f.clock.wall -= 60 * 60 * 1000;
    const r = f.log.append({ actor: reviewer, event: 'search', outcome: 'success' });
    expect(r.seq).toBe(2);
    const jump = parseLeaf(leafBytes(1));
    expect(jump.ok && jump.leaf.event).toBe('clock.jump');
    expect(jump.ok && jump.leaf.detail['driftMs']).toBe(-3_600_000);
    expect(verifyAccessLog(f.db).ok).toBe(true);
  });

  it('refuses a leaf that is not well formed before writing anything', () => {
    f = openAuditFixture();
    expect(() => f.log.append({ actor: reviewer, event: '', outcome: 'success' })).toThrow(/leaf/);
    expect(() => f.log.append({ actor: reviewer, event: 'x', outcome: 'success', detail: { n: 1.5 } })).toThrow(/leaf/);
    expect(f.log.size()).toBe(0);
  });

  describe('append-only triggers', () => {
    const statements = [
      ['UPDATE a leaf', "UPDATE log_leaves SET event = 'x' WHERE seq = 0"],
      ['DELETE a leaf', 'DELETE FROM log_leaves WHERE seq = 0'],
      ['UPDATE a node', 'UPDATE log_nodes SET hash = zeroblob(32)'],
      ['DELETE a node', 'DELETE FROM log_nodes'],
      ['UPDATE a checkpoint', "UPDATE log_checkpoints SET note = 'x'"],
      ['DELETE a checkpoint', 'DELETE FROM log_checkpoints'],
    ] as const;
    it.each(statements)('refuses to %s', (_name, sql) => {
      f = openAuditFixture();
      for (let i = 0; i < 4; i++) f.log.append({ actor: reviewer, event: 'search', outcome: 'success' });
      f.log.checkpoint('test');
      expect(() => f.db.exec(sql)).toThrow(/append-only/);
      expect(verifyAccessLog(f.db).ok).toBe(true);
    });
  });

  it('verifies a clean log, reporting its size and checkpoints', () => {
    f = openAuditFixture({ everyLeaves: 10, everyMs: Number.MAX_SAFE_INTEGER });
    for (let i = 0; i < 25; i++) {
      f.log.append({ actor: reviewer, event: 'artifact.view', object: { kind: 'artifact', id: 'a' }, outcome: 'success', detail: { page: i, dwellMs: 10 } });
      tick(f, 5);
    }
    const report = verifyAccessLog(f.db);
    expect(report).toMatchObject({ ok: true, size: 25, verifiedSize: 25, checkpoints: 2, problems: [] });
  });
});
