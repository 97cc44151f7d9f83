import { describe, expect, it } from 'vitest';
import { checkpointDue } from '../../../../src-main/audit/checkpoint-policy';

const policy = { everyLeaves: 10, everyMs: 60_000 };
describe('checkpoint policy', () => {
  it.each([
    ['nothing new since the last checkpoint', 'lock', 'success', { size: 5, checkpointSize: 5, checkpointTs: 0 }, 1_000, null],
    ['a failed unlock', 'unlock', 'failure', { size: 6, checkpointSize: 5, checkpointTs: 0 }, 1_000, 'security-event'],
    ['a successful unlock, early', 'unlock', 'success', { size: 6, checkpointSize: 5, checkpointTs: 0 }, 1_000, null],
    ['a lock', 'lock', 'success', { size: 6, checkpointSize: 5, checkpointTs: 0 }, 1_000, 'security-event'],
    ['a policy change', 'policy.change', 'success', { size: 6, checkpointSize: 5, checkpointTs: 0 }, 1_000, 'security-event'],
    ['an export decision', 'export.decision', 'denied', { size: 6, checkpointSize: 5, checkpointTs: 0 }, 1_000, 'security-event'],
    ['an attestation', 'attestation.sign', 'success', { size: 6, checkpointSize: 5, checkpointTs: 0 }, 1_000, 'security-event'],
    ['N leaves since the last', 'search', 'success', { size: 15, checkpointSize: 5, checkpointTs: 0 }, 1_000, 'leaf-count'],
    ['N-1 leaves since the last', 'search', 'success', { size: 14, checkpointSize: 5, checkpointTs: 0 }, 1_000, null],
    ['M minutes since the last', 'search', 'success', { size: 6, checkpointSize: 5, checkpointTs: 1_000 }, 61_000, 'interval'],
  ] as const)('%s', (_name, event, outcome, state, now, expected) => {
    expect(checkpointDue(event, outcome, state, now, policy)).toBe(expected);
  });
});
