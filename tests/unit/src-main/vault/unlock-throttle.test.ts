import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from '../../../../src-shared/node/crypto';
import { assertMayAttempt, delayFor, initialUnlockState, readUnlockState, unlockThrottle, writeUnlockState } from '../../../../src-main/vault/unlock-throttle';

const policy = { delayAfter: 3, lockAfter: 10 };
const WS = 'ab'.repeat(16);
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-thr-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('unlock throttle', () => {
  it('grows the delay from the third failure and caps it at an hour', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map((n) => delayFor(n, policy))).toEqual([0, 0, 0, 2000, 4000, 8000, 128000]);
    expect(delayFor(40, { delayAfter: 3, lockAfter: 100 })).toBe(3_600_000);
  });

  it('measures the wait from the last failure, and a clock set backwards does not shorten it', () => {
    const state = { ...initialUnlockState(WS), failures: 4, lastFailureAt: 10_000, users: { ann: { failures: 4, lastFailureAt: 10_000 } } };
    expect(() => assertMayAttempt(state, 'ann', 13_999, policy)).toThrow(expect.objectContaining({ code: 'LOCKED_OUT', detail: { reason: 'delay', retryAfterMs: 1 } }));
    expect(() => assertMayAttempt(state, 'ann', 14_000, policy)).not.toThrow();
    expect(() => assertMayAttempt(state, null, 5_000, policy)).toThrow(expect.objectContaining({ detail: { reason: 'delay', retryAfterMs: 4000 } }));
    const annLocked = { ...state, users: { ann: { failures: 10, lastFailureAt: 10_000 } } };
    expect(() => assertMayAttempt(annLocked, 'ann', 1e12, policy)).toThrow(expect.objectContaining({ detail: { reason: 'threshold', failures: 10 } }));
    // Another user is not held by ann's lockout; the workstation ceiling (3 × 10) holds everyone.
    expect(() => assertMayAttempt(annLocked, 'bo', 1e12, policy)).not.toThrow();
    expect(() => assertMayAttempt({ ...annLocked, failures: 30, total: 31 }, 'bo', 1e12, policy)).toThrow(expect.objectContaining({ detail: { reason: 'workstation', workstationId: WS, failures: 31 } }));
  });

  it('counts an attempt before the passphrase is tried, and clears it on success', () => {
    const file = path.join(dir, 'state.json');
    const key = randomBytes(32);
    writeUnlockState(file, key, initialUnlockState(WS));
    const throttle = unlockThrottle(file, key, WS, () => 77, policy);
    const attempt = throttle.begin('ann');
    expect(readUnlockState(file, key, WS)).toMatchObject({ failures: 1, lastFailureAt: 77, total: 1, users: { ann: { failures: 1, lastFailureAt: 77 } } });
    expect(attempt.attemptsRemaining).toBe(9);
    attempt.succeeded();
    expect(readUnlockState(file, key, WS)).toMatchObject({ failures: 0, lastFailureAt: null, total: 0, users: {} });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['another device key', (file: string) => readUnlockState(file, randomBytes(32), WS)],
    ['another workstation', (file: string, key: Uint8Array) => readUnlockState(file, key, 'cd'.repeat(16))],
    ['an added field', (file: string, key: Uint8Array) => (fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), extra: 1 })), readUnlockState(file, key, WS))],
    ['a missing file', (file: string, key: Uint8Array) => (fs.unlinkSync(file), readUnlockState(file, key, WS))],
  ])('refuses a state file checked with %s', (_name, act) => {
    const file = path.join(dir, 'state.json');
    const key = randomBytes(32);
    writeUnlockState(file, key, { ...initialUnlockState(WS), failures: 2, lastFailureAt: 5, total: 2 });
    expect(() => act(file, key)).toThrow(expect.objectContaining({ code: 'LOCKED_OUT', detail: { reason: 'tampered' } }));
  });

  it('reads a record of the first format (one counter) and keeps its count', () => {
    const file = path.join(dir, 'state.json');
    fs.writeFileSync(file, JSON.stringify({ version: 1, workstationId: WS, failures: 4, lastFailureAt: 9, mac: null }));
    expect(readUnlockState(file, null, WS)).toEqual({ ...initialUnlockState(WS), failures: 4, lastFailureAt: 9, total: 4 });
  });
});
