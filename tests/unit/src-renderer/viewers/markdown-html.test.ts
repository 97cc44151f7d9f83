import { describe, expect, test } from 'vitest';
import { isSubmissionRelative, markdownToHtml, resolveSubmissionPath } from '../../../../src-renderer/viewers/markdown-html';

describe('markdownToHtml', () => {
  test('renders raw HTML as text, never as markup', () => {
    const html = markdownToHtml('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img src');
    expect(html).toContain('&lt;script&gt;');
  });

  test.each([
    ['[docs](https://evil.example/x)', 'https://evil.example/x'],
    ['<https://auto.example/>', 'https://auto.example/'],
    ['[local](other.md)', 'other.md'],
  ])('renders the link %s inert, with its URL shown as text', (source, url) => {
    const html = markdownToHtml(source);
    expect(html).not.toContain('<a ');
    expect(html).not.toContain('href=');
    expect(html).toContain('class="md-link"');
    expect(html).toContain(`(${url})`);
  });

  test.each(['[run](javascript:alert(1))', '[f](file:///etc/passwd)', '[v](vbscript:msgbox)'])(
    'leaves the dangerous link %s as plain text (markdown-it refuses the scheme)',
    (source) => {
      const html = markdownToHtml(source);
      expect(html).not.toContain('<a ');
      expect(html).not.toContain('href=');
      expect(html).not.toContain('md-link');
      expect(html).toContain(source.slice(0, 5));
    },
  );

  test('turns an image into a placeholder without a source', () => {
    const html = markdownToHtml('![the chart](eval/chart.png)');
    expect(html).toContain('<img data-rw-src="eval/chart.png" alt="the chart">');
    expect(html).not.toMatch(/\ssrc=/);
  });

  test.each(['https://tracker.example/p.png', '//cdn.example/p.png', '/etc/passwd', 'data:image/png;base64,AAAA', 'p.png?x=1'])(
    'does not load the image %s and says so',
    (src) => {
      const html = markdownToHtml(`![pixel](${src})`);
      expect(html).not.toContain('<img');
      expect(html).toContain('image outside this submission');
    },
  );

  test('leaves an image with a refused scheme (file:) as plain text', () => {
    const html = markdownToHtml('![pixel](file:///x.png)');
    expect(html).not.toContain('<img');
    expect(html).toContain('![pixel](file:///x.png)');
  });

  test('moves table alignment from a style attribute (blocked by the CSP) to a class', () => {
    const html = markdownToHtml('| a | b |\n|:-|-:|\n| 1 | 2 |\n');
    expect(html).not.toContain('style=');
    expect(html).toContain('class="md-align-right"');
    expect(html).toContain('class="md-align-left"');
  });
});

describe('resolveSubmissionPath', () => {
  test.each([
    ['model-card.md', 'eval/chart.png', 'eval/chart.png'],
    ['docs/card.md', '../eval/chart.png', 'eval/chart.png'],
    ['docs/card.md', './img/a%20b.png', 'docs/img/a b.png'],
  ])('resolves %s + %s to %s', (md, src, expected) => {
    expect(resolveSubmissionPath(md, src)).toBe(expected);
  });

  test.each([
    ['card.md', '../outside.png'],
    ['docs/card.md', '../../outside.png'],
    ['card.md', 'a\\b.png'],
    ['card.md', '%zz.png'],
    ['card.md', 'https://x.example/a.png'],
    ['card.md', '/abs.png'],
  ])('refuses %s + %s', (md, src) => {
    expect(resolveSubmissionPath(md, src)).toBeNull();
  });

  test('isSubmissionRelative refuses schemes, hosts, absolute paths, queries and fragments', () => {
    for (const src of ['a:b', '//h/x', '/x', '\\x', 'x?y', 'x#y', '']) expect(isSubmissionRelative(src)).toBe(false);
    expect(isSubmissionRelative('eval/chart.png')).toBe(true);
  });
});
