import { describe, expect, test } from 'vitest';
import type { Anchor } from '../../../../src-shared/ipc/channels-workspace';
import { anchorSchema } from '../../../../src-shared/ipc/channels-workspace';
import {
  EMPTY_DRAFT,
  EXCERPT_MAX,
  anchorFromDraft,
  anchorInWords,
  anchorKindFor,
  draftFromAnchor,
  excerptValue,
  type AnchorDraft,
} from '../../../../src-renderer/workspace/note-anchor';

describe('anchorInWords', () => {
  test.each<[Anchor, string]>([
    [{ kind: 'page', page: 4 }, 'Page 4'],
    [{ kind: 'line', line: 10, endLine: 12 }, 'Lines 10–12'],
    [{ kind: 'line', line: 10 }, 'Line 10'],
    [{ kind: 'line', line: 10, endLine: 10 }, 'Line 10'],
    [{ kind: 'row', row: 7, sheet: 'Results' }, 'Row 7 of sheet Results'],
    [{ kind: 'row', row: 7 }, 'Row 7'],
    [{ kind: 'heading', heading: 'Evaluation results' }, 'Section: Evaluation results'],
  ])('%j reads "%s"', (anchor, words) => {
    expect(anchorInWords(anchor)).toBe(words);
  });
});

describe('anchorKindFor', () => {
  test('each viewer points at its own kind of place; images and binaries at none', () => {
    expect(anchorKindFor('pdf')).toBe('page');
    expect(anchorKindFor('text')).toBe('line');
    expect(anchorKindFor('json')).toBe('line');
    expect(anchorKindFor('csv')).toBe('row');
    expect(anchorKindFor('jsonl')).toBe('row');
    expect(anchorKindFor('markdown')).toBe('heading');
    expect(anchorKindFor('image')).toBeNull();
    expect(anchorKindFor('none')).toBeNull();
  });
});

describe('anchorFromDraft', () => {
  const draft = (fields: Partial<AnchorDraft>): AnchorDraft => ({ ...EMPTY_DRAFT, ...fields });

  test('round-trips every kind of anchor through the form fields, and each result passes the IPC schema', () => {
    const anchors: Anchor[] = [
      { kind: 'page', page: 3 },
      { kind: 'line', line: 10, endLine: 12 },
      { kind: 'line', line: 5 },
      { kind: 'row', row: 7, sheet: 'Results' },
      { kind: 'row', row: 1 },
      { kind: 'heading', heading: 'Evaluation results' },
    ];
    for (const anchor of anchors) {
      const result = anchorFromDraft(draftFromAnchor(anchor));
      expect(result).toEqual({ ok: true, anchor });
      expect(anchorSchema.safeParse(anchor).success).toBe(true);
    }
  });

  test('"No anchor" and a null anchor give no anchor', () => {
    expect(anchorFromDraft(draftFromAnchor(null))).toEqual({ ok: true, anchor: null });
    expect(anchorFromDraft(draft({ kind: 'none', page: 'junk' }))).toEqual({ ok: true, anchor: null });
  });

  test('trims the typed text and drops an end line equal to the first', () => {
    expect(anchorFromDraft(draft({ kind: 'page', page: ' 4 ' }))).toEqual({ ok: true, anchor: { kind: 'page', page: 4 } });
    expect(anchorFromDraft(draft({ kind: 'line', line: '8', endLine: '8' }))).toEqual({ ok: true, anchor: { kind: 'line', line: 8 } });
    expect(anchorFromDraft(draft({ kind: 'heading', heading: '  Results  ' }))).toEqual({ ok: true, anchor: { kind: 'heading', heading: 'Results' } });
  });

  test.each<[string, Partial<AnchorDraft>, string]>([
    ['an empty page', { kind: 'page', page: '' }, 'The page must be a whole number from 1.'],
    ['page zero', { kind: 'page', page: '0' }, 'The page must be a whole number from 1.'],
    ['a negative page', { kind: 'page', page: '-2' }, 'The page must be a whole number from 1.'],
    ['a fractional page', { kind: 'page', page: '2.5' }, 'The page must be a whole number from 1.'],
    ['a page past the schema limit', { kind: 'page', page: '100000001' }, 'The page must be a whole number from 1.'],
    ['a line that is not a number', { kind: 'line', line: 'ten' }, 'The first line must be a whole number from 1.'],
    ['a bad last line', { kind: 'line', line: '3', endLine: 'x' }, 'The last line must be a whole number from 1.'],
    ['a range that runs backwards', { kind: 'line', line: '12', endLine: '10' }, 'The last line is before the first line.'],
    ['an empty row', { kind: 'row', row: '' }, 'The row must be a whole number from 1.'],
    ['a sheet name too long', { kind: 'row', row: '1', sheet: 's'.repeat(201) }, 'The sheet name is longer than 200 characters.'],
    ['a blank heading', { kind: 'heading', heading: '   ' }, 'Name the section heading.'],
    ['a heading too long', { kind: 'heading', heading: 'h'.repeat(501) }, 'The heading is longer than 500 characters.'],
  ])('refuses %s', (_name, fields, message) => {
    expect(anchorFromDraft(draft(fields))).toEqual({ ok: false, message });
  });
});

describe('excerptValue', () => {
  test('blank is no excerpt; text is kept as typed; longer than the schema allows is cut to 4000', () => {
    expect(excerptValue('')).toBeNull();
    expect(excerptValue(' \n ')).toBeNull();
    expect(excerptValue(' quoted\ntext ')).toBe(' quoted\ntext ');
    expect(excerptValue('x'.repeat(EXCERPT_MAX + 10))).toHaveLength(EXCERPT_MAX);
  });
});
