import { resolve } from 'node:path';
import { RwError } from '../src-shared/errors';
import type { Command, ParsedArgs } from './command';

/** Parses argv (after the command words) strictly: unknown options and missing values are usage errors. */
export function parseArgs(command: Command, argv: string[]): ParsedArgs {
  const parsed: ParsedArgs = { positionals: [], strings: {}, booleans: {}, lists: {} };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!token.startsWith('--')) {
      parsed.positionals.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const given = token.slice(2, eq === -1 ? undefined : eq);
    const givenSpec = command.options[given];
    if (!givenSpec) throw new RwError('USAGE', `Unknown option --${given} for "rwctl ${command.path.join(' ')}".`);
    // An earlier spelling (aliasOf) is stored under the option's one name.
    const name = givenSpec.aliasOf ?? given;
    const spec = command.options[name] ?? givenSpec;
    if (spec.kind === 'boolean') {
      if (eq !== -1) throw new RwError('USAGE', `--${name} takes no value.`);
      parsed.booleans[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = token.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined || (eq === -1 && value.startsWith('--'))) throw new RwError('USAGE', `--${name} needs a value.`);
    if (spec.kind === 'repeatable') (parsed.lists[name] ??= []).push(value);
    else {
      if (name in parsed.strings) throw new RwError('USAGE', `--${name} was given twice.`);
      parsed.strings[name] = value;
    }
  }
  for (const [name, spec] of Object.entries(command.options)) {
    if (!spec.required) continue;
    const given = name in parsed.strings || name in parsed.booleans || (parsed.lists[name]?.length ?? 0) > 0;
    if (!given) throw new RwError('USAGE', `--${name} is required for "rwctl ${command.path.join(' ')}".`);
  }
  const required = command.positionals.filter((p) => p.required).length;
  if (parsed.positionals.length < required) {
    throw new RwError('USAGE', `Missing ${command.positionals[parsed.positionals.length]?.name ?? 'argument'} for "rwctl ${command.path.join(' ')}".`);
  }
  if (parsed.positionals.length > command.positionals.length && !command.positionals[command.positionals.length - 1]?.variadic) {
    throw new RwError('USAGE', `Unexpected argument "${parsed.positionals[command.positionals.length]}".`);
  }
  return parsed;
}

/** A file or folder option, resolved against the caller's working folder. */
export function pathOption(args: ParsedArgs, cwd: string, name: string): string {
  const value = args.strings[name];
  if (!value) throw new RwError('USAGE', `--${name} is required.`);
  return resolve(cwd, value);
}

/** A positive integer option, refused as a usage error when malformed. */
export function intOption(args: ParsedArgs, name: string, fallback?: number): number {
  const raw = args.strings[name];
  if (raw === undefined) {
    if (fallback === undefined) throw new RwError('USAGE', `--${name} is required.`);
    return fallback;
  }
  if (!/^\d{1,9}$/.test(raw)) throw new RwError('USAGE', `--${name} must be a whole number.`);
  return Number(raw);
}
