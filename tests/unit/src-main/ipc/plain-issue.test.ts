import { describe, expect, it } from 'vitest';
import { plainIssue } from '../../../../src-main/ipc/router';

describe('plainIssue', () => {
  it.each([
    [{ path: ['passphrase'], message: 'At least 12 characters.' }, 'Passphrase: at least 12 characters.'],
    [{ path: ['authPassphrase'], message: 'Enter your passphrase to authorise this.' }, 'Auth passphrase: enter your passphrase to authorise this.'],
    [{ path: ['items', 3, 'name'], message: 'Required' }, 'Name: required.'],
    [{ path: [], message: 'Unrecognized key: "x"' }, 'The request was not valid: Unrecognized key: "x".'],
    [undefined, 'The request was not valid.'],
  ])('%j reads "%s" (one full stop, the field as a label)', (issue, expected) => {
    expect(plainIssue(issue)).toBe(expected);
  });
});
