/**
 * rwctl audit verify | checkpoint | list | export | verify-bundle | device-key | resolve-watermark
 * (see ARCHITECTURE: access log; insider-risk controls). Reviewers and auditors may run them (resolve-watermark: whom the app's
 * `audit.resolveWatermark` channel allows): an auditor's slot opens audit.db only. Every command that
 * opens the vault writes one leaf, reads included, so auditors' own reads are on the record; checkpoint
 * and export then sign a checkpoint that covers it.
 *
 * Exit codes: 0 intact, 1 damage found (the first bad sequence number and the kind of damage are
 * printed), as for every rwctl command; resolve-watermark: 0 found, 1 not in the log.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ed25519PublicKey, ed25519RawFromPublicKey, parsePublicKeyPem, publicKeyToPem } from '../src-shared/node/crypto';
import { RwError, isRwError } from '../src-shared/errors';
import { zeroize } from '../src-shared/encoding';
import { devicePublicKey } from '../src-main/attest/own-keys';
import { createAuditBundle, verifyAuditBundle } from '../src-main/audit/audit-bundle';
import { AuditQuery, type LeafFilter } from '../src-main/audit/audit-query';
import { type ExternalCheckpoint, type VerifyReport } from '../src-main/audit/verify-log';
import { verifyAccessLog } from '../src-main/audit/verify-access-log';
import { openProgressStore, type ProgressStore } from '../src-main/audit/verify-progress';
import type { AccessLog } from '../src-main/audit/access-log';
import type { LeafDetail } from '../src-main/audit/log-leaf';
import { resolveWatermarkCode } from '../src-main/controls/watermark-resolve';
import { auditChannels } from '../src-shared/ipc/channels-audit';
import { controlsChannels } from '../src-shared/ipc/channels-controls';
import type { UnlockedVault } from '../src-main/vault/vault';
import { readEnrollment } from '../src-main/attest/enrollment';
import { logOrigin } from '../src-main/audit/access-log';
import { fetchWitnessedCheckpoint } from './witness-checkpoints';
import { pathOption } from './args';
import { appendCliLeaf, openCliAccessLog as cliLog, passphraseFileOption as passphraseFile, runLoggedRead, unlockFromArgs, userOption, vaultOption } from './cli-vault';
import { EXIT, pubkeyAlias, type CliIo, type Command, type ParsedArgs } from './command';

const outOption = { kind: 'string', description: 'Output file', required: true } as const;

function pathArg(args: ParsedArgs, io: CliIo, name: string): string {
  return pathOption(args, io.cwd, name);
}

async function unlock(args: ParsedArgs, io: CliIo): Promise<UnlockedVault> {
  return (await unlockFromArgs(args, io)).vault;
}

/** Signs in, writes the leaf for what the command is about to do, runs it, and closes everything. */
async function withLoggedAction(args: ParsedArgs, io: CliIo, event: string, action: (vault: UnlockedVault, log: AccessLog) => void): Promise<void> {
  const vault = await unlock(args, io);
  try {
    const log = cliLog(vault, io);
    try {
      log.append({ actor: { user: vault.user, role: vault.role }, event, outcome: 'success', detail: {} });
      action(vault, log);
    } finally {
      log.close();
    }
  } finally {
    vault.close();
  }
}

function readFileArg(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch {
    throw new RwError('INVALID_INPUT', `The ${what} ${path} cannot be read.`);
  }
}

function readExternal(args: ParsedArgs, io: CliIo): ExternalCheckpoint[] {
  return (args.lists['checkpoint'] ?? []).map((file) => {
    const path = resolve(io.cwd, file);
    return { label: file, note: readFileArg(path, 'checkpoint file') };
  });
}

function readToken(path: string): string {
  const token = new TextDecoder().decode(readFileArg(path, 'token file')).trim();
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(token)) throw new RwError('INVALID_INPUT', 'The token file does not hold a token.');
  return token;
}

function readDeviceKey(args: ParsedArgs, io: CliIo): string {
  const path = pathArg(args, io, 'pubkey');
  const text = new TextDecoder().decode(readFileArg(path, 'device key file'));
  try {
    const key = parsePublicKeyPem(text);
    if (key.algorithm !== 'ed25519') throw new Error('algorithm');
  } catch {
    throw new RwError('INVALID_INPUT', 'The device key is not an Ed25519 public key in PEM.');
  }
  return text;
}

function printReport(report: VerifyReport, io: CliIo, json: boolean): number {
  if (json) {
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  } else if (report.ok) {
    io.stdout(`Audit log intact: ${report.size} leaves, ${report.checkpoints} signed checkpoints, root ${report.root}.\n`);
    if (report.resumed) {
      const { from, verifiedAt } = report.resumed;
      io.stdout(`  leaves 0-${from - 1} were verified by an interrupted run begun ${new Date(verifiedAt).toISOString()}, resumed at leaf ${from} (--fresh reads them again).\n`);
    }
    for (const e of report.external) io.stdout(`  extends checkpoint ${e.label} (size ${e.size}).\n`);
  } else {
    const first = report.problems[0]!;
    io.stdout(`Audit log DAMAGED: first bad sequence number ${first.seq} (${first.kind}): ${first.message}.\n`);
    io.stdout(`  verified through leaf ${report.verifiedSize - 1} of ${report.size}.\n`);
    for (const p of report.problems.slice(1, 20)) io.stdout(`  also at ${p.seq} (${p.kind}): ${p.message}.\n`);
  }
  return report.ok ? EXIT.ok : EXIT.refused;
}

function damagedDatabase(error: unknown): VerifyReport | null {
  // A flipped byte in audit.db fails SQLCipher's page HMAC: at open (VAULT_DAMAGED) or on a later read.
  if (isRwError(error) && error.code !== 'VAULT_DAMAGED') return null;
  const detail = isRwError(error) ? error.message : 'unreadable';
  return {
    ok: false,
    size: 0,
    root: '',
    verifiedSize: 0,
    checkpoints: 0,
    lastCheckpoint: null,
    external: [],
    problems: [{ seq: 0, kind: 'database-damaged', message: `the audit database is damaged (${detail})` }],
  };
}

/**
 * The check's own leaf, written after verification so the verdict covers the log as it was. A damaged
 * log may refuse the write; that is said on stderr and never changes or hides the verdict.
 */
function recordVerification(vault: UnlockedVault, io: CliIo, report: VerifyReport): void {
  try {
    const log = cliLog(vault, io);
    try {
      appendCliLeaf(log, vault, { event: auditChannels['audit.integrity'].event, outcome: 'success', detail: { ok: report.ok, size: report.size, verifiedSize: report.verifiedSize } });
    } finally {
      log.close();
    }
  } catch {
    io.stderr('rwctl: this check could not be written to the access log (the verdict stands).\n');
  }
}

/** Where this verification saves its progress and finds an interrupted one's (none for a vault without a reader). */
function openCliProgressStore(vault: UnlockedVault): ProgressStore | null {
  const reader = vault.auditReader?.();
  if (!reader) return null;
  try {
    return openProgressStore(reader.path, reader.key);
  } finally {
    zeroize(reader.key);
  }
}

function parseSince(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isSafeInteger(ms)) throw new RwError('USAGE', '--since takes UTC milliseconds or an ISO 8601 time.');
  return ms;
}

export function createAuditCommands(): Command[] {
  return [
    {
      path: ['audit', 'verify'],
      summary: 'Verify the access log: leaves, tree, signed checkpoints, and that it extends exported checkpoints',
      positionals: [],
      options: {
        vault: vaultOption,
        user: userOption,
        'passphrase-file': passphraseFile,
        checkpoint: { kind: 'repeatable', description: 'A checkpoint exported earlier (rwctl audit checkpoint) the log must extend' },
        pubkey: { kind: 'string', description: 'Pin the device public key (PEM) instead of trusting the one in the vault' },
        'device-key': pubkeyAlias('string'),
        server: { kind: 'string', description: "The central server's URL: the log must extend the checkpoint its witness last cosigned" },
        'token-file': { kind: 'string', description: 'File holding an auditor token (rwctl server token create --role auditor), with --server' },
        json: { kind: 'boolean', description: 'Print the report as JSON' },
        fresh: { kind: 'boolean', description: 'Verify from leaf 0 even where an interrupted run saved its progress' },
      },
      async run(args, io) {
        const external = readExternal(args, io);
        const server = args.strings['server'];
        if ((server === undefined) !== (args.strings['token-file'] === undefined)) throw new RwError('USAGE', '--server and --token-file go together.');
        const token = server === undefined ? undefined : readToken(pathArg(args, io, 'token-file'));
        const pinned = args.strings['pubkey'] ? ed25519RawFromPublicKey(parsePublicKeyPem(readDeviceKey(args, io))) : undefined;
        let vault: UnlockedVault;
        try {
          vault = await unlock(args, io);
        } catch (error) {
          const report = damagedDatabase(error);
          if (!report) throw error;
          return printReport(report, io, args.booleans['json'] === true);
        }
        try {
          if (server !== undefined && token !== undefined) {
            const enrollment = readEnrollment(vault.audit);
            if (!enrollment) throw new RwError('NOT_FOUND', 'This workstation is not enrolled: there is no pinned server key to check the witness against.');
            const witnessed = await fetchWitnessedCheckpoint({ serverUrl: server, token, origin: logOrigin(vault.workstationId), serverName: enrollment.serverName, serverPublicKey: enrollment.serverPublicKey });
            external.push(witnessed);
          }
          const progressStore = openCliProgressStore(vault);
          let report: VerifyReport;
          try {
            const fresh = args.booleans['fresh'] === true;
            report = verifyAccessLog(vault.audit, { externalCheckpoints: external, fresh, ...(progressStore ? { progressStore } : {}), ...(pinned ? { devicePublicKey: pinned } : {}) });
          } finally {
            progressStore?.close();
          }
          recordVerification(vault, io, report);
          return printReport(report, io, args.booleans['json'] === true);
        } finally {
          vault.close();
        }
      },
    },
    {
      path: ['audit', 'checkpoint'],
      summary: 'Sign a fresh checkpoint of the access log and write it (keep it off the laptop)',
      positionals: [],
      options: { vault: vaultOption, user: userOption, 'passphrase-file': passphraseFile, out: outOption },
      async run(args, io) {
        const out = pathArg(args, io, 'out');
        await withLoggedAction(args, io, 'audit.checkpoint', (_vault, log) => {
          const checkpoint = log.checkpoint('export');
          writeFileSync(out, checkpoint.note, { mode: 0o600 });
          io.stdout(`Checkpoint of ${checkpoint.size} leaves written to ${args.strings['out']}.\n`);
        });
        return EXIT.ok;
      },
    },
    {
      path: ['audit', 'list'],
      summary: 'List access-log leaves',
      positionals: [],
      options: {
        vault: vaultOption,
        user: userOption,
        'passphrase-file': passphraseFile,
        json: { kind: 'boolean', description: 'One JSON leaf per line' },
        event: { kind: 'string', description: 'Only this event' },
        since: { kind: 'string', description: 'Only leaves at or after this time (UTC ms or ISO 8601)' },
        'log-user': { kind: 'string', description: 'Only leaves by this user' },
        object: { kind: 'string', description: 'Only leaves about this object id (artifact, case…)' },
      },
      async run(args, io) {
        const filter: LeafFilter = {};
        const since = parseSince(args.strings['since']);
        if (since !== undefined) filter.from = since;
        if (args.strings['event']) filter.event = args.strings['event'];
        if (args.strings['log-user']) filter.user = args.strings['log-user'];
        if (args.strings['object']) filter.objectId = args.strings['object'];
        const detail: LeafDetail = {};
        if (since !== undefined) detail['from'] = since;
        for (const name of ['event', 'log-user', 'object'] as const) if (args.strings[name]) detail[name] = args.strings[name];
        // The leaf is written before the scan streams out (a large log is not held in memory), and is
        // not among the leaves listed: the scan stops at the size the log had when the command began.
        return runLoggedRead(args, io, { event: auditChannels['audit.query'].event }, (vault) => {
          const query = new AuditQuery(vault.audit);
          const before = query.query({}, 0, 1).total;
          return {
            detail,
            print() {
              for (const leaf of query.scan(filter)) {
                if (leaf.seq >= before) break;
                if (args.booleans['json']) io.stdout(`${JSON.stringify(leaf)}\n`);
                else
                  io.stdout(
                    `${String(leaf.seq).padStart(7)} ${new Date(leaf.ts).toISOString()} ${leaf.event.padEnd(18)} ${leaf.outcome.padEnd(7)} ${leaf.actor.user ?? `(${leaf.actor.role})`}${leaf.object ? ` ${leaf.object.kind}:${leaf.object.id}` : ''}\n`,
                  );
              }
              return EXIT.ok;
            },
          };
        });
      },
    },
    {
      path: ['audit', 'export'],
      summary: 'Write an audit bundle: leaves, checkpoints, device key and a DSSE-signed manifest',
      positionals: [],
      options: { vault: vaultOption, user: userOption, 'passphrase-file': passphraseFile, out: outOption },
      async run(args, io) {
        const out = pathArg(args, io, 'out');
        await withLoggedAction(args, io, 'audit.export', (vault, log) => {
          const bundle = createAuditBundle(vault.audit, log, io.clock());
          writeFileSync(out, bundle, { mode: 0o600 });
          io.stdout(`Audit bundle of ${log.size()} leaves written to ${args.strings['out']}.\n`);
        });
        return EXIT.ok;
      },
    },
    {
      path: ['audit', 'verify-bundle'],
      summary: 'Verify an audit bundle on any machine, with the device public key',
      positionals: [{ name: 'bundle', description: 'The bundle file (rwctl audit export)', required: true }],
      options: {
        pubkey: { kind: 'string', description: 'The device public key (PEM, rwctl audit device-key)', required: true },
        'device-key': pubkeyAlias('string'),
        checkpoint: { kind: 'repeatable', description: 'A checkpoint exported earlier the bundle must extend' },
        json: { kind: 'boolean', description: 'Print the report as JSON' },
      },
      async run(args, io) {
        const file = args.positionals[0];
        if (!file || args.positionals.length > 1) throw new RwError('USAGE', 'Give exactly one bundle file.');
        const pem = readDeviceKey(args, io);
        const bytes = readFileArg(resolve(io.cwd, file), 'bundle');
        const { report } = verifyAuditBundle(bytes, pem, readExternal(args, io));
        return printReport(report, io, args.booleans['json'] === true);
      },
    },
    {
      path: ['audit', 'device-key'],
      summary: "Write the device's checkpoint-signing public key (PEM) for verifying bundles elsewhere",
      positionals: [],
      options: { vault: vaultOption, user: userOption, 'passphrase-file': passphraseFile, out: outOption },
      async run(args, io) {
        const out = pathArg(args, io, 'out');
        return runLoggedRead(args, io, { event: 'audit.device-key' }, (vault) => {
          const pem = publicKeyToPem(ed25519PublicKey(devicePublicKey(vault.audit)));
          return {
            print() {
              writeFileSync(out, pem);
              io.stdout(`Device public key written to ${args.strings['out']}.\n`);
              return EXIT.ok;
            },
          };
        });
      },
    },
    {
      path: ['audit', 'resolve-watermark'],
      summary: 'Map a session code (from rwctl watermark decode) to its user, workstation, session and time; exit 1 when unknown',
      positionals: [{ name: 'CODE', description: 'Session code, 12 hex digits', required: true }],
      options: { vault: vaultOption, user: userOption, 'passphrase-file': passphraseFile, json: { kind: 'boolean', description: 'Print JSON' } },
      async run(args, io) {
        // The app's channel is the one definition of a valid code, who may ask and how the ask is logged.
        const channel = controlsChannels['audit.resolveWatermark'];
        const request = channel.request.safeParse({ code: args.positionals[0] });
        if (!request.success) throw new RwError('USAGE', 'CODE must be 12 hexadecimal digits (a session code as `rwctl watermark decode` prints it).');
        return runLoggedRead(args, io, { event: channel.event, roles: channel.roles }, (vault) => {
          const found = resolveWatermarkCode(new AuditQuery(vault.audit), request.data.code);
          return {
            object: { kind: 'watermark', id: found.code },
            detail: { found: found.found },
            print() {
              if (args.booleans['json']) io.stdout(`${JSON.stringify(found)}\n`);
              else if (!found.found) io.stdout(`No session with code ${found.code} in this vault's access log.\n`);
              else {
                const when = (ms: number | null) => (ms === null ? '?' : new Date(ms).toISOString());
                io.stdout(`Session code ${found.code}: user ${found.user ?? '?'}, workstation ${found.workstation ?? '?'}, session ${found.session ?? '?'}\n`);
                io.stdout(`  on screen from ${when(found.from)} to ${when(found.to)} (access-log leaf ${found.seq}).\n`);
              }
              return found.found ? EXIT.ok : EXIT.refused;
            },
          };
        });
      },
    },
  ];
}

export const AUDIT_COMMANDS: Command[] = createAuditCommands();
