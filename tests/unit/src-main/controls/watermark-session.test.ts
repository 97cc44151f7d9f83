import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../../src-shared/policy';
import { decodeOverlayPayload, encodeOverlayPayload, LOCKED_OVERLAY, overlayLine } from '../../../../src-shared/overlay-payload';
import { drawSessionCode, overlayPayloadFor, watermarkSessionRecord, WatermarkSessions } from '../../../../src-main/controls/watermark-session';

function counter(values: number[][]): (n: number) => Uint8Array {
  let i = 0;
  return (n) => {
    const v = values[i++] ?? [];
    return Uint8Array.from({ length: n }, (_, k) => v[k] ?? 0);
  };
}

describe('watermark sessions', () => {
  it('draws a 48-bit code and redraws the all-zero one', () => {
    expect([...drawSessionCode(counter([[0, 0, 0, 0, 0, 0], [1, 2, 3, 4, 5, 6]]))]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('begins with a fresh code per unlock, tells listeners, and forgets it at lock', () => {
    const sessions = new WatermarkSessions({ random: counter([[0xa1, 2, 3, 4, 5, 6], [0xb1, 2, 3, 4, 5, 6]]), clock: () => 1000 });
    const heard: (string | null)[] = [];
    sessions.onChange((s) => heard.push(s?.codeHex ?? null));
    const first = sessions.begin({ user: 'avery', role: 'reviewer', workstationId: 'ws-1' });
    sessions.end();
    const second = sessions.begin({ user: 'avery', role: 'reviewer', workstationId: 'ws-1' });
    expect(first.codeHex).toBe('a10203040506');
    expect(second.codeHex).toBe('b10203040506');
    expect(heard).toEqual(['a10203040506', null, 'b10203040506']);
    expect([...first.code]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('records the code as the object of a watermark.session leaf with user and workstation', () => {
    const session = new WatermarkSessions({ random: counter([[9, 9, 9, 9, 9, 9]]), clock: () => 42 }).begin({ user: 'avery', role: 'reviewer', workstationId: 'ws-1' });
    expect(watermarkSessionRecord(session)).toEqual({
      channel: 'controls',
      event: 'watermark.session',
      actor: { role: 'reviewer', user: 'avery' },
      outcome: 'success',
      object: { kind: 'watermark', id: '090909090909' },
      detail: { code: '090909090909', user: 'avery', workstation: 'ws-1', startedAt: 42 },
    });
  });

  it('builds the overlay payload from the policy fields; locked draws nothing', () => {
    const session = new WatermarkSessions({ random: counter([[1, 2, 3, 4, 5, 6]]), clock: () => 0 }).begin({ user: 'avery', role: 'reviewer', workstationId: 'ws-1' });
    const payload = overlayPayloadFor(session, { ...DEFAULT_POLICY, watermark: { fields: ['classification', 'user', 'session', 'time'] } });
    expect(decodeOverlayPayload(`#${encodeOverlayPayload(payload)}`)).toEqual(payload);
    expect(overlayLine(payload, Date.UTC(2026, 10, 28, 7, 5, 59))).toBe('CUI // PROPRIETARY · avery · session 010203040506 · 2026-11-28 07:05 UTC');
    expect(overlayPayloadFor(null, DEFAULT_POLICY)).toEqual(LOCKED_OVERLAY);
    expect(overlayLine(LOCKED_OVERLAY, 0)).toBe('');
  });

  it.each([
    ['an empty fragment', ''],
    ['not JSON', '#%7Bnope'],
    ['an unknown member', `#${encodeURIComponent(JSON.stringify({ ...LOCKED_OVERLAY, script: 'x' }))}`],
    ['a code that is not 12 hex digits', `#${encodeURIComponent(JSON.stringify({ ...LOCKED_OVERLAY, code: 'zz' }))}`],
    ['an oversized fragment', `#${'a'.repeat(5000)}`],
  ])('the overlay refuses %s', (_name, fragment) => {
    expect(decodeOverlayPayload(fragment)).toBeNull();
  });
});
