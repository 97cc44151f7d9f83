/**
 * The forensic watermark's session (DESIGN §7; ARCHITECTURE: insider-risk controls): at every unlock a fresh random 48-bit
 * session code is drawn and recorded in the access log (`watermark.session`, object = the code), so a
 * code decoded from a leaked screenshot or copied text resolves to user, workstation, session and
 * times (watermark-resolve.ts). A lock ends it: the next unlock gets a new code.
 *
 * Why random and recorded, not derived from the user: an attacker who reads a code learns nothing about
 * other sessions, and authenticity comes from the signed access log, not from the code itself.
 */
import { SESSION_CODE_BYTES, sessionCodeToHex } from '../../src-shared/watermark/session-code';
import { LOCKED_OVERLAY, type OverlayPayload } from '../../src-shared/overlay-payload';
import type { Policy } from '../../src-shared/policy';
import type { AuditRecord, CallerSession } from '../ipc/router';

export interface WatermarkSession {
  code: Uint8Array;
  codeHex: string;
  user: string;
  role: 'reviewer' | 'auditor';
  workstationId: string;
  startedAt: number;
}

export interface WatermarkSessionDeps {
  random(length: number): Uint8Array;
  clock(): number;
}

/** A 48-bit code; all-zero is redrawn (it is the pattern of an uninitialised buffer, not a session). */
export function drawSessionCode(random: (length: number) => Uint8Array): Uint8Array {
  for (;;) {
    const code = random(SESSION_CODE_BYTES);
    if (code.length !== SESSION_CODE_BYTES) throw new RangeError('The random source returned the wrong length.');
    if (code.some((b) => b !== 0)) return new Uint8Array(code);
  }
}

/** The access-log record of a new watermark session (written through the router's audit hook). */
export function watermarkSessionRecord(session: WatermarkSession): AuditRecord {
  const actor: CallerSession = { role: session.role, user: session.user };
  return {
    channel: 'controls',
    event: 'watermark.session',
    actor,
    outcome: 'success',
    object: { kind: 'watermark', id: session.codeHex },
    detail: { code: session.codeHex, user: session.user, workstation: session.workstationId, startedAt: session.startedAt },
  };
}

/** The overlay's payload for this session under `policy` (LOCKED_OVERLAY when there is no session). */
export function overlayPayloadFor(session: WatermarkSession | null, policy: Policy): OverlayPayload {
  if (!session) return LOCKED_OVERLAY;
  return {
    v: 1,
    fields: [...policy.watermark.fields],
    user: session.user.slice(0, 120),
    workstation: session.workstationId.slice(0, 120),
    classification: policy.classification.slice(0, 120),
    code: session.codeHex,
  };
}

/** Holds the current watermark session; listeners (the overlay) hear every begin and end. */
export class WatermarkSessions {
  readonly #deps: WatermarkSessionDeps;
  #current: WatermarkSession | null = null;
  readonly #listeners = new Set<(session: WatermarkSession | null) => void>();

  constructor(deps: WatermarkSessionDeps) {
    this.#deps = deps;
  }

  current(): WatermarkSession | null {
    return this.#current;
  }

  begin(who: { user: string; role: 'reviewer' | 'auditor'; workstationId: string }): WatermarkSession {
    const code = drawSessionCode(this.#deps.random);
    const session: WatermarkSession = { code, codeHex: sessionCodeToHex(code), user: who.user, role: who.role, workstationId: who.workstationId, startedAt: this.#deps.clock() };
    this.#current = session;
    this.#emit();
    return session;
  }

  end(): void {
    if (!this.#current) return;
    this.#current.code.fill(0);
    this.#current = null;
    this.#emit();
  }

  onChange(listener: (session: WatermarkSession | null) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(): void {
    for (const listener of this.#listeners) listener(this.#current);
  }
}
