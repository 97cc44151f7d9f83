/**
 * Plain-language form validation, one problem at a time: the first failing rule names its field and
 * says what to do; it is cleared as soon as the field is fixed (checked again on every change once the
 * form has been submitted). Replaces router messages like "The request was not valid (passphrase)".
 */
import { useState } from 'react';

export interface Rule<F extends string> {
  field: F;
  ok: boolean;
  message: string;
}

export function firstProblem<F extends string>(rules: readonly Rule<F>[]): Rule<F> | null {
  return rules.find((r) => !r.ok) ?? null;
}

export type FormCheck<F extends string> = ReturnType<typeof useFormCheck<F>>;

export function useFormCheck<F extends string>(rules: () => readonly Rule<F>[]) {
  const [submitted, setSubmitted] = useState(false);
  const problem = submitted ? firstProblem(rules()) : null;
  return {
    problem,
    /** True when the form may be sent; otherwise focuses the field at fault. */
    check(focus: (field: F) => void): boolean {
      setSubmitted(true);
      const p = firstProblem(rules());
      if (p) focus(p.field);
      return p === null;
    },
    reset: () => setSubmitted(false),
    /** The message for this field, when it is the one at fault. */
    problemOf: (field: F): string | null => (problem?.field === field ? problem.message : null),
    /** Props for a field: invalid state and the message it is described by. */
    fieldProps(field: F, id: string) {
      const mine = problem?.field === field;
      return { 'aria-invalid': mine || undefined, 'aria-describedby': mine ? `${id}-problem` : undefined } as const;
    },
  };
}
