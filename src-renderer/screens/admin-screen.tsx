/**
 * Administration: who may sign in here (list, add, remove), one's own passphrase, and enrollment with
 * the central office. Changes to users need the acting reviewer's passphrase again. An auditor sees
 * the list and may change their own passphrase; the rest says plainly that it is a reviewer's job.
 */
import { useId, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { RwError } from '../../src-shared/errors';
import type { SessionStatus } from '../../src-shared/ipc/channels-session';
import { useAddUser, useChangePassphrase, useClearLockout, useEnrollImport, useEnrollRequest, useLockoutStatus, useRemoveUser, useUsers } from '../api/admin-hooks';
import { ErrorAlert } from '../components/error-alert';
import { useFormCheck, type FormCheck } from '../components/form-check';

const MIN = 12;

function Problem({ id, message }: { id: string; message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p id={`${id}-problem`} className="field-error">
      {message}
    </p>
  );
}

function Field({ id, label, children, problem }: { id: string; label: string; children: ReactNode; problem?: string | null }) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <div>
        {children}
        <Problem id={id} message={problem} />
      </div>
    </>
  );
}

/** A labelled input whose problem, when the form check names it, is announced beside it. */
function CheckedInput<F extends string>(props: {
  form: FormCheck<F>;
  field: F;
  id: string;
  label: string;
  inputRef: RefObject<HTMLInputElement | null>;
  value: string;
  onChange(value: string): void;
  autoComplete: 'off' | 'current-password' | 'new-password';
}) {
  const { form, field, id } = props;
  return (
    <Field id={id} label={props.label} problem={form.problemOf(field)}>
      <input
        id={id}
        ref={props.inputRef}
        type={props.autoComplete === 'off' ? 'text' : 'password'}
        autoComplete={props.autoComplete}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        {...form.fieldProps(field, id)}
      />
    </Field>
  );
}

export function AdminScreen({ status }: { status: SessionStatus }) {
  const reviewer = status.role === 'reviewer';
  return (
    <main id="main" className="admin-screen" tabIndex={-1}>
      <h1>Administration</h1>
      <UsersSection me={status.user ?? ''} reviewer={reviewer} />
      {reviewer ? <AddUserSection /> : <p>Only a reviewer may add or remove users.</p>}
      <LockoutsSection me={status.user ?? ''} reviewer={reviewer} />
      <ChangePassphraseSection />
      {reviewer ? <EnrollmentSection preview={status.preview} /> : null}
    </main>
  );
}

function UsersSection({ me, reviewer }: { me: string; reviewer: boolean }) {
  const users = useUsers();
  const [removing, setRemoving] = useState<string | null>(null);
  return (
    <section aria-labelledby="users-heading">
      <h2 id="users-heading">Users</h2>
      {users.isPending ? <p className="loading">Loading users…</p> : null}
      <ErrorAlert error={users.error} />
      {users.data ? (
        <table className="admin-table">
          <caption className="visually-hidden">Users of this workstation</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              {reviewer ? <th scope="col">Action</th> : null}
            </tr>
          </thead>
          <tbody>
            {users.data.users.map((u) => (
              <tr key={u.name}>
                <th scope="row">
                  {u.name}
                  {u.name === me ? ' (you)' : ''}
                </th>
                <td>{u.role}</td>
                {reviewer ? (
                  <td>
                    <RowAction show={u.name !== me} label={`Remove ${u.name}`} open={removing === u.name} onOpen={() => setRemoving(u.name)} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {removing ? <RemoveUserForm name={removing} onDone={() => setRemoving(null)} /> : null}
    </section>
  );
}

/** An action on another user, confirmed with the acting reviewer's own passphrase (removal, clearing a lockout). */
function ConfirmWithPassphrase(props: {
  title: string;
  question: string;
  missing: string;
  submit: string;
  pending: string;
  danger?: boolean;
  busy: boolean;
  error: RwError | null;
  onConfirm(passphrase: string): void;
  onDone(): void;
}) {
  const id = useId();
  const [auth, setAuth] = useState('');
  const authRef = useRef<HTMLInputElement>(null);
  const form = useFormCheck(() => [{ field: 'auth' as const, ok: auth.length > 0, message: props.missing }]);
  return (
    <form
      className="admin-form"
      aria-label={props.title}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!form.check(() => authRef.current?.focus())) return;
        props.onConfirm(auth);
      }}
    >
      <p className="form-actions">{props.question}</p>
      <CheckedInput form={form} field="auth" id={`${id}-auth`} label="Your passphrase" inputRef={authRef} autoComplete="current-password" value={auth} onChange={setAuth} />
      <div className="form-actions">
        <button type="submit" className={props.danger ? 'danger' : undefined} disabled={props.busy}>
          {props.busy ? props.pending : props.submit}
        </button>{' '}
        <button type="button" onClick={props.onDone}>
          Cancel
        </button>
        <ErrorAlert error={props.error} stepUp />
      </div>
    </form>
  );
}

function RemoveUserForm({ name, onDone }: { name: string; onDone(): void }) {
  const remove = useRemoveUser();
  return (
    <ConfirmWithPassphrase
      title={`Remove ${name}`}
      question={`Remove ${name}? They will no longer be able to sign in on this workstation.`}
      missing="Enter your passphrase to authorise the removal."
      submit={`Remove ${name}`}
      pending="Removing…"
      danger
      busy={remove.isPending}
      error={remove.error}
      onConfirm={(authPassphrase) => remove.mutate({ name, authPassphrase }, { onSuccess: onDone })}
      onDone={onDone}
    />
  );
}

/** The button that opens an action on another user's row (none on one's own row, none for an auditor). */
function RowAction({ show, label, open, onOpen }: { show: boolean; label: string; open: boolean; onOpen(): void }) {
  return show ? (
    <button type="button" onClick={onOpen} aria-expanded={open}>
      {label}
    </button>
  ) : null;
}

/** Failed unlocks per user and for the workstation; a reviewer clears another user's lockout with their own passphrase. */
function LockoutsSection({ me, reviewer }: { me: string; reviewer: boolean }) {
  const id = useId();
  const status = useLockoutStatus();
  const [clearing, setClearing] = useState<string | null>(null);
  const view = status.data;
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Lockouts</h2>
      <ErrorAlert error={status.error} />
      {view ? (
        <>
          <p>
            Workstation {view.workstationId}: {view.workstationLocked ? 'locked out' : 'open'}, failure count {view.failures}.
          </p>
          {view.users.length === 0 ? (
            <p>No user has failed unlock attempts.</p>
          ) : (
            <table className="admin-table">
              <caption className="visually-hidden">Users with failed unlock attempts</caption>
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Failed attempts</th>
                  <th scope="col">State</th>
                  {reviewer ? <th scope="col">Action</th> : null}
                </tr>
              </thead>
              <tbody>
                {view.users.map((u) => (
                  <tr key={u.user}>
                    <th scope="row">{u.user}</th>
                    <td>{u.failures}</td>
                    <td>{u.locked ? 'locked out' : 'may try again'}</td>
                    {reviewer ? (
                      <td>
                        <RowAction show={u.user !== me} label={`Clear ${u.user}`} open={clearing === u.user} onOpen={() => setClearing(u.user)} />
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {!reviewer ? <p>Only a reviewer may clear a lockout.</p> : null}
        </>
      ) : null}
      {clearing ? <ClearLockoutForm name={clearing} me={me} onDone={() => setClearing(null)} /> : null}
    </section>
  );
}

function ClearLockoutForm({ name, me, onDone }: { name: string; me: string; onDone(): void }) {
  const clear = useClearLockout();
  return (
    <ConfirmWithPassphrase
      title={`Clear the lockout of ${name}`}
      question={`Clear the lockout of ${name}? The record names you both.`}
      missing="Enter your passphrase to clear the lockout."
      submit={`Clear ${name}`}
      pending="Clearing…"
      busy={clear.isPending}
      error={clear.error}
      onConfirm={(asPassphrase) => clear.mutate({ user: name, asUser: me, asPassphrase }, { onSuccess: onDone })}
      onDone={onDone}
    />
  );
}

type AddField = 'name' | 'pass' | 'repeat' | 'auth';

function AddUserSection() {
  const id = useId();
  const [name, setName] = useState('');
  const [role, setRole] = useState<'reviewer' | 'auditor'>('auditor');
  const [pass, setPass] = useState('');
  const [repeat, setRepeat] = useState('');
  const [auth, setAuth] = useState('');
  const add = useAddUser();
  const refs = { name: useRef<HTMLInputElement>(null), pass: useRef<HTMLInputElement>(null), repeat: useRef<HTMLInputElement>(null), auth: useRef<HTMLInputElement>(null) };
  const form = useFormCheck<AddField>(() => [
    { field: 'name', ok: name.trim().length > 0, message: 'Enter a user name.' },
    { field: 'name', ok: /^[\p{L}\p{N}._ -]*$/u.test(name), message: 'A user name uses letters, digits, spaces, dots, dashes and underscores only.' },
    { field: 'pass', ok: [...pass].length >= MIN, message: `The new user's passphrase needs at least ${MIN} characters (it has ${[...pass].length}).` },
    { field: 'repeat', ok: repeat === pass, message: 'The two passphrases differ.' },
    { field: 'auth', ok: auth.length > 0, message: 'Enter your own passphrase to authorise adding a user.' },
  ]);
  const [added, setAdded] = useState<string | null>(null);
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Add a user</h2>
      <p className="hint">A reviewer reads cases and signs attestations; an auditor reads only the access log. Your passphrase authorises the change.</p>
      <form
        className="admin-form"
        noValidate
        aria-labelledby={`${id}-heading`}
        onSubmit={(e) => {
          e.preventDefault();
          setAdded(null);
          if (!form.check((f) => refs[f].current?.focus())) return;
          add.mutate(
            { name: name.trim(), role, passphrase: pass, authPassphrase: auth },
            {
              onSuccess: () => {
                setAdded(`${name.trim()} was added as ${role === 'auditor' ? 'an auditor' : 'a reviewer'}.`);
                setName('');
                setPass('');
                setRepeat('');
                setAuth('');
                form.reset();
              },
            },
          );
        }}
      >
        <CheckedInput form={form} field="name" id={`${id}-name`} label="User name" inputRef={refs.name} autoComplete="off" value={name} onChange={setName} />
        <label htmlFor={`${id}-role`}>Role</label>
        <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value === 'reviewer' ? 'reviewer' : 'auditor')}>
          <option value="auditor">Auditor</option>
          <option value="reviewer">Reviewer</option>
        </select>
        <CheckedInput form={form} field="pass" id={`${id}-pass`} label="Their passphrase" inputRef={refs.pass} autoComplete="new-password" value={pass} onChange={setPass} />
        <CheckedInput form={form} field="repeat" id={`${id}-repeat`} label="Repeat their passphrase" inputRef={refs.repeat} autoComplete="new-password" value={repeat} onChange={setRepeat} />
        <CheckedInput form={form} field="auth" id={`${id}-auth`} label="Your passphrase" inputRef={refs.auth} autoComplete="current-password" value={auth} onChange={setAuth} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={add.isPending}>
            {add.isPending ? 'Adding…' : 'Add user'}
          </button>
          {added ? (
            <p className="success-note" role="status">
              {added}
            </p>
          ) : null}
          <ErrorAlert error={add.error} stepUp />
        </div>
      </form>
    </section>
  );
}

type PassField = 'current' | 'next' | 'repeat';

function ChangePassphraseSection() {
  const id = useId();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const change = useChangePassphrase();
  const refs = { current: useRef<HTMLInputElement>(null), next: useRef<HTMLInputElement>(null), repeat: useRef<HTMLInputElement>(null) };
  const form = useFormCheck<PassField>(() => [
    { field: 'current', ok: current.length > 0, message: 'Enter your current passphrase.' },
    { field: 'next', ok: [...next].length >= MIN, message: `The new passphrase needs at least ${MIN} characters (it has ${[...next].length}).` },
    { field: 'next', ok: next !== current, message: 'The new passphrase must differ from the current one.' },
    { field: 'repeat', ok: repeat === next, message: 'The two new passphrases differ.' },
  ]);
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Change your passphrase</h2>
      <form
        className="admin-form"
        noValidate
        aria-labelledby={`${id}-heading`}
        onSubmit={(e) => {
          e.preventDefault();
          if (!form.check((f) => refs[f].current?.focus())) return;
          change.mutate(
            { current, next },
            {
              onSuccess: () => {
                setCurrent('');
                setNext('');
                setRepeat('');
                form.reset();
              },
            },
          );
        }}
      >
        <CheckedInput form={form} field="current" id={`${id}-current`} label="Current passphrase" inputRef={refs.current} autoComplete="current-password" value={current} onChange={setCurrent} />
        <CheckedInput form={form} field="next" id={`${id}-next`} label="New passphrase" inputRef={refs.next} autoComplete="new-password" value={next} onChange={setNext} />
        <CheckedInput form={form} field="repeat" id={`${id}-repeat`} label="Repeat the new passphrase" inputRef={refs.repeat} autoComplete="new-password" value={repeat} onChange={setRepeat} />
        <div className="form-actions">
          <button type="submit" disabled={change.isPending}>
            {change.isPending ? 'Changing…' : 'Change passphrase'}
          </button>
          {change.isSuccess ? (
            <p className="success-note" role="status">
              Your passphrase was changed. Use the new one from your next sign-in.
            </p>
          ) : null}
          <ErrorAlert error={change.error} stepUp />
        </div>
      </form>
    </section>
  );
}

function EnrollmentSection({ preview }: { preview: boolean }) {
  const id = useId();
  const request = useEnrollRequest();
  const importApproval = useEnrollImport();
  const [file, setFile] = useState<File | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const form = useFormCheck(() => [{ field: 'file' as const, ok: file !== null, message: 'Choose the approval file from the central office first.' }]);
  const imported = importApproval.data && !importApproval.data.cancelled ? importApproval.data : null;
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Enrollment with the central office</h2>
      <p className="hint">
        1. Write the enrollment request and carry it to the central office. 2. Import the signed approval they send back: it installs their policy, their server key and the
        submitter keys this workstation trusts.
      </p>
      <div className="admin-row">
        <button type="button" onClick={() => request.mutate()} disabled={request.isPending}>
          {preview ? 'Write the enrollment request' : 'Write the enrollment request to a folder or drive…'}
        </button>
      </div>
      {request.data?.written ? (
        <p className="success-note" role="status">
          The enrollment request was written to {request.data.where}/{request.data.fileName}.
        </p>
      ) : null}
      <ErrorAlert error={request.error} />
      {preview ? (
        <form
          className="import-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!form.check(() => fileRef.current?.focus())) return;
            if (file) importApproval.mutate({ file });
          }}
        >
          <label htmlFor={`${id}-file`}>Approval file (.json)</label>
          <input
            id={`${id}-file`}
            ref={fileRef}
            type="file"
            accept=".json,application/json"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            {...form.fieldProps('file', `${id}-file`)}
          />
          <Problem id={`${id}-file`} message={form.problem?.message} />
          <button type="submit" disabled={importApproval.isPending}>
            Import the approval
          </button>
        </form>
      ) : (
        <button type="button" onClick={() => importApproval.mutate(null)} disabled={importApproval.isPending}>
          Import the approval…
        </button>
      )}
      {imported ? (
        <p className="success-note" role="status">
          Enrolled with {imported.serverName}: policy version {imported.policyVersion} is in force; {imported.trustedSubmitterKeys} trusted submitter key
          {imported.trustedSubmitterKeys === 1 ? '' : 's'}.
        </p>
      ) : null}
      <ErrorAlert error={importApproval.error} />
    </section>
  );
}
