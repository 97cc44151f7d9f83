/**
 * Nothing but pre-sign-in calls leaves the renderer while nobody is signed in. Locking used to let the
 * queries of the screen being left reach main after the vault closed, where the router (rightly)
 * logged them as anonymous denials: false alarms in the auditor's console. The gate follows the
 * session status in the query cache (however it got there) and is shut by the lock itself before the
 * lock call is sent; a call refused here never reaches main, so it is not on the record as a denial.
 */
import type { ChannelName } from '../../src-shared/ipc/contract';
import { PRE_SIGN_IN_CHANNELS } from '../../src-shared/ipc/pre-sign-in-channels';

let signedIn = false;

export function setSignedIn(value: boolean): void {
  signedIn = value;
}

/** True when `channel` may be sent now: anyone signed in, a channel open before sign-in, or the lock. */
export function mayCall(channel: ChannelName): boolean {
  // The lock itself always goes: the gate shuts before it is sent.
  return signedIn || channel === 'session.lock' || PRE_SIGN_IN_CHANNELS.includes(channel);
}
