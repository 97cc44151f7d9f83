import { describe, expect, it } from 'vitest';
import { findFastPaging, isOffHours, type PageView } from '../../../../src-main/audit/audit-query';

function views(times: number[], pages?: number[], session = 's1'): PageView[] {
  return times.map((ts, i) => ({ seq: i, ts, user: 'alice', session, artifactId: 'art', page: pages?.[i] ?? i + 1 }));
}

describe('fast paging (pages turned faster than a person reads)', () => {
  it('flags five pages each under two seconds apart', () => {
    expect(findFastPaging(views([0, 500, 1000, 1500, 2000]))).toEqual([
      { user: 'alice', session: 's1', artifactId: 'art', fromSeq: 0, toSeq: 4, pages: 5, startTs: 0, endTs: 2000, msPerPage: 500 },
    ]);
  });
  it.each([
    ['four fast pages', views([0, 500, 1000, 1500])],
    ['pages two seconds apart', views([0, 2000, 4000, 6000, 8000, 10_000])],
    ['one page reported again and again', views([0, 100, 200, 300, 400, 500], [1, 1, 1, 1, 1, 1])],
    ['a slow page in the middle', views([0, 500, 1000, 5000, 5500, 6000])],
  ])('does not flag %s', (_name, input) => {
    expect(findFastPaging(input)).toEqual([]);
  });
  it('keeps sessions apart', () => {
    const a = views([0, 500, 1000], undefined, 'a');
    const b = views([250, 750, 1250], undefined, 'b');
    expect(findFastPaging([...a, ...b].sort((x, y) => x.ts - y.ts))).toEqual([]);
  });
});

describe('off-hours', () => {
  const tuesday = (h: number) => Date.UTC(2026, 10, 24, h, 30);
  it.each([
    ['Tuesday 10:30 UTC', tuesday(10), {}, false],
    ['Tuesday 22:30 UTC', tuesday(22), {}, true],
    ['Tuesday 06:30 UTC', tuesday(6), {}, true],
    ['Saturday noon', Date.UTC(2026, 10, 28, 12), {}, true],
    ['Saturday noon with weekends allowed', Date.UTC(2026, 10, 28, 12), { weekendsOff: false }, false],
    ['Tuesday 22:30 UTC seen from UTC-5 (17:30)', tuesday(22), { utcOffsetMinutes: -300 }, false],
  ] as const)('%s', (_name, ts, override, expected) => {
    expect(isOffHours(ts, { startHour: 7, endHour: 19, utcOffsetMinutes: 0, weekendsOff: true, ...override })).toBe(expected);
  });
});
