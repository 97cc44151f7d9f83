/**
 * Settings: the theme of this workstation (the one thing here a user changes, as on the lock screen);
 * then, read-only, the policy in force with every control's value, who signed it, the trust root it was
 * checked against, the central server, and (for reviewers) the sync status and outbox. None of those
 * can be changed from the app: the central office signs the policy.
 */
import type { SessionStatus } from '../../src-shared/ipc/channels-session';
import { useSettings } from '../api/admin-hooks';
import { useOutbox } from '../api/attest-hooks';
import { ErrorAlert } from '../components/error-alert';
import { ThemeSelect } from '../components/theme-select';

function when(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

export function SettingsScreen({ status }: { status: SessionStatus }) {
  const settings = useSettings();
  return (
    // Focusable: a page of text without controls must still scroll from the keyboard.
    <main id="main" className="settings-screen" tabIndex={0}>
      <h1>Settings</h1>
      <section aria-labelledby="display-heading">
        <h2 id="display-heading">Display</h2>
        <ThemeSelect />
      </section>
      <p className="hint">The rest is read-only: the policy is signed by the central office and changes only when they send a new one.</p>
      {settings.isPending ? <p className="loading">Loading settings…</p> : null}
      <ErrorAlert error={settings.error} />
      {settings.data ? (
        <>
          <section aria-labelledby="policy-heading">
            <h2 id="policy-heading">Policy in force</h2>
            <dl className="settings-list">
              <dt>Version</dt>
              <dd>{settings.data.policy.version}</dd>
              <dt>Source</dt>
              <dd>{settings.data.policy.source}</dd>
              <dt>Signed by</dt>
              <dd className="digest">{settings.data.policy.signer ?? 'nobody (built-in default)'}</dd>
              {settings.data.policy.controls.map((c) => (
                <div key={c.name}>
                  <dt>{c.name}</dt>
                  <dd>{c.value}</dd>
                </div>
              ))}
            </dl>
          </section>
          <section aria-labelledby="trust-heading">
            <h2 id="trust-heading">Trust root</h2>
            <p>{settings.data.trustRoot}</p>
            <dl className="settings-list">
              <dt>Workstation</dt>
              <dd className="digest">{settings.data.workstationId}</dd>
            </dl>
          </section>
          <section aria-labelledby="server-heading">
            <h2 id="server-heading">Central server</h2>
            {settings.data.enrollment ? (
              <dl className="settings-list">
                <dt>Enrolled with</dt>
                <dd>{settings.data.enrollment.serverName}</dd>
                <dt>Address</dt>
                <dd>{settings.data.enrollment.serverUrl ?? 'none: attestations travel on removable media'}</dd>
                <dt>Server key</dt>
                <dd className="digest">{settings.data.enrollment.serverKey}</dd>
                <dt>Enrolled at</dt>
                <dd>{when(settings.data.enrollment.installedAt)}</dd>
                <dt>Trusted submitter keys</dt>
                <dd>{settings.data.enrollment.trustedSubmitterKeys.length === 0 ? 'none' : settings.data.enrollment.trustedSubmitterKeys.join(', ')}</dd>
              </dl>
            ) : (
              <p>Not enrolled yet. Administration has the enrollment request and approval import.</p>
            )}
          </section>
          {status.role === 'reviewer' ? <SyncSection /> : null}
        </>
      ) : null}
    </main>
  );
}

function SyncSection() {
  const outbox = useOutbox();
  return (
    <section aria-labelledby="sync-heading">
      <h2 id="sync-heading">Sync status and outbox</h2>
      <ErrorAlert error={outbox.error} />
      {outbox.data ? (
        <>
          <p>
            {outbox.data.items.filter((i) => i.state === 'pending').length} awaiting transfer, {outbox.data.items.filter((i) => i.state === 'delivered').length} delivered.
            {outbox.data.witnessedSize !== null ? ` The central witness last cosigned the access log at ${outbox.data.witnessedSize} entries.` : ' No checkpoint has been witnessed yet.'}
          </p>
          {outbox.data.items.length > 0 ? (
            <ul>
              {outbox.data.items.map((i) => (
                <li key={i.envelopeSha256}>
                  {i.label}: {i.state === 'delivered' ? `delivered${i.serverLogIndex !== null ? ` (server log index ${i.serverLogIndex})` : ''}` : `awaiting transfer, ${i.attempts} attempt(s)`}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
