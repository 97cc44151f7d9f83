import type { RwError } from '../../src-shared/errors';
import { describeError } from './describe-error';

/** An error the user must notice: role=alert, an icon word ("Error") so colour is not the only signal. */
export function ErrorAlert({ error, id, stepUp }: { error: RwError | null; id?: string; stepUp?: boolean }) {
  if (!error) return null;
  return (
    <div className="alert alert-error" role="alert" id={id}>
      <strong className="alert-label">Error:</strong> {describeError(error, Date.now(), { stepUp: stepUp === true })}{' '}
      <span className="alert-code">({error.code})</span>
    </div>
  );
}
