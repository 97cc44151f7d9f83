/**
 * When the access log signs a checkpoint (DESIGN §5; ARCHITECTURE: access log): after security-relevant events (so the
 * moment that matters is pinned by a signature before anything else happens), at lock, and otherwise
 * every N leaves or M minutes so the unsigned tail an attacker could rewrite stays short.
 */

export interface CheckpointPolicy {
  everyLeaves: number;
  everyMs: number;
}

export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = { everyLeaves: 64, everyMs: 10 * 60 * 1000 };

/** Event names (leaf `event`) after which a checkpoint is signed whatever the outcome. */
const SECURITY_EVENTS = new Set([
  'lock',
  'policy.change',
  'export',
  'export.decision',
  'print.decision',
  'audit.export',
  'attestation.sign',
  'sync',
  'clock.jump',
  'app.stop',
]);

export interface CheckpointState {
  /** Leaves in the log now (after the leaf just written). */
  size: number;
  /** Size of the latest checkpoint (0 when none). */
  checkpointSize: number;
  /** Time of the latest checkpoint, UTC ms (0 when none). */
  checkpointTs: number;
}

export type CheckpointReason = 'security-event' | 'leaf-count' | 'interval';

/** Pure: why a checkpoint is due after `event` with `outcome`, or null. */
export function checkpointDue(
  event: string,
  outcome: string,
  state: CheckpointState,
  now: number,
  policy: CheckpointPolicy = DEFAULT_CHECKPOINT_POLICY,
): CheckpointReason | null {
  if (state.size === state.checkpointSize) return null;
  // A failed unlock is the classic prelude to guessing; pin it at once.
  if (SECURITY_EVENTS.has(event) || (event === 'unlock' && outcome !== 'success')) return 'security-event';
  if (state.size - state.checkpointSize >= policy.everyLeaves) return 'leaf-count';
  if (now - state.checkpointTs >= policy.everyMs) return 'interval';
  return null;
}
