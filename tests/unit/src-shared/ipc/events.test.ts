import { describe, expect, it } from 'vitest';
import { EVENTS } from '../../../../src-shared/ipc/events';

describe('audit.progress event', () => {
  const schema = EVENTS['audit.progress'];
  it('carries counts of leaves verified and nothing else', () => {
    expect(schema.parse({ leavesDone: 10_000, leavesTotal: 1_000_000, phase: 'verifying' })).toEqual({ leavesDone: 10_000, leavesTotal: 1_000_000, phase: 'verifying' });
  });
  it.each([
    ['more done than covered', { leavesDone: 11, leavesTotal: 10, phase: 'verifying' }],
    ['a negative count', { leavesDone: -1, leavesTotal: 10, phase: 'verifying' }],
    ['a fraction', { leavesDone: 1.5, leavesTotal: 10, phase: 'verifying' }],
    ['an unknown phase', { leavesDone: 1, leavesTotal: 10, phase: 'done' }],
    ['an extra member (a path, say)', { leavesDone: 1, leavesTotal: 10, phase: 'verifying', path: '/home/x/audit.db' }],
  ])('refuses %s', (_name, payload) => {
    expect(schema.safeParse(payload).success).toBe(false);
  });
});
