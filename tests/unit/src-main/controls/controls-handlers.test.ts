/**
 * The controls channels through the real router: who may call what, what the schema refuses, and what
 * the access-log entry says (never the copied text, the passphrase or the image).
 */
import { describe, expect, it } from 'vitest';
import { randomBytes } from '../../../../src-shared/node/crypto';
import { CONTRACT } from '../../../../src-shared/ipc/contract';
import { DEFAULT_POLICY, type Policy } from '../../../../src-shared/policy';
import { rendererClipboardWriter } from '../../../../src-main/controls/clipboard-gate';
import { controlsHandlers } from '../../../../src-main/controls/controls-handlers';
import { WatermarkSessions } from '../../../../src-main/controls/watermark-session';
import { createRouter, type AuditRecord, type CallerSession } from '../../../../src-main/ipc/router';
import type { AuditQuery } from '../../../../src-main/audit/audit-query';

const ARTIFACT = `art-${'ef'.repeat(16)}`;
const TOP = { url: 'app://rw/index.html', isTopFrame: true };
const SECRET_TEXT = 'Evaluation transcript: the model described the synthesis route in detail.';

function setup(policy: Policy, caller: CallerSession) {
  const records: AuditRecord[] = [];
  const watermarks = new WatermarkSessions({ random: randomBytes, clock: () => 1 });
  watermarks.begin({ user: 'avery', role: 'reviewer', workstationId: 'ws-1' });
  const router = createRouter({
    contract: CONTRACT,
    handlers: controlsHandlers({
      policy: () => policy,
      session: () => watermarks.current(),
      writeClipboard: rendererClipboardWriter,
      stepUp: async () => undefined,
      exportDir: '/nonexistent/never-written',
      clock: () => 1,
      auditQuery: () => ({ query: () => ({ total: 0, offset: 0, rows: [] }) }) as unknown as AuditQuery,
    }),
    session: () => caller,
    audit: { record: (r) => void records.push(r) },
    appOrigin: 'app://rw',
  });
  return { router, records };
}

const reviewer: CallerSession = { role: 'reviewer', user: 'avery' };
const auditor: CallerSession = { role: 'auditor', user: 'morgan' };
const anonymous: CallerSession = { role: 'anonymous', user: null };

describe('controls channels through the router', () => {
  it.each([
    ['an auditor copying (content channel)', auditor, 'controls.copy', { artifactId: ARTIFACT, text: 'x' }, 'DENIED'],
    ['an auditor exporting', auditor, 'controls.export', { kind: 'csv', artifactId: ARTIFACT, label: 'rows', justification: 'a justification long enough', passphrase: 'x', csv: 'a,b' }, 'DENIED'],
    ['a reviewer resolving a watermark (auditor only)', reviewer, 'audit.resolveWatermark', { code: 'a1b2c3d4e5f6' }, 'DENIED'],
    ['the locked app reporting a copy', anonymous, 'controls.copyAttempt', { artifactId: ARTIFACT, action: 'copy', length: 3 }, 'DENIED'],
    ['a copy of an id that is not an artifact id', reviewer, 'controls.copy', { artifactId: '../../etc/passwd', text: 'x' }, 'INVALID_INPUT'],
    ['a copy over the size limit', reviewer, 'controls.copy', { artifactId: ARTIFACT, text: 'x'.repeat(200_001) }, 'INVALID_INPUT'],
    ['an export with a short justification', reviewer, 'controls.export', { kind: 'csv', artifactId: ARTIFACT, label: 'rows', justification: 'because', passphrase: 'x', csv: 'a,b' }, 'INVALID_INPUT'],
    ['an export naming its own output path', reviewer, 'controls.export', { kind: 'csv', artifactId: ARTIFACT, label: 'rows', justification: 'a justification long enough', passphrase: 'x', csv: 'a,b', path: '/tmp/x.csv' }, 'INVALID_INPUT'],
    ['a watermark code that is not 12 hex digits', auditor, 'audit.resolveWatermark', { code: 'zz' }, 'INVALID_INPUT'],
    ['a print attempt from an unknown place', reviewer, 'controls.printAttempt', { where: 'printer' }, 'INVALID_INPUT'],
  ])('refuses %s', async (_name, caller, channel, payload, code) => {
    const { router, records } = setup(DEFAULT_POLICY, caller);
    const result = await router.handle(channel, payload, TOP);
    expect(result).toMatchObject({ ok: false, error: { code } });
    expect(records).toHaveLength(1);
    expect(records[0]?.outcome).toBe('denied');
  });

  it('logs a denied copy attempt with artifact and length, no text', async () => {
    const { router, records } = setup(DEFAULT_POLICY, reviewer);
    expect(await router.handle('controls.copyAttempt', { artifactId: ARTIFACT, action: 'cut', length: 74 }, TOP)).toEqual({ ok: true, value: { decision: 'denied' } });
    expect(records[0]).toMatchObject({ event: 'copy.attempt', object: { kind: 'artifact', id: ARTIFACT }, detail: { action: 'cut', length: 74, decision: 'denied', mode: 'deny' } });
  });

  it('a fingerprinted copy is logged with its length and decision, never its text', async () => {
    const { router, records } = setup({ ...DEFAULT_POLICY, copyMode: 'fingerprint' }, reviewer);
    const result = await router.handle('controls.copy', { artifactId: ARTIFACT, text: SECRET_TEXT }, TOP);
    expect(result).toMatchObject({ ok: true, value: { decision: 'allowed', placedBy: 'renderer', length: SECRET_TEXT.length } });
    expect(records[0]).toMatchObject({ event: 'copy.decision', outcome: 'success', detail: { decision: 'allowed', fingerprinted: true, length: SECRET_TEXT.length } });
    expect(JSON.stringify(records)).not.toContain('synthesis');
  });

  it('a refused export is logged against its artifact with the justification, never the passphrase', async () => {
    const { router, records } = setup(DEFAULT_POLICY, reviewer);
    const result = await router.handle(
      'controls.export',
      { kind: 'csv', artifactId: ARTIFACT, label: 'rows', justification: 'Needed as evidence for finding F-3.', passphrase: 'my secret passphrase', csv: 'a,b' },
      TOP,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'DENIED' } });
    expect(records[0]).toMatchObject({ event: 'export.decision', outcome: 'failure', errorCode: 'DENIED', object: { kind: 'artifact', id: ARTIFACT }, detail: { decision: 'denied', justification: 'Needed as evidence for finding F-3.' } });
    expect(JSON.stringify(records)).not.toContain('my secret passphrase');
  });

  it('print attempts are accepted from reviewers and auditors and always denied', async () => {
    for (const caller of [reviewer, auditor]) {
      const { router, records } = setup(DEFAULT_POLICY, caller);
      expect(await router.handle('controls.printAttempt', { where: 'frame' }, TOP)).toEqual({ ok: true, value: { decision: 'denied' } });
      expect(records[0]).toMatchObject({ event: 'print.attempt', object: { kind: 'print', id: 'frame' }, detail: { decision: 'denied' } });
    }
  });
});
