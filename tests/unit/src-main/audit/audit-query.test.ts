import { afterEach, describe, expect, it } from 'vitest';
import { fromUtf8 } from '../../../../src-shared/encoding';
import { AuditQuery, findFastPaging, isOffHours, type PageView } from '../../../../src-main/audit/audit-query';
import { DWELL_BUCKETS } from '../../../../src-main/vault/audit-aggregates';
import { openAuditFixture, tick, type AuditFixture } from '../../../helpers/audit-fixture';

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
    // The policy's IANA zone follows daylight saving: 11:30 UTC is 07:30 in New York in July, 06:30 in January.
    ['July 11:30 UTC in America/New_York (07:30 EDT)', Date.UTC(2026, 6, 14, 11, 30), { timeZone: 'America/New_York' }, false],
    ['January 11:30 UTC in America/New_York (06:30 EST)', Date.UTC(2026, 0, 13, 11, 30), { timeZone: 'America/New_York' }, true],
    ['Friday 23:30 UTC in Asia/Tokyo is Saturday 08:30', Date.UTC(2026, 10, 27, 23, 30), { timeZone: 'Asia/Tokyo' }, true],
  ] as const)('%s', (_name, ts, override, expected) => {
    expect(isOffHours(ts, { startHour: 7, endHour: 19, utcOffsetMinutes: 0, weekendsOff: true, ...override })).toBe(expected);
  });
});

describe('AuditQuery over a real audit.db', () => {
  let f: AuditFixture | undefined;
  afterEach(() => f?.close());

  /** A log of page views with pseudo-random sessions, artifacts, pages and gaps (seeded, repeatable). */
  function viewLog(count: number, seed: number): void {
    f = openAuditFixture({ everyLeaves: 1000, everyMs: Number.MAX_SAFE_INTEGER });
    let x = seed;
    const next = (n: number) => (x = (x * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < count; i++) {
      const session = `s${next(2)}`;
      f.log.append({
        actor: { user: `u-${session}`, role: 'reviewer' },
        session,
        event: next(10) === 0 ? 'artifact.close' : 'artifact.view',
        object: { kind: 'artifact', id: `a${next(2)}` },
        outcome: 'success',
        detail: { action: next(8) === 0 ? 'open' : 'view', page: 1 + next(12), dwellMs: [500, 3000, 20_000, 90_000][next(4)]! },
      });
      tick(f, [300, 500, 900, 1500, 1900, 2500, 6000][next(7)]!);
    }
  }

  function allViews(): PageView[] {
    return f!.db
      .prepare("SELECT seq, ts, user, session, object_id, page FROM log_leaves WHERE event = 'artifact.view' AND page IS NOT NULL ORDER BY seq")
      .all()
      .map((r) => ({ seq: Number(r['seq']), ts: Number(r['ts']), user: String(r['user']), session: String(r['session']), artifactId: String(r['object_id']), page: Number(r['page']) }));
  }

  it.each([1, 2, 3, 4, 5])('flags from the database exactly the runs findFastPaging finds in the page views (seed %i)', (seed) => {
    viewLog(250, seed);
    const expected = findFastPaging(allViews());
    expect(expected.length).toBeGreaterThan(0);
    expect(new AuditQuery(f!.db).fastPaging({})).toEqual(expected);
    expect(new AuditQuery(f!.db).fastPaging({}, { minMsPerPage: 1000, minPages: 3 })).toEqual(findFastPaging(allViews(), { minMsPerPage: 1000, minPages: 3 }));
    // Read as when most turns are fast: every turn in seq order, in chunks (small ones, so runs cross them).
    const chunked = new AuditQuery(f!.db, { fewFastTurns: 0, turnChunk: 7 });
    expect(chunked.fastPaging({})).toEqual(expected);
    expect(chunked.fastPaging({}, { minMsPerPage: 1000, minPages: 3 })).toEqual(findFastPaging(allViews(), { minMsPerPage: 1000, minPages: 3 }));
  });

  it('counts opens, and the dwell of views (their closes) but not of page views twice, as the leaves say', () => {
    viewLog(300, 9);
    // Closes among the page views: each carries its whole view's dwell and no page.
    for (let i = 0; i < 40; i++) {
      const session = `s${i % 2}`;
      f!.log.append({ actor: { user: `u-${session}`, role: 'reviewer' }, session, event: 'artifact.view', object: { kind: 'artifact', id: `a${(i >> 1) % 2}` }, outcome: 'success', detail: { action: 'close', dwellMs: 700 * i * i } });
      tick(f!, 1000);
    }
    type Leaf = { event: string; session: string; object: { id: string } | null; detail: { action?: string; page?: number; dwellMs?: number } };
    const leaves = f!.db.prepare('SELECT leaf FROM log_leaves').all().map((r) => JSON.parse(fromUtf8(r['leaf'] as Uint8Array)) as Leaf);
    const query = new AuditQuery(f!.db);
    // From the aggregates (the whole log) and from the leaves (a filter the aggregates cannot answer).
    for (const summary of [query.summary({}), query.summary({ outcome: 'success' })]) {
      expect(summary.perArtifact.length).toBe(2);
      for (const artifact of summary.perArtifact) {
        const views = leaves.filter((l) => l.event === 'artifact.view' && l.object?.id === artifact.artifactId);
        const closes = views.filter((l) => l.detail.page === undefined);
        expect(closes.length).toBeGreaterThan(5);
        expect(artifact.opens).toBe(views.filter((l) => l.detail.action === 'open').length);
        expect(artifact.dwellMs).toBe(closes.reduce((sum, l) => sum + l.detail.dwellMs!, 0));
        const buckets = DWELL_BUCKETS.map((b, i) => closes.filter((l) => l.detail.dwellMs! < b.max && (i === 0 || l.detail.dwellMs! >= DWELL_BUCKETS[i - 1]!.max)).length);
        expect(summary.dwell.find((d) => d.artifactId === artifact.artifactId)!.buckets).toEqual(buckets);
      }
    }
    // Who saw: the artifact's views are its opens and its dwell its closes'; one page's are the times that page came into view and how long.
    const session = (rows: { session: string | null; views: number; dwellMs: number }[]) => {
      const row = rows.find((r) => r.session === 's0')!;
      return [row.views, row.dwellMs];
    };
    const ofA0 = leaves.filter((l) => l.event === 'artifact.view' && l.object?.id === 'a0' && l.session === 's0');
    const sumDwell = (ls: Leaf[]) => ls.reduce((sum, l) => sum + l.detail.dwellMs!, 0);
    const opens = ofA0.filter((l) => l.detail.action === 'open').length;
    expect(opens).toBeGreaterThan(0);
    expect(session(query.whoSaw('a0', undefined, 0, Number.MAX_SAFE_INTEGER))).toEqual([opens, sumDwell(ofA0.filter((l) => l.detail.page === undefined))]);
    const page = ofA0.find((l) => l.detail.page !== undefined)!.detail.page!;
    const pageViews = ofA0.filter((l) => l.detail.page === page);
    expect(pageViews.length).toBeGreaterThan(1);
    expect(session(query.whoSaw('a0', page, 0, Number.MAX_SAFE_INTEGER))).toEqual([pageViews.length, sumDwell(pageViews)]);
  });

  it('finds off-hours activity through the aggregates exactly as a scan of every leaf does', () => {
    viewLog(150, 5);
    // Then a reviewer who keeps going into the evening, one view every 20 minutes.
    for (let i = 0; i < 40; i++) {
      tick(f!, 1_200_000);
      f!.log.append({ actor: { user: i % 2 ? 'u-s0' : 'late', role: 'reviewer' }, session: 'late', event: 'artifact.view', object: { kind: 'artifact', id: 'a1' }, outcome: 'success', detail: { action: 'view', page: i + 1, dwellMs: 1000 } });
    }
    const hours = { startHour: 9, endHour: 12, utcOffsetMinutes: 0, weekendsOff: true };
    type Row = { seq: number; ts: number; user: string | null; session: string | null; event: string; objectId: string | null };
    const rows: Row[] = f!.db
      .prepare("SELECT seq, ts, user, session, event, object_id FROM log_leaves WHERE role IN ('reviewer', 'auditor') ORDER BY seq")
      .all()
      .filter((r) => isOffHours(Number(r['ts']), hours))
      .map((r) => ({ seq: Number(r['seq']), ts: Number(r['ts']), user: r['user'] as string | null, session: r['session'] as string | null, event: String(r['event']), objectId: r['object_id'] as string | null }));
    // What an auditor should see: one flag per session (per user without one), counting its leaves.
    const collapse = (leaves: Row[]) => {
      const flags = new Map<string, Row & { count: number; lastTs: number }>();
      for (const r of leaves) {
        const key = r.session === null ? `user:${r.user}` : `session:${r.session}`;
        const seen = flags.get(key);
        if (seen) {
          seen.count += 1;
          seen.lastTs = Math.max(seen.lastTs, r.ts);
        } else flags.set(key, { ...r, count: 1, lastTs: r.ts });
      }
      return [...flags.values()];
    };
    const expected = collapse(rows);
    expect(rows.length).toBeGreaterThan(20);
    expect(expected.some((e) => e.count > 20)).toBe(true);
    const q = new AuditQuery(f!.db);
    expect(q.offHours({}, hours)).toEqual(expected);
    expect(q.offHours({}, hours, 1)).toEqual(expected.slice(0, 1));
    expect(q.offHours({ user: 'late' }, hours)).toEqual(collapse(rows.filter((r) => r.user === 'late')));
    // The fast-paging flag over the page-view index agrees with the pure detector too.
    expect(q.fastPaging({})).toEqual(findFastPaging(allViews()));
  });

  it('answers whole-log and whole-hour summaries from the aggregates exactly as from the leaves', () => {
    viewLog(300, 4);
    const q = new AuditQuery(f!.db);
    const sorted = (s: ReturnType<AuditQuery['summary']>) => ({
      ...s,
      perUser: [...s.perUser].sort((a, b) => `${a.user}/${a.role}`.localeCompare(`${b.user}/${b.role}`)),
      perArtifact: [...s.perArtifact].sort((a, b) => a.artifactId.localeCompare(b.artifactId)),
      dwell: [...s.dwell].sort((a, b) => a.artifactId.localeCompare(b.artifactId)),
    });
    // A bound that is not on an hour (or any filter but time) takes the leaves' path: the reference.
    expect(sorted(q.summary({}))).toEqual(sorted(q.summary({ from: 0, to: Number.MAX_SAFE_INTEGER })));
    // Whole hours (the one before the first leaf and the first leaf's) against the same leaves asked
    // with a bound off the hour.
    const first = Number(f!.db.prepare('SELECT min(ts) AS t FROM log_leaves').get()?.['t']);
    const hour = Math.floor(first / 3_600_000) * 3_600_000 - 3_600_000;
    const fromAggregates = sorted(q.summary({ from: hour, to: hour + 7_200_000 }));
    expect(fromAggregates.perHour.length).toBeGreaterThan(0);
    expect(fromAggregates).toEqual(sorted(q.summary({ from: hour + 1, to: hour + 7_200_000 })));
  });

  it('pages by position, also when a leaf is missing and when filtered', () => {
    viewLog(40, 3);
    const q = new AuditQuery(f!.db);
    expect(q.query({}, 5, 3).rows.map((r) => r.seq)).toEqual([5, 6, 7]);
    const session = q.query({ session: 's1' }, 0, 1000).rows.map((r) => r.seq);
    expect(q.query({ session: 's1' }, 4, 3).rows.map((r) => r.seq)).toEqual(session.slice(4, 7));
    f!.db.exec('DROP TRIGGER log_leaves_no_delete');
    f!.db.exec('DELETE FROM log_leaves WHERE seq = 2');
    expect(q.query({}, 5, 3)).toMatchObject({ total: 39, rows: [{ seq: 6 }, { seq: 7 }, { seq: 8 }] });
  });

  it('reads filtered flags in batches, one step per batch, and answers as in one go and as the whole log from its turns', () => {
    f = openAuditFixture({ everyLeaves: 10_000, everyMs: Number.MAX_SAFE_INTEGER });
    const view = (i: number) => ({ actor: { user: 'u', role: 'reviewer' as const }, session: 's', event: 'artifact.view', object: { kind: 'artifact', id: 'a' }, outcome: 'success' as const, detail: { page: (i % 9) + 1 } });
    f.log.appendMany(Array.from({ length: 12_000 }, (_, i) => view(i)));
    const q = new AuditQuery(f.db);
    // The whole log answers from agg_turns in one step; a filter reads the page views in batches.
    expect(q.fastPaging({ user: 'u' })).toEqual(q.fastPaging({}));
    const steps = q.fastPagingSteps({ user: 'u' });
    let yields = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) yields++;
    expect(yields).toBe(3);
    expect(step.value).toEqual(q.fastPaging({ user: 'u' }));
    expect(step.value).toEqual(findFastPaging(allViews()));
  });
});

