import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { PerUserTable } from '../../../../src-renderer/auditor/summary-tables';

const row = (user: string | null, role: string) => ({ user, role, events: 3, denied: 0, first: 0, last: 1 });

describe('per-user table', () => {
  test('rows without a user get a name each by role, so an auditor can tell sign-in attempts from the workstation', () => {
    const html = renderToStaticMarkup(<PerUserTable rows={[row(null, 'anonymous'), row(null, 'system'), row('alice', 'reviewer')]} onFilter={() => undefined} />);
    const names = [...html.matchAll(/<button[^>]*>([^<]*)<\/button>/g)].map((m) => m[1]);
    expect(names).toEqual(['(before sign-in)', '(workstation)', 'alice']);
  });
});
