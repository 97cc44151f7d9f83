import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../../src-main/ipc/router';
import { openViews } from '../../../../src-main/audit/open-views';

const actor = { user: 'alice', role: 'reviewer' } as AuditRecord['actor'];
const view = (id: string, action: string, outcome: AuditRecord['outcome'] = 'success'): AuditRecord => ({
  channel: 'artifact.view',
  event: 'artifact.view',
  actor,
  outcome,
  object: { kind: 'artifact', id, name: `${id}.pdf`, digest: `sha256:${id}` },
  detail: { action },
});

describe('open views', () => {
  it('a logged open stays open until its close; drain gives the dwell since the open and forgets', () => {
    let now = 1000;
    const views = openViews(() => now);
    views.observe(view('a', 'open'));
    now += 500;
    views.observe(view('b', 'open'));
    now += 250;
    views.observe(view('b', 'view'));
    views.observe(view('b', 'close'));
    now += 4000;
    expect(views.drain()).toEqual([{ view: { artifactId: 'a', name: 'a.pdf', digest: 'sha256:a', since: 1000 }, dwellMs: 4750 }]);
    expect(views.drain()).toEqual([]);
  });

  it('the same artifact open twice needs two closes, the first open ending first', () => {
    let now = 0;
    const views = openViews(() => now);
    views.observe(view('a', 'open'));
    now = 100;
    views.observe(view('a', 'open'));
    views.observe(view('a', 'close'));
    now = 300;
    expect(views.drain().map((v) => [v.view.since, v.dwellMs])).toEqual([[100, 200]]);
  });

  it('refused or failed calls, other events and other objects open and close nothing', () => {
    const views = openViews(() => 0);
    views.observe(view('a', 'open', 'denied'));
    views.observe(view('b', 'open', 'failure'));
    views.observe({ ...view('c', 'open'), event: 'artifact.read' });
    views.observe({ ...view('d', 'open'), object: { kind: 'case', id: 'd' } });
    views.observe({ ...view('e', 'open'), object: undefined });
    expect(views.drain()).toEqual([]);
    // A close with no open (the window's close after a lock already closed it) changes nothing.
    views.observe(view('f', 'open'));
    views.observe(view('g', 'close'));
    expect(views.drain().map((v) => v.view.artifactId)).toEqual(['f']);
  });
});
