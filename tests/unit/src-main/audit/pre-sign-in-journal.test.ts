import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drainJournal, openJournal, appendJournal, resetJournal, type JournalEntry, type JournalMeta } from '../../../../src-main/audit/pre-sign-in-journal';
import type { AccessLogEntry } from '../../../../src-main/audit/access-log';
import { randomBytes } from '../../../../src-shared/node/crypto';
import { generateX25519 } from '../../../../src-shared/node/sealed-box';

let dir: string;
let file: string;
const keys = generateX25519();
const ID = 'a'.repeat(32);

function failedUnlock(ts: number, user = 'alice'): JournalEntry {
  return { ts, mono: ts - 1000, actor: { user, role: 'anonymous' }, session: null, event: 'session.unlock', object: null, outcome: 'failure', detail: { error: 'AUTH_FAILED' } };
}

function lines(): string[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

function writeLines(all: string[]): void {
  fs.writeFileSync(file, all.map((l) => l + '\n').join(''));
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-journal-'));
  file = path.join(dir, 'journal.jsonl');
  resetJournal(file, ID);
  for (let i = 0; i < 3; i++) appendJournal(file, keys.publicKey, failedUnlock(1_000_000 + i), randomBytes);
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('pre-sign-in journal', () => {
  it('holds nothing readable without the private key: user names typed at the lock screen are not in the file', () => {
    expect(fs.readFileSync(file, 'utf8')).not.toContain('alice');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(openJournal(file, generateX25519().privateKey, { id: ID, previousId: null }).records).toEqual([]);
  });

  it('opens every record in order with its original time', () => {
    const opened = openJournal(file, keys.privateKey, { id: ID, previousId: null });
    expect(opened.problems).toEqual([]);
    expect(opened.records.map((r) => [r.seq, r.entry.ts, r.entry.actor.user])).toEqual([
      [0, 1_000_000, 'alice'],
      [1, 1_000_001, 'alice'],
      [2, 1_000_002, 'alice'],
    ]);
  });

  it.each([
    ['deleted', () => fs.unlinkSync(file), ['missing']],
    ['replaced by a fresh one', () => resetJournal(file, 'b'.repeat(32)), ['replaced']],
    ['a record removed from the middle', () => writeLines(lines().filter((_, i) => i !== 2)), ['gap']],
    ['two records swapped', () => { const l = lines(); writeLines([l[0]!, l[2]!, l[1]!, l[3]!]); }, ['gap', 'gap', 'gap']],
    ['a record edited', () => { const l = lines(); const rec = JSON.parse(l[1]!); rec.ct = Buffer.from('x'.repeat(40)).toString('base64'); l[1] = JSON.stringify(rec); writeLines(l); }, ['unreadable']],
    ['a line that is not a record', () => writeLines([...lines(), '{"seq":3}']), ['damaged']],
    ['a damaged header', () => writeLines(['{"v":1}', ...lines().slice(1)]), ['damaged']],
  ])('reports a journal %s', (_name, tamper, kinds) => {
    tamper();
    const opened = openJournal(file, keys.privateKey, { id: ID, previousId: null });
    expect(opened.problems.map((p) => p.kind)).toEqual(kinds);
  });

  it('refuses a record forged with the public key that claims a signed-in user', () => {
    appendJournal(file, keys.publicKey, { ...failedUnlock(2_000_000, 'bob'), actor: { user: 'bob', role: 'reviewer' }, event: 'artifact.view' }, randomBytes);
    const opened = openJournal(file, keys.privateKey, { id: ID, previousId: null });
    expect(opened.records).toHaveLength(3);
    expect(opened.problems).toEqual([{ kind: 'forged', seq: 3 }]);
  });

  it('ignores a last line cut mid-write', () => {
    fs.appendFileSync(file, '{"seq":3,"epk":"');
    expect(openJournal(file, keys.privateKey, { id: ID, previousId: null }).problems).toEqual([]);
  });

  it('starts afresh (under a new id) when the journal was deleted, so the next sign-in sees the replacement', () => {
    fs.unlinkSync(file);
    appendJournal(file, keys.publicKey, failedUnlock(3_000_000), randomBytes);
    const opened = openJournal(file, keys.privateKey, { id: ID, previousId: null });
    expect(opened.problems.map((p) => p.kind)).toEqual(['replaced']);
    expect(opened.records).toHaveLength(1);
  });

  describe('drain at sign-in', () => {
    function memoryMeta(initial: Record<string, string>): JournalMeta & { values: Record<string, string> } {
      const values = { ...initial };
      return { values, read: (k) => values[k] ?? null, write: (k, v) => void (values[k] = v) };
    }

    it('appends the records as marked leaves with their times, then empties the journal under a new id', () => {
      const meta = memoryMeta({ journal_id: ID });
      const appended: AccessLogEntry[] = [];
      const result = drainJournal(file, keys.privateKey, meta, (entries, inTx) => { appended.push(...entries); inTx(); }, randomBytes);
      expect(result.records).toBe(3);
      expect(appended.map((e) => [e.event, e.at?.ts, e.detail?.['journal']])).toEqual([
        ['session.unlock', 1_000_000, true],
        ['session.unlock', 1_000_001, true],
        ['session.unlock', 1_000_002, true],
      ]);
      expect(meta.values['journal_previous_id']).toBe(ID);
      expect(meta.values['journal_id']).not.toBe(ID);
      expect(lines()).toEqual([JSON.stringify({ v: 1, id: meta.values['journal_id'] })]);
    });

    it('logs a tampered journal as a leaf of its own', () => {
      writeLines(lines().filter((_, i) => i !== 1));
      const appended: AccessLogEntry[] = [];
      drainJournal(file, keys.privateKey, memoryMeta({ journal_id: ID }), (entries, inTx) => { appended.push(...entries); inTx(); }, randomBytes);
      expect(appended.map((e) => e.event)).toEqual(['session.unlock', 'session.unlock', 'journal.gap']);
      expect(appended[2]).toMatchObject({ actor: { role: 'system' }, outcome: 'failure' });
    });

    it('does not append twice after a crash between the commit and the emptying', () => {
      const meta = memoryMeta({ journal_id: 'c'.repeat(32), journal_previous_id: ID });
      const appended: AccessLogEntry[] = [];
      drainJournal(file, keys.privateKey, meta, (entries, inTx) => { appended.push(...entries); inTx(); }, randomBytes);
      expect(appended).toEqual([]);
      expect(lines()).toEqual([JSON.stringify({ v: 1, id: 'c'.repeat(32) })]);
    });

    it('leaves the journal as it was when the append fails', () => {
      const before = fs.readFileSync(file, 'utf8');
      const meta = memoryMeta({ journal_id: ID });
      expect(() => drainJournal(file, keys.privateKey, meta, () => { throw new Error('disk full'); }, randomBytes)).toThrow('disk full');
      expect(fs.readFileSync(file, 'utf8')).toBe(before);
      expect(meta.values).toEqual({ journal_id: ID });
    });
  });
});
