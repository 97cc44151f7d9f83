/**
 * The locked app: the consent banner (the policy's text, shown before anyone signs in), then either
 * the first-run "create vault" form or the unlock form, with the way out of a lockout where one happens. Passphrases live only in the form's DOM state
 * until submitted, and the fields are cleared whatever the answer.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import type { SessionStatus } from '../../src-shared/ipc/channels-session';
import { useCreateVault, useUnlock } from '../api/hooks';
import { useClearLockout, useLockoutRelease, useLockoutStatus } from '../api/admin-hooks';
import { ErrorAlert } from '../components/error-alert';

export function LockScreen({ status }: { status: SessionStatus }) {
  return (
    <main id="main" className="lock-screen" tabIndex={-1}>
      <div className="lock-card">
        <p className="classification" aria-label={`Classification: ${status.classification}`}>
          {status.classification}
        </p>
        <h1>Reviewer Workstation</h1>
        <section className="consent" aria-labelledby="consent-title">
          <h2 id="consent-title">Notice and consent</h2>
          <p>{status.consentBanner}</p>
        </section>
        {status.vault === 'none' ? <CreateVaultForm /> : <UnlockForm preview={status.preview} />}
      </div>
    </main>
  );
}

function CreateVaultForm() {
  const create = useCreateVault();
  const ids = useId();
  const [user, setUser] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const pass = useRef<HTMLInputElement>(null);
  const confirm = useRef<HTMLInputElement>(null);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const passphrase = pass.current?.value ?? '';
    if (passphrase !== (confirm.current?.value ?? '')) {
      setMismatch(true);
      confirm.current?.focus();
      return;
    }
    setMismatch(false);
    create.mutate(
      { user: user.trim(), passphrase },
      {
        onSettled: () => {
          if (pass.current) pass.current.value = '';
          if (confirm.current) confirm.current.value = '';
        },
      },
    );
  };

  return (
    <form className="lock-form" onSubmit={onSubmit} aria-labelledby={`${ids}-title`} noValidate>
      <h2 id={`${ids}-title`}>Create the vault</h2>
      <p className="hint">
        First use on this workstation. Choose your user name and a passphrase of at least 12 characters; it encrypts
        everything stored here and cannot be recovered.
      </p>
      <label htmlFor={`${ids}-user`}>User name</label>
      <input id={`${ids}-user`} name="user" autoComplete="username" required value={user} onChange={(e) => setUser(e.target.value)} />
      <label htmlFor={`${ids}-pass`}>Passphrase</label>
      <input id={`${ids}-pass`} name="passphrase" type="password" autoComplete="new-password" required minLength={12} ref={pass} aria-describedby={`${ids}-pass-hint`} />
      <p id={`${ids}-pass-hint`} className="hint">At least 12 characters.</p>
      <label htmlFor={`${ids}-confirm`}>Repeat the passphrase</label>
      <input
        id={`${ids}-confirm`}
        name="confirm"
        type="password"
        autoComplete="new-password"
        required
        ref={confirm}
        aria-invalid={mismatch}
        aria-describedby={mismatch ? `${ids}-mismatch` : undefined}
      />
      {mismatch ? (
        <div id={`${ids}-mismatch`} className="alert alert-error" role="alert">
          <strong className="alert-label">Error:</strong> The two passphrases differ.
        </div>
      ) : null}
      <ErrorAlert error={create.error} />
      <button type="submit" className="primary" disabled={create.isPending}>
        {create.isPending ? 'Creating the vault…' : 'Create vault'}
      </button>
    </form>
  );
}

function UnlockForm({ preview }: { preview: boolean }) {
  const unlock = useUnlock();
  const lockouts = useLockoutStatus();
  // Which way out to offer: kept after the recovery succeeds (its answer stays in view) until the next attempt.
  const [recovery, setRecovery] = useState<string | null>(null);
  const ids = useId();
  const [user, setUser] = useState('');
  const pass = useRef<HTMLInputElement>(null);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const passphrase = pass.current?.value ?? '';
    setRecovery(null);
    unlock.mutate(
      { user: user.trim(), passphrase },
      {
        onSettled: () => {
          if (pass.current) pass.current.value = '';
        },
        onError: (error) => {
          if (error.code === 'LOCKED_OUT') setRecovery(String(error.detail['reason'] ?? ''));
          // A failure may have been the one that locked the workstation: ask again, so its release is offered at once.
          void lockouts.refetch();
          pass.current?.focus();
        },
      },
    );
  };

  return (
    <>
    <form className="lock-form" onSubmit={onSubmit} aria-labelledby={`${ids}-title`} noValidate>
      <h2 id={`${ids}-title`}>Unlock</h2>
      <label htmlFor={`${ids}-user`}>User name</label>
      <input id={`${ids}-user`} name="user" autoComplete="username" required value={user} onChange={(e) => setUser(e.target.value)} />
      <label htmlFor={`${ids}-pass`}>Passphrase</label>
      <input
        id={`${ids}-pass`}
        name="passphrase"
        type="password"
        autoComplete="current-password"
        required
        ref={pass}
        aria-invalid={unlock.isError}
        aria-describedby={unlock.isError ? `${ids}-error` : undefined}
      />
      <ErrorAlert error={unlock.error} id={`${ids}-error`} />
      <button type="submit" className="primary" disabled={unlock.isPending}>
        {unlock.isPending ? 'Unlocking…' : 'Unlock'}
      </button>
    </form>
      <LockoutRecovery
        reason={recovery ?? (lockouts.data?.workstationLocked ? 'workstation' : null)}
        lockedUser={user.trim()}
        workstation={lockouts.data ?? null}
        preview={preview}
        onRecovered={(reason) => {
          // Keep the panel (and its answer) in view although nothing is locked out any more.
          setRecovery(reason);
          unlock.reset();
          void lockouts.refetch();
        }}
      />
    </>
  );
}

/**
 * The way out of a lockout, offered where it happens: a user's, cleared by another reviewer's
 * passphrase; the workstation's, by a release file the central office signs for the id and count shown.
 */
function LockoutRecovery(props: { reason: string | null; lockedUser: string; workstation: { workstationId: string; failures: number } | null; preview: boolean; onRecovered(reason: string): void }) {
  if (props.reason === 'threshold') return <ClearByReviewer lockedUser={props.lockedUser} onRecovered={() => props.onRecovered('threshold')} />;
  if (props.reason === 'workstation') return <ImportRelease workstation={props.workstation} preview={props.preview} onRecovered={() => props.onRecovered('workstation')} />;
  return null;
}

function ClearByReviewer({ lockedUser, onRecovered }: { lockedUser: string; onRecovered(): void }) {
  const ids = useId();
  const clear = useClearLockout();
  const [asUser, setAsUser] = useState('');
  const pass = useRef<HTMLInputElement>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = () => {
    const asPassphrase = pass.current?.value ?? '';
    clear.mutate(
      { user: lockedUser, asUser: asUser.trim(), asPassphrase },
      {
        onSettled: () => {
          if (pass.current) pass.current.value = '';
        },
        onSuccess: () => {
          setDone(`The lockout of ${lockedUser} is cleared; they may unlock again.`);
          onRecovered();
        },
      },
    );
  };
  return (
    <section className="lockout-recovery" aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>Clear {lockedUser}'s lockout</h3>
      <p className="hint">Another reviewer on this workstation can clear it with their own passphrase. It is recorded under both names.</p>
      <label htmlFor={`${ids}-as`}>Reviewer who clears it</label>
      <input id={`${ids}-as`} autoComplete="off" value={asUser} onChange={(e) => setAsUser(e.target.value)} />
      <label htmlFor={`${ids}-pass`}>Their passphrase</label>
      <input id={`${ids}-pass`} type="password" autoComplete="off" ref={pass} />
      <button type="button" onClick={submit} disabled={clear.isPending || asUser.trim() === ''}>
        {clear.isPending ? 'Clearing…' : 'Clear the lockout'}
      </button>
      {done ? (
        <p className="success-note" role="status">
          {done}
        </p>
      ) : null}
      <ErrorAlert error={clear.error} stepUp />
    </section>
  );
}

function ImportRelease({ workstation, preview, onRecovered }: { workstation: { workstationId: string; failures: number } | null; preview: boolean; onRecovered(): void }) {
  const ids = useId();
  const release = useLockoutRelease();
  const [file, setFile] = useState<File | null>(null);
  const done = release.data && !release.data.cancelled ? release.data : null;
  const onSuccess = (result: { cancelled: boolean }) => {
    if (!result.cancelled) onRecovered();
  };
  return (
    <section className="lockout-recovery" aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>Release this workstation</h3>
      <p className="hint">
        Give the central office these two values; they send back a release file (<code>rwctl server lockout-release</code>) that reopens this workstation once.
      </p>
      {workstation ? (
        <dl className="lockout-facts">
          <dt>Workstation</dt>
          <dd>{workstation.workstationId}</dd>
          <dt>Failure count</dt>
          <dd>{workstation.failures}</dd>
        </dl>
      ) : null}
      {preview ? (
        <>
          <label htmlFor={`${ids}-file`}>Release file (.json)</label>
          <input id={`${ids}-file`} type="file" accept=".json,application/json" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <button type="button" disabled={release.isPending || file === null} onClick={() => file && release.mutate({ file }, { onSuccess })}>
            Import the release
          </button>
        </>
      ) : (
        <button type="button" disabled={release.isPending} onClick={() => release.mutate(null, { onSuccess })}>
          Import the release file…
        </button>
      )}
      {done ? (
        <p className="success-note" role="status">
          Workstation released (failure count {done.failures}): unlock again.
        </p>
      ) : null}
      <ErrorAlert error={release.error} />
    </section>
  );
}
