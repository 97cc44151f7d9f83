import { describe, expect, it } from 'vitest';
import { refusal, REFUSAL_REASONS, viewOf } from '../../../src-server/refusal';
import { RwError } from '../../../src-shared/errors';

describe('refusal views', () => {
  it('maps each reason to its status and keeps the message and detail', () => {
    for (const reason of Object.keys(REFUSAL_REASONS) as (keyof typeof REFUSAL_REASONS)[]) {
      if (reason === 'internal') continue;
      const view = viewOf(refusal(reason, `because ${reason}`, { size: 3 }));
      expect(view).toEqual({ status: REFUSAL_REASONS[reason].status, reason, message: `because ${reason}`, detail: { size: 3 } });
    }
  });

  it('never lets an unknown error or an INTERNAL message out', () => {
    const secret = new Error('ENOENT: /srv/data/server.key');
    expect(viewOf(secret)).toEqual({ status: 500, reason: 'internal', message: 'An internal error occurred.', detail: {} });
    expect(viewOf(new RwError('INTERNAL', 'db at /srv/x failed')).message).toBe('An internal error occurred.');
    expect(viewOf('a string')).toMatchObject({ status: 500, reason: 'internal' });
  });

  it('gives RwErrors without a reason a 4xx of their own code', () => {
    expect(viewOf(new RwError('TOO_LARGE', 'big')).status).toBe(413);
    expect(viewOf(new RwError('INVALID_INPUT', 'bad')).status).toBe(400);
  });
});
