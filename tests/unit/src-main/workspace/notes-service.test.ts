import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noteCreateSchema } from '../../../../src-shared/ipc/channels-workspace';
import { createNote, deleteNote, editNote, listNotes, noteHistory } from '../../../../src-main/workspace/notes-service';
import { openContentFixture, testActor, type ContentFixture } from './content-fixture';

let fx: ContentFixture;
beforeEach(() => {
  fx = openContentFixture();
});
afterEach(() => fx.close());

describe('notes', () => {
  it('creates a note anchored to an artifact page with its excerpt', () => {
    const alice = testActor('alice');
    const note = createNote(fx.db, alice, { caseId: 'case-a', artifactId: 'art-a2', anchor: { kind: 'page', page: 12 }, excerpt: 'quoted text', body: 'Check this table.' });
    expect(note).toMatchObject({ caseId: 'case-a', artifactId: 'art-a2', anchor: { kind: 'page', page: 12 }, excerpt: 'quoted text', author: 'alice', revision: 1, deletedAt: null });
    expect(listNotes(fx.db, { caseId: 'case-a' })).toEqual([note]);
    expect(listNotes(fx.db, { caseId: 'case-a', artifactId: 'art-a1' })).toEqual([]);
    expect(listNotes(fx.db, { caseId: 'case-b' })).toEqual([]);
  });

  it('keeps every anchor kind through a round trip', () => {
    const alice = testActor('alice');
    const anchors = [
      { kind: 'page', page: 1 },
      { kind: 'line', line: 10, endLine: 14 },
      { kind: 'row', row: 3, sheet: 'results' },
      { kind: 'heading', heading: '4.2 Cyber evaluations' },
    ] as const;
    for (const anchor of anchors) createNote(fx.db, alice, { caseId: 'case-a', artifactId: 'art-a1', anchor, body: 'x' });
    expect(listNotes(fx.db, { caseId: 'case-a' }).map((n) => n.anchor)).toEqual(anchors);
  });

  it('records each edit and the soft delete in history, newest state in the note', () => {
    const alice = testActor('alice');
    const note = createNote(fx.db, alice, { caseId: 'case-a', body: 'first' });
    const edited = editNote(fx.db, alice, { id: note.id, revision: 1, body: 'second' });
    expect(edited).toMatchObject({ body: 'second', revision: 2 });
    const deleted = deleteNote(fx.db, alice, { id: note.id, revision: 2 });
    expect(deleted.deletedAt).not.toBeNull();
    expect(listNotes(fx.db, { caseId: 'case-a' })).toEqual([]);
    expect(listNotes(fx.db, { caseId: 'case-a', includeDeleted: true })).toEqual([deleted]);
    const history = noteHistory(fx.db, note.id);
    expect(history.map((h) => [h.revision, h.action, h.body])).toEqual([
      [1, 'create', 'first'],
      [2, 'edit', 'second'],
      [3, 'delete', 'second'],
    ]);
  });

  it('refuses a stale edit (CONFLICT) and keeps the newer text', () => {
    const alice = testActor('alice');
    const note = createNote(fx.db, alice, { caseId: 'case-a', body: 'first' });
    editNote(fx.db, alice, { id: note.id, revision: 1, body: 'second' });
    expect(() => editNote(fx.db, alice, { id: note.id, revision: 1, body: 'stale' })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(listNotes(fx.db, { caseId: 'case-a' })[0]?.body).toBe('second');
  });

  it.each([
    ['another reviewer edits', 'DENIED', (id: string) => editNote(fx.db, testActor('bob'), { id, body: 'mine now' })],
    ['another reviewer deletes', 'DENIED', (id: string) => deleteNote(fx.db, testActor('bob'), { id })],
    ['an unknown note', 'NOT_FOUND', () => editNote(fx.db, testActor('alice'), { id: 'f'.repeat(32), body: 'x' })],
    ['an edit after delete', 'NOT_FOUND', (id: string) => (deleteNote(fx.db, testActor('alice'), { id }), editNote(fx.db, testActor('alice'), { id, body: 'x' }))],
  ])('refuses %s', (_name, code, act) => {
    const note = createNote(fx.db, testActor('alice'), { caseId: 'case-a', body: 'original' });
    expect(() => act(note.id)).toThrow(expect.objectContaining({ code }));
  });

  it.each([
    ['an unknown case', { caseId: 'case-z', body: 'x' }, 'NOT_FOUND'],
    ['an artifact of another case', { caseId: 'case-a', artifactId: 'art-b1', body: 'x' }, 'NOT_FOUND'],
    ['an anchor without an artifact', { caseId: 'case-a', anchor: { kind: 'page' as const, page: 1 }, body: 'x' }, 'INVALID_INPUT'],
    ['a lone surrogate', { caseId: 'case-a', body: 'bad \ud800 text' }, 'INVALID_INPUT'],
    ['a NUL character', { caseId: 'case-a', body: 'bad \u0000 text' }, 'INVALID_INPUT'],
  ])('refuses a note on %s', (_name, input, code) => {
    expect(() => createNote(fx.db, testActor('alice'), input)).toThrow(expect.objectContaining({ code }));
    expect(fx.db.prepare('SELECT count(*) AS n FROM notes').get()?.n).toBe(0);
  });

  it.each([
    ['page 0', { kind: 'page', page: 0 }],
    ['a line range that ends before it starts', { kind: 'line', line: 10, endLine: 2 }],
    ['an unknown anchor kind', { kind: 'pixel', x: 1 }],
    ['an extra anchor field', { kind: 'page', page: 1, script: 'x' }],
    ['an empty heading', { kind: 'heading', heading: '' }],
  ])('the channel schema refuses %s', (_name, anchor) => {
    expect(noteCreateSchema.safeParse({ caseId: 'case-a', artifactId: 'art-a1', anchor, body: 'x' }).success).toBe(false);
  });
});
