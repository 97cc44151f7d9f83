import type { SessionStatus } from '../../src-shared/ipc/channels-session';
import type { Policy } from '../../src-shared/policy';
import type { Handler } from '../ipc/router';
import type { sessionChannels } from '../../src-shared/ipc/channels-session';
import type { OpenVault, SessionManager } from './session-manager';

type SessionChannels = typeof sessionChannels;

export interface SessionHandlerDeps<V extends OpenVault> {
  sessions: SessionManager<V>;
  policy(): Policy;
  preview: boolean;
}

export function sessionHandlers<V extends OpenVault>(deps: SessionHandlerDeps<V>): { [K in keyof SessionChannels]: Handler<SessionChannels[K]> } {
  const status = (): SessionStatus => {
    const open = deps.sessions.current();
    const policy = deps.policy();
    return {
      vault: deps.sessions.vaultState(),
      user: open?.user ?? null,
      role: open?.role ?? 'anonymous',
      workstationId: open?.workstationId ?? null,
      consentBanner: policy.consentBanner,
      classification: policy.classification,
      preview: deps.preview,
    };
  };
  return {
    'session.status': async () => status(),
    'session.unlock': async ({ user, passphrase }, ctx) => {
      ctx.describe({ kind: 'user', id: user });
      await deps.sessions.unlock(user, passphrase);
      return status();
    },
    'session.lock': async ({ reason }, ctx) => {
      ctx.describe({ kind: 'session', id: ctx.session.user ?? 'unknown' }, { reason });
      deps.sessions.lock(reason);
      return status();
    },
    'vault.create': async ({ user, passphrase }, ctx) => {
      ctx.describe({ kind: 'user', id: user });
      await deps.sessions.create(user, passphrase);
      return status();
    },
  };
}
