/**
 * Router handlers for the controls channels (src-shared/ipc/channels-controls.ts). Each handler names
 * what it touched and its decision through ctx.describe, so the router's access-log entry carries the
 * artifact, the length, the justification and the digest — never copied text or a passphrase.
 */
import type { controlsChannels } from '../../src-shared/ipc/channels-controls';
import type { Policy } from '../../src-shared/policy';
import type { AuditQuery } from '../audit/audit-query';
import type { Handler } from '../ipc/router';
import { decideCopy, type ClipboardWriter } from './clipboard-gate';
import { exportExcerpt } from './export-gate';
import { resolveWatermarkCode } from './watermark-resolve';
import type { WatermarkSession } from './watermark-session';

type ControlsChannels = typeof controlsChannels;
export type ControlsHandlers = { [K in keyof ControlsChannels]: Handler<ControlsChannels[K]> };

export interface ControlsHandlerDeps {
  policy(): Policy;
  session(): WatermarkSession | null;
  writeClipboard: ClipboardWriter;
  stepUp(passphrase: string): Promise<void>;
  exportDir: string;
  clock(): number;
  /** The access log of the signed-in user's audit.db (throws VAULT_LOCKED when locked). */
  auditQuery(): AuditQuery;
}

export function controlsHandlers(deps: ControlsHandlerDeps): ControlsHandlers {
  return {
    'controls.status': async () => {
      const policy = deps.policy();
      return { copyMode: policy.copyMode, printExportMode: policy.printExportMode, classification: policy.classification };
    },
    'controls.copyAttempt': async ({ artifactId, action, length }, ctx) => {
      ctx.describe({ kind: 'artifact', id: artifactId }, { action, length, decision: 'denied', mode: deps.policy().copyMode });
      return { decision: 'denied' as const };
    },
    'controls.copy': async ({ artifactId, action, text, tabular }, ctx) => {
      const decision = decideCopy({ text, action, tabular }, { policy: deps.policy, sessionCode: () => deps.session()?.code ?? null, writeClipboard: deps.writeClipboard });
      ctx.describe({ kind: 'artifact', id: artifactId }, decision.detail);
      return decision.result;
    },
    'controls.printAttempt': async ({ where }, ctx) => {
      ctx.describe({ kind: 'print', id: where }, { where, decision: 'denied' });
      return { decision: 'denied' as const };
    },
    'controls.export': async (request, ctx) => {
      // Named before the gate runs, so a refused export is logged against its artifact too.
      ctx.describe({ kind: 'artifact', id: request.artifactId }, { kind: request.kind, label: request.label, justification: request.justification, decision: 'denied' });
      const outcome = await exportExcerpt(request, deps);
      ctx.describe({ kind: 'artifact', id: request.artifactId, digest: `sha256:${outcome.result.sha256}` }, outcome.detail);
      return outcome.result;
    },
    'audit.resolveWatermark': async ({ code }, ctx) => {
      const resolution = resolveWatermarkCode(deps.auditQuery(), code);
      ctx.describe({ kind: 'watermark', id: resolution.code }, { found: resolution.found });
      return resolution;
    },
  };
}
