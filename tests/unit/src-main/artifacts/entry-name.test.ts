import { describe, expect, it } from 'vitest';
import { checkEntryName, decodeEntryName, NameRegistry } from '../../../../src-main/artifacts/entry-name';
import { isPackageRefusal, type RefusalReason } from '../../../../src-main/artifacts/package-refusal';

describe('checkEntryName', () => {
  it.each(['a.txt', 'docs/model-card.md', 'eval/results/run 1.jsonl', 'données/été.csv', '.hidden', 'a'.repeat(255)])('accepts %j', (name) => {
    expect(() => checkEntryName(name)).not.toThrow();
  });

  const refused: [string, RefusalReason][] = [
    ['', 'empty-name'],
    ['a//b', 'empty-name'],
    ['a/', 'empty-name'],
    ['/abs', 'absolute-path'],
    ['c:/x', 'absolute-path'],
    ['..', 'traversal'],
    ['../x', 'traversal'],
    ['a/../../x', 'traversal'],
    ['./x', 'traversal'],
    ['a\\b', 'backslash'],
    ['..\\x', 'backslash'],
    ['a\u0000b', 'control-character'],
    ['a\nb', 'control-character'],
    ['a\u007fb', 'control-character'],
    ['a\u0085b', 'control-character'],
    ['a\u2028b', 'control-character'],
    ['x\u202egpj.exe', 'control-character'],
    ['a'.repeat(256), 'component-too-long'],
    [`${'é'.repeat(128)}`, 'component-too-long'],
    [Array.from({ length: 5 }, () => 'b'.repeat(250)).join('/'), 'path-too-long'],
  ];
  it.each(refused)('refuses %j as %s', (name, reason) => {
    expect(() => checkEntryName(name)).toThrow(expect.objectContaining({ detail: { entry: name, reason } }));
  });
});

describe('decodeEntryName', () => {
  it('decodes strict UTF-8', () => {
    expect(decodeEntryName(new Uint8Array([0xc3, 0xa9]))).toBe('é');
  });
  it.each([[[0xff]], [[0xc3]], [[0xed, 0xa0, 0x80]]])('refuses invalid UTF-8 %j', (bytes) => {
    expect(() => decodeEntryName(new Uint8Array(bytes))).toThrow(expect.objectContaining({ detail: expect.objectContaining({ reason: 'name-encoding' }) }));
  });
});

describe('NameRegistry', () => {
  const collisions: [string, string, RefusalReason][] = [
    ['a.txt', 'a.txt', 'duplicate'],
    ['README.md', 'readme.md', 'case-collision'],
    ['STRASSE', 'straße', 'case-collision'],
    ['\u212Aelvin', 'Kelvin', 'unicode-collision'],
    ['\u212Aelvin', 'kelvin', 'case-collision'],
    ['é', 'e\u0301', 'unicode-collision'],
    ['ﬁ', 'fi', 'unicode-collision'],
    ['x', 'x/y', 'file-directory-conflict'],
    ['X/y', 'x', 'file-directory-conflict'],
  ];
  it.each(collisions)('refuses %j after %j as %s', (first, second, reason) => {
    const registry = new NameRegistry();
    registry.add(first, 'file');
    let error: unknown = null;
    try {
      registry.add(second, 'file');
    } catch (e) {
      error = e;
    }
    expect(isPackageRefusal(error, reason)).toBe(true);
  });

  it('accepts distinct names and repeated folder entries', () => {
    const registry = new NameRegistry();
    registry.add('docs', 'directory');
    registry.add('docs', 'directory');
    registry.add('docs/a.md', 'file');
    registry.add('docs/b.md', 'file');
    registry.add('docs2/a.md', 'file');
    expect(() => registry.add('docs', 'file')).toThrow();
  });
});
