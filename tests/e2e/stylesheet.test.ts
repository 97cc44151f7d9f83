/**
 * The stylesheet as Chromium parses it. Every rule stands at the top level (or in an at-rule): the app
 * writes no nested CSS, so a nested rule means an unclosed brace that swallowed every rule after it (it
 * once hid the table viewer's, the import's and the whole admin stylesheet's rules). And the palette:
 * "Follow system" takes the system's scheme for every colour, the ones set per component (claim
 * statuses, the version diff) included, and a theme picked in the menu wins over the system either way.
 * Computed colours are read from elements carrying the app's own classes, so a colour left with one
 * theme's value shows here.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from './harness';

const LIGHT = { page: 'rgb(246, 247, 249)', text: 'rgb(27, 31, 36)', claim: 'rgb(23, 92, 43)', claimBg: 'rgb(227, 244, 232)', diffBg: 'rgb(227, 244, 230)' };
const DARK = { page: 'rgb(21, 24, 29)', text: 'rgb(232, 235, 239)', claim: 'rgb(155, 227, 176)', claimBg: 'rgb(39, 45, 54)', diffBg: 'rgb(23, 53, 34)' };

describe('stylesheet', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ colorScheme: 'dark' });
    // Elements with the component classes whose colours are set per theme (no inline styles: the CSP forbids them).
    await h.page.evaluate(() => {
      const claim = document.createElement('span');
      claim.className = 'claim-status claim-supported';
      claim.id = 'probe-claim';
      claim.textContent = 'supported';
      const diff = document.createElement('div');
      diff.className = 'diff-added';
      const right = document.createElement('span');
      right.className = 'diff-right';
      right.id = 'probe-diff';
      right.textContent = 'added';
      diff.append(right);
      document.body.append(claim, diff);
    });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  const colours = () =>
    h.page.evaluate(() => {
      const style = (id: string) => getComputedStyle(document.getElementById(id)!);
      return {
        page: getComputedStyle(document.body).backgroundColor,
        text: getComputedStyle(document.body).color,
        claim: style('probe-claim').color,
        claimBg: style('probe-claim').backgroundColor,
        diffBg: style('probe-diff').backgroundColor,
      };
    });
  const pick = (theme: 'light' | 'dark' | null) =>
    h.page.evaluate((t) => (t === null ? document.documentElement.removeAttribute('data-theme') : document.documentElement.setAttribute('data-theme', t)), theme);

  test('no style rule is nested in another', async () => {
    const found = await h.page.evaluate(() => {
      const nested: string[] = [];
      let rules = 0;
      const walk = (list: CSSRuleList, inStyleRule: boolean) => {
        for (const rule of list) {
          if (rule instanceof CSSStyleRule) {
            rules++;
            if (inStyleRule) nested.push(rule.selectorText);
            walk(rule.cssRules, true);
          } else if (rule instanceof CSSGroupingRule) walk(rule.cssRules, inStyleRule);
        }
      };
      for (const sheet of document.styleSheets) walk(sheet.cssRules, false);
      return { rules, nested };
    });
    expect(found.nested).toEqual([]);
    // The app's own sheets were read (not an empty page): the bundle has hundreds of rules.
    expect(found.rules).toBeGreaterThan(300);
  });

  test('following a dark system, every colour is the dark one', async () => {
    await h.page.emulateMedia({ colorScheme: 'dark' });
    await pick(null);
    expect(await colours()).toEqual(DARK);
  });

  test('following a light system, every colour is the light one', async () => {
    await h.page.emulateMedia({ colorScheme: 'light' });
    await pick(null);
    expect(await colours()).toEqual(LIGHT);
  });

  test('a theme picked in the menu wins over the system either way', async () => {
    await h.page.emulateMedia({ colorScheme: 'light' });
    await pick('dark');
    expect(await colours()).toEqual(DARK);
    await h.page.emulateMedia({ colorScheme: 'dark' });
    await pick('light');
    expect(await colours()).toEqual(LIGHT);
  });
});
