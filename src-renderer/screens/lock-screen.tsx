/**
 * The locked app: the consent banner (the policy's text, shown before anyone signs in), then either
 * the first-run "create vault" form or the unlock form. Passphrases live only in the form's DOM state
 * until submitted, and the fields are cleared whatever the answer.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import type { SessionStatus } from '../../src-shared/ipc/channels-session';
import { useCreateVault, useUnlock } from '../api/hooks';
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
        {status.vault === 'none' ? <CreateVaultForm /> : <UnlockForm />}
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

function UnlockForm() {
  const unlock = useUnlock();
  const ids = useId();
  const [user, setUser] = useState('');
  const pass = useRef<HTMLInputElement>(null);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const passphrase = pass.current?.value ?? '';
    unlock.mutate(
      { user: user.trim(), passphrase },
      {
        onSettled: () => {
          if (pass.current) pass.current.value = '';
        },
        onError: () => pass.current?.focus(),
      },
    );
  };

  return (
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
  );
}
