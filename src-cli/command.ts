/**
 * The shape every rwctl command takes. A command declares its options and positionals; the parser
 * (args.ts) turns argv into typed values before `run` is called, so commands never see raw argv.
 */
import type { Readable } from 'node:stream';

export type OptionKind = 'string' | 'boolean' | 'repeatable';

export interface OptionSpec {
  kind: OptionKind;
  description: string;
  required?: boolean;
  /** An earlier spelling kept working for scripts: its value lands under this option's name. */
  aliasOf?: string;
}

/** The one spelling of "a public key to verify or trust with" across rwctl (PEM, or base64 raw Ed25519 where a command says so). */
export const PUBKEY_OPTION = 'pubkey';

/** An earlier spelling of --pubkey, accepted and listed in help as such. */
export function pubkeyAlias(kind: OptionKind): OptionSpec {
  return { kind, description: `Earlier spelling of --${PUBKEY_OPTION}`, aliasOf: PUBKEY_OPTION };
}

export interface PositionalSpec {
  name: string;
  description: string;
  required: boolean;
  /** The last positional only: takes every remaining argument (FILE…). */
  variadic?: boolean;
}

export interface ParsedArgs {
  positionals: string[];
  strings: Record<string, string>;
  booleans: Record<string, boolean>;
  lists: Record<string, string[]>;
}

/** Everything a command may touch outside itself comes in here, so tests drive it in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  cwd: string;
  clock(): number;
}

export interface Command {
  /** Words after `rwctl`, e.g. ['vault', 'init']. */
  path: string[];
  summary: string;
  positionals: PositionalSpec[];
  options: Record<string, OptionSpec>;
  /** Returns the process exit code; failures are thrown as RwError and mapped by the runner. */
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/** Exit codes are a contract that scripts rely on (issue: 0 ok, 1 refused, 2 usage, 3 auth). */
export const EXIT = {
  ok: 0,
  refused: 1,
  usage: 2,
  auth: 3,
  internal: 4,
} as const;
