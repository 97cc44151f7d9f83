/**
 * The identifier scanner against the rule it implements, written as the one global regex it replaced
 * (maximal runs of letters, digits, _ and . : / # @ - without joiners at the ends, judged by
 * isIdentifier): same identifiers, same order, on edge cases and on generated text.
 */
import { describe, expect, it } from 'vitest';
import { identifiersIn, isIdentifier, MAX_IDENTIFIER } from '../../../../src-shared/search/identifiers';

const CANDIDATE = /[\p{L}\p{N}_](?:[\p{L}\p{N}_.:/#@-]*[\p{L}\p{N}_])?/gu;
function byRegex(text: string): string {
  const seen = new Set<string>();
  for (const [token] of text.matchAll(CANDIDATE)) if (isIdentifier(token)) seen.add(token.slice(0, MAX_IDENTIFIER));
  return [...seen].join(' ');
}

const PIECES = ['quokka', 'résumé', 'cyber_ctf', 'v7.0.2', 'sha256:9f2c4e', 'run-42', '2026-11-01', 'end.', '-x-', 'a.b', 'foo..bar', '7.1', '__', '_a_', '..', 'é1', '𝒳𝒴1', '𝒳.𝒴', 'a/b/c', '@user', '#12', 'x--y', 'ok,', '(paren)', 'step=42', 'a1', 'abc1', '\ud800x1', 'x\udc00_1', '½ab', 'ab²', `a${'b1'.repeat(100)}`, '٣٤a', 'ａｂ１', ''];
const JOINS = ['', ' ', '.', '-', '_', '\n', ', '];

describe('identifiersIn', () => {
  it.each([
    ['run cyber_ctf_v2 and hash 9f2c4e7a1b3d at v7.0.2', 'cyber_ctf_v2 9f2c4e7a1b3d v7.0.2'],
    ['plain words only, and a date 2026-11-01 or 7.1', ''],
    ['--run-42-- run-42 end.', 'run-42'],
    // Joiners must sit between two letters or digits; two in a row do not join.
    ['foo..bar a.b', 'a.b'],
    // Lengths count UTF-16 units (isIdentifier's rule): é1 is too short, 𝒳𝒴1 (five units) is not.
    ['𝒳𝒴1 and é1', '𝒳𝒴1'],
  ])('%j → %j', (text, expected) => {
    expect(identifiersIn(text)).toBe(expected);
    expect(byRegex(text)).toBe(expected);
  });

  it('finds what the regex rule finds on generated text', () => {
    let seed = 7;
    const rand = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 2 ** 32;
    };
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
    for (let k = 0; k < 5000; k++) {
      const text = Array.from({ length: 1 + Math.floor(rand() * 8) }, () => pick(PIECES).slice(Math.floor(rand() * 3))).join(pick(JOINS));
      expect(identifiersIn(text), JSON.stringify(text)).toBe(byRegex(text));
    }
  });
});
