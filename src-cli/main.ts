/**
 * rwctl: the workstation's services without Electron, for auditors, administrators, automation and
 * tests. Every command group registers here; the runner parses, runs, and maps errors to exit codes.
 */
import { isRwError } from '../src-shared/errors';
import { parseArgs } from './args';
import { EXIT, type CliIo, type Command } from './command';
import { exitCodeFor } from './exit-code';
import { PACKAGE_COMMANDS } from './package-commands';
import { IMPORT_COMMANDS } from './import-command';
import { VAULT_COMMANDS } from './vault-commands';
import { CASES_COMMANDS } from './cases-commands';
import { AUDIT_COMMANDS } from './audit-commands';
import { SERVER_COMMANDS } from './server-commands';
import { ATTEST_COMMANDS } from './attest-commands';
import { ENROLL_COMMANDS } from './enroll-commands';
import { SYNC_COMMANDS } from './sync-commands';
import { WATERMARK_COMMANDS } from './watermark-commands';
import { POLICY_COMMANDS } from './policy-commands';
import { FINDINGS_COMMANDS } from './findings-commands';
import { EVIDENCE_COMMANDS } from './evidence-commands';
import { CLAIMS_COMMANDS } from './claims-commands';
import { SEARCH_COMMANDS } from './search-command';

const COMMAND_GROUPS: Command[][] = [VAULT_COMMANDS, CASES_COMMANDS, SERVER_COMMANDS, PACKAGE_COMMANDS, IMPORT_COMMANDS, AUDIT_COMMANDS, ATTEST_COMMANDS, ENROLL_COMMANDS, SYNC_COMMANDS, WATERMARK_COMMANDS, POLICY_COMMANDS, EVIDENCE_COMMANDS, SEARCH_COMMANDS, CLAIMS_COMMANDS, FINDINGS_COMMANDS];

export function allCommands(): Command[] {
  return COMMAND_GROUPS.flat();
}

function findCommand(commands: Command[], argv: string[]): { command: Command; rest: string[] } | null {
  let best: { command: Command; rest: string[] } | null = null;
  for (const command of commands) {
    const n = command.path.length;
    if (argv.length >= n && command.path.every((word, i) => argv[i] === word)) {
      if (!best || n > best.command.path.length) best = { command, rest: argv.slice(n) };
    }
  }
  return best;
}

export function usageText(commands: Command[]): string {
  const lines = ['Usage: rwctl <command> [options]', '', 'Commands:'];
  for (const c of [...commands].sort((a, b) => a.path.join(' ').localeCompare(b.path.join(' ')))) {
    lines.push(`  ${c.path.join(' ').padEnd(28)} ${c.summary}`);
  }
  lines.push(
    '',
    'Passphrases never come from the command line: RW_PASSPHRASE, --passphrase-file FILE, --passphrase-stdin (first line of standard input) or a prompt.',
    'A new passphrase (vault init, add-user, change-passphrase): RW_NEW_PASSPHRASE or a prompt typed twice.',
    '',
    'Exit codes: 0 ok, 1 input refused, 2 usage, 3 authentication failed or locked out, 4 internal error.',
  );
  return lines.join('\n') + '\n';
}

function commandHelp(command: Command): string {
  const lines = [`Usage: rwctl ${command.path.join(' ')} ${command.positionals.map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`)).join(' ')}`.trimEnd(), '', command.summary, ''];
  for (const p of command.positionals) lines.push(`  ${p.name.padEnd(24)} ${p.description}`);
  for (const [name, spec] of Object.entries(command.options)) {
    const value = spec.kind === 'boolean' ? '' : ' VALUE';
    lines.push(`  --${(name + value).padEnd(22)} ${spec.description}${spec.required ? ' (required)' : ''}${spec.kind === 'repeatable' ? ' (repeatable)' : ''}`);
  }
  return lines.join('\n') + '\n';
}

/** Every command that signs in with a passphrase file also takes it on standard input (for pipes from a secret store). */
function withStdinPassphrase(command: Command): Command {
  if (!('passphrase-file' in command.options) || 'passphrase-stdin' in command.options) return command;
  return {
    ...command,
    options: { ...command.options, 'passphrase-stdin': { kind: 'boolean', description: 'Read the passphrase from the first line of standard input' } },
  };
}

export async function runCli(argv: string[], io: CliIo, commands: Command[] = allCommands()): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    io.stdout(usageText(commands));
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  const match = findCommand(commands, argv);
  const found = match ? { ...match, command: withStdinPassphrase(match.command) } : null;
  if (!found) {
    io.stderr(`rwctl: unknown command "${argv.join(' ')}". Run "rwctl --help".\n`);
    return EXIT.usage;
  }
  if (found.rest.includes('--help')) {
    io.stdout(commandHelp(found.command));
    return EXIT.ok;
  }
  try {
    const args = parseArgs(found.command, found.rest);
    return await found.command.run(args, io);
  } catch (error) {
    if (isRwError(error)) {
      io.stderr(`rwctl: ${error.message}\n`);
      return exitCodeFor(error.code);
    }
    // Unknown failures never print their stack or message: either could carry a path or a secret.
    io.stderr(`rwctl: internal error (${error instanceof Error ? error.name : 'unknown'}).\n`);
    return EXIT.internal;
  }
}
