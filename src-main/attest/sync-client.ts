/**
 * Network sync (see ARCHITECTURE: attestations and sync): push the outbox to the central server, keep the receipts, get the access
 * log's checkpoint witnessed. Only when the signed policy names a server and that server's key is the
 * one pinned at enrollment; the base URL comes from the policy and nowhere else, so no other host is
 * ever contacted (threat: a compromised or misconfigured network steering attestations, or anything
 * else, elsewhere). Redirects are refused (fetch `redirect: 'error'`, and any 3xx is a failure), every
 * URL is built from the base and checked to keep its origin, and plain http is allowed only to loopback.
 *
 * Everything sent is an OutboxItem's envelope or a tlog-witness request for a device-signed checkpoint
 * that is itself in the outbox: the client has no way to send anything else. Every answer is verified
 * against the pinned key before it changes state. Failures schedule a retry (backoff.ts).
 */
import type { Database } from '@signalapp/sqlcipher';
import { SERVER_PATHS } from '../../src-shared/attestation-types';
import { toBase64, utf8 } from '../../src-shared/encoding';
import { isRwError, RwError } from '../../src-shared/errors';
import type { Policy } from '../../src-shared/policy';
import { parseAddCheckpointResponse, parseConflictBody } from '../../src-shared/node/tlog-witness';
import type { AccessLogPort } from './access-log-port';
import { DEFAULT_BACKOFF, nextAttemptAt, type BackoffPolicy } from './backoff';
import type { Enrollment } from './enrollment';
import { queueCheckpoint, recordWitnessSize, witnessRequestBody, type WitnessPlan } from './media-bundle';
import { listOutbox, markAttemptFailed, markDelivered, type OutboxItem, type OwnKeys } from './outbox';
import { parseReceiptBytes, storeWitnessedCheckpoint, verifyReceipt, verifyWitnessResponse } from './receipts';

/** The part of WHATWG fetch we use (Node 20's undici fetch in the app; fakes in tests). */
export interface FetchResponse {
  status: number;
  redirected?: boolean;
  headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}
export type FetchFn = (url: string, init: { method: 'POST'; headers: Record<string, string>; body: Uint8Array; redirect: 'error'; signal?: AbortSignal }) => Promise<FetchResponse>;

/** Node 20's undici fetch; the body is copied into an ArrayBuffer-backed view as BodyInit requires. */
export const platformFetch: FetchFn = (url, init) => fetch(url, { ...init, body: new Uint8Array(init.body) });

const MAX_RESPONSE_BYTES = 256 * 1024;
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

export interface ServerTarget {
  origin: string;
  base: string;
}

/**
 * The one server this workstation may talk to, or null (offline by policy). Throws POLICY_REFUSED when
 * the policy's server is not the enrolled one or its URL is not acceptable.
 */
export function serverTarget(policy: Policy, enrollment: Enrollment | null): ServerTarget | null {
  if (policy.server === null || enrollment === null) return null;
  if (policy.server.publicKey !== toBase64(enrollment.serverPublicKey)) throw new RwError('POLICY_REFUSED', "The policy's server key is not the key pinned at enrollment.");
  let url: URL;
  try {
    url = new URL(policy.server.url);
  } catch {
    throw new RwError('POLICY_REFUSED', "The policy's server URL is not a URL.");
  }
  if (url.username || url.password || url.search || url.hash) throw new RwError('POLICY_REFUSED', "The policy's server URL may not carry credentials, a query or a fragment.");
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new RwError('POLICY_REFUSED', 'The server must be reached over https (plain http only on loopback).');
  }
  return { origin: url.origin, base: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

export function endpoint(target: ServerTarget, path: string): string {
  const url = new URL(`${target.base}${path}`);
  if (url.origin !== target.origin) throw new RwError('POLICY_REFUSED', 'Refusing to contact a host other than the enrolled server.');
  return url.href;
}

interface Answer {
  status: number;
  body: Uint8Array;
  retryAfterMs: number | null;
}

async function post(fetchFn: FetchFn, target: ServerTarget, path: string, body: Uint8Array, contentType: string): Promise<Answer> {
  const response = await fetchFn(endpoint(target, path), { method: 'POST', headers: { 'Content-Type': contentType }, body, redirect: 'error' });
  // redirect: 'error' makes fetch throw on a followable redirect; a 3xx it did not follow (no Location)
  // or a fake that followed one is refused just the same.
  if (response.redirected === true || (response.status >= 300 && response.status < 400)) throw new RwError('POLICY_REFUSED', 'The server answered with a redirect; redirects are refused.');
  const length = Number(response.headers.get('content-length') ?? '0');
  if (length > MAX_RESPONSE_BYTES) throw new RwError('TOO_LARGE', 'The server answer is too large.');
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength > MAX_RESPONSE_BYTES) throw new RwError('TOO_LARGE', 'The server answer is too large.');
  const retryAfter = Number(response.headers.get('retry-after'));
  return { status: response.status, body: bytes, retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null };
}

function serverError(answer: Answer): string {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(answer.body)) as { error?: { code?: unknown; message?: unknown } };
    return `${answer.status} ${String(parsed.error?.code ?? '')}: ${String(parsed.error?.message ?? '')}`.slice(0, 300);
  } catch {
    return `${answer.status}`;
  }
}

export interface SyncDeps {
  audit: Database;
  keys: OwnKeys;
  policy: Policy;
  enrollment: Enrollment | null;
  fetch: FetchFn;
  clock(): number;
  /** [0, 1): backoff jitter. */
  random(): number;
  log?: AccessLogPort;
  backoff?: BackoffPolicy;
}

export interface SyncResult {
  mode: 'offline' | 'network';
  delivered: number;
  failed: { envelopeSha256: string; error: string }[];
  /** Pending items whose retry time has not come yet. */
  deferred: number;
  witness: 'cosigned' | 'conflict' | 'refused' | 'unreachable' | 'nothing-new' | 'not-asked';
  witnessedSize: number | null;
}

function isNetworkFailure(error: unknown): boolean {
  return !isRwError(error);
}

/** One sync pass. Offline (no server in the policy) is a normal result, not an error. */
export async function syncNow(deps: SyncDeps): Promise<SyncResult> {
  const result: SyncResult = { mode: 'offline', delivered: 0, failed: [], deferred: 0, witness: 'not-asked', witnessedSize: null };
  const target = serverTarget(deps.policy, deps.enrollment);
  if (!target || !deps.enrollment) return result;
  const enrollment = deps.enrollment;
  result.mode = 'network';
  const backoff = deps.backoff ?? DEFAULT_BACKOFF;
  // The checkpoint Statement joins the outbox first, so it is pushed with everything else.
  let plan: WitnessPlan | null = null;
  if (deps.log) plan = await queueCheckpoint(deps.audit, deps.log, deps.keys, deps.clock);
  let reachable = true;
  for (const item of listOutbox(deps.audit, deps.keys, 'pending')) {
    if (!reachable || item.nextAttemptAt > deps.clock()) {
      result.deferred++;
      continue;
    }
    try {
      await pushItem(deps, target, enrollment, item);
      result.delivered++;
    } catch (error) {
      const message = isRwError(error) ? error.message : 'The server could not be reached.';
      const retryAfter = error instanceof PushRefused ? error.retryAfterMs : null;
      markAttemptFailed(deps.audit, item, message, nextAttemptAt(deps.clock(), item.attempts + 1, deps.random(), retryAfter, backoff));
      result.failed.push({ envelopeSha256: item.envelopeSha256, error: message });
      // Unreachable: do not hammer it with the rest of the queue in this pass.
      if (isNetworkFailure(error)) reachable = false;
    }
  }
  if (!plan) result.witness = 'nothing-new';
  else if (!reachable) result.witness = 'unreachable';
  else {
    const witnessed = await askWitness(deps, target, enrollment, plan);
    result.witness = witnessed.status;
    result.witnessedSize = witnessed.size;
  }
  if (deps.log) {
    await deps.log.logEvent({ event: 'sync', object: { kind: 'server', id: target.origin }, outcome: result.failed.length === 0 ? 'success' : 'failure', detail: { channel: 'network', delivered: result.delivered, failed: result.failed.length } });
  }
  return result;
}

class PushRefused extends RwError {
  constructor(
    message: string,
    readonly retryAfterMs: number | null,
  ) {
    super('CONFLICT', message);
  }
}

async function pushItem(deps: SyncDeps, target: ServerTarget, enrollment: Enrollment, item: OutboxItem): Promise<void> {
  const answer = await post(deps.fetch, target, SERVER_PATHS.attestations, utf8(JSON.stringify(item.envelope)), 'application/json');
  if (answer.status !== 200 && answer.status !== 201) throw new PushRefused(`The server refused it: ${serverError(answer)}`, answer.retryAfterMs);
  const receipt = parseReceiptBytes(answer.body);
  // A receipt that does not verify is not a delivery: the item stays pending.
  verifyReceipt(receipt, item, enrollment);
  markDelivered(deps.audit, item, receipt, deps.clock);
}

async function askWitness(deps: SyncDeps, target: ServerTarget, enrollment: Enrollment, first: WitnessPlan): Promise<{ status: SyncResult['witness']; size: number | null }> {
  let plan = first;
  // At most one retry: after a 409 the witness told us the size it holds; start from there once.
  for (let round = 0; round < 2; round++) {
    let answer: Answer;
    try {
      answer = await post(deps.fetch, target, SERVER_PATHS.witnessAddCheckpoint, witnessRequestBody(plan), 'text/plain; charset=utf-8');
    } catch (error) {
      if (isRwError(error)) throw error;
      return { status: 'unreachable', size: null };
    }
    if (answer.status === 200) {
      const witnessed = verifyWitnessResponse(plan.note, parseAddCheckpointResponse(answer.body), enrollment);
      storeWitnessedCheckpoint(deps.audit, witnessed, deps.clock);
      return { status: 'cosigned', size: witnessed.size };
    }
    if (answer.status !== 409) return { status: 'refused', size: null };
    let held: number;
    try {
      held = parseConflictBody(answer.body);
    } catch {
      return { status: 'refused', size: null };
    }
    recordWitnessSize(deps.audit, held);
    if (held > plan.size || held === plan.oldSize || !deps.log) return { status: 'conflict', size: held };
    plan = { ...plan, oldSize: held, proof: held > 0 && held < plan.size ? await deps.log.consistencyProof(held, plan.size) : [] };
  }
  return { status: 'conflict', size: null };
}
