/**
 * rwctl attest create | verify (see ARCHITECTURE: attestations and sync): sign a review attestation for a case (the passphrase is
 * checked again to unseal the signing key: step-up), and verify an attestation file against a public key
 * (exit 0 valid, 1 invalid). The helpers at the top are shared by enroll-commands and sync-commands.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { VERDICTS, type Verdict } from '../src-shared/attestation-types';
import { ed25519PublicKey, parsePublicKeyPem, type PublicKey } from '../src-shared/node/crypto';
import { fromBase64 } from '../src-shared/encoding';
import { RwError } from '../src-shared/errors';
import { parseStrictJson } from '../src-shared/strict-json';
import type { AccessLog } from '../src-main/audit/access-log';
import { accessLogPort } from '../src-main/attest/access-log-adapter';
import type { AccessLogPort } from '../src-main/attest/access-log-port';
import { policyInForce } from '../src-main/controls/signed-policy';
import { readOwnKeys } from '../src-main/attest/own-keys';
import type { OwnKeys } from '../src-main/attest/outbox';
import { signReviewAttestation } from '../src-main/attest/review-attestation';
import { openStatementEnvelope } from '../src-main/attest/statement-envelope';
import type { UnlockedVault } from '../src-main/vault/vault';
import { defaultRubric } from '../src-main/workspace/rubric';
import { EXIT, type CliIo, type Command, type ParsedArgs } from './command';
import { pathOption } from './args';
import { cliTrustRoot, openCliAccessLog, passphraseFileOption, unlockFromArgs, userOption, vaultOption } from './cli-vault';
const MAX_ATTESTATION_FILE_BYTES = 1024 * 1024;

export const vaultOptions = { vault: vaultOption, user: userOption, 'passphrase-file': passphraseFileOption } as const;

export function pathOf(args: ParsedArgs, io: CliIo, name: string): string {
  return pathOption(args, io.cwd, name);
}

export interface CliSession {
  dir: string;
  vault: UnlockedVault;
  passphrase: string;
  log: AccessLog;
  port: AccessLogPort;
  keys: OwnKeys;
  close(): void;
}

/** Unlock the vault and open the access log as this user (every rwctl action here is logged). */
export async function openCliSession(args: ParsedArgs, io: CliIo): Promise<CliSession> {
  const { dir, vault, passphrase } = await unlockFromArgs(args, io);
  try {
    const log = openCliAccessLog(vault, io);
    const port = accessLogPort(log, { user: vault.user, role: vault.role });
    return {
      dir,
      vault,
      passphrase,
      log,
      port,
      keys: readOwnKeys(vault.audit, vault.content),
      close() {
        log.close();
        vault.close();
      },
    };
  } catch (error) {
    vault.close();
    throw error;
  }
}

/** An --out target must not exist: checked before any work, so nothing is signed that cannot be written. */
export function newOutPath(args: ParsedArgs, io: CliIo, name = 'out'): string {
  const out = pathOf(args, io, name);
  if (existsSync(out)) throw new RwError('CONFLICT', `--${name} already exists; refusing to overwrite it.`);
  return out;
}

/** Write a new file (never over an existing one); a race that creates it meanwhile is a refusal, not a crash. */
export function writeNewFile(path: string, content: string | Uint8Array): void {
  try {
    writeFileSync(path, content, { flag: 'wx' });
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') throw new RwError('CONFLICT', 'The output file already exists; refusing to overwrite it.');
    throw new RwError('INVALID_INPUT', 'The output file cannot be written.');
  }
}

export function readInputFile(path: string, what: string, maxBytes: number): Uint8Array {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new RwError('INVALID_INPUT', `The ${what} cannot be read.`);
  }
  if (bytes.byteLength > maxBytes) throw new RwError('TOO_LARGE', `The ${what} is larger than ${maxBytes} bytes.`, { limit: maxBytes });
  return new Uint8Array(bytes);
}

function parseVerdict(value: string | undefined): Verdict {
  if (!(VERDICTS as readonly string[]).includes(value ?? '')) throw new RwError('USAGE', `--verdict is one of ${VERDICTS.join(', ')}.`);
  return value as Verdict;
}

function readPublicKeyArg(path: string): PublicKey {
  const text = new TextDecoder().decode(readInputFile(path, 'public key file', 64 * 1024));
  // A raw base64 Ed25519 key (as in enrollment documents) is accepted beside PEM.
  if (/^\s*[A-Za-z0-9+/]{43}=\s*$/.test(text)) {
    return ed25519PublicKey(fromBase64(text.trim()));
  }
  return parsePublicKeyPem(text);
}

export function createAttestCommands(): Command[] {
  return [
    {
      path: ['attest', 'create'],
      summary: 'Sign a review attestation for a case (asks for the passphrase again) and queue it for transfer',
      positionals: [],
      options: {
        ...vaultOptions,
        case: { kind: 'string', description: 'Case id', required: true },
        verdict: { kind: 'string', description: `One of ${VERDICTS.join(', ')}`, required: true },
        summary: { kind: 'string', description: 'Release summary, exactly as it will leave (at most 4000 characters)', required: true },
        out: { kind: 'string', description: 'Write the signed DSSE envelope here', required: true },
      },
      async run(args, io) {
        const verdict = parseVerdict(args.strings['verdict']);
        const out = newOutPath(args, io);
        const session = await openCliSession(args, io);
        try {
          const { envelope, statement, item } = await signReviewAttestation(
            {
              vaultDir: session.dir,
              vault: session.vault,
              rubric: defaultRubric(),
              policy: policyInForce(session.vault.audit, cliTrustRoot(io)),
              unlockDeps: { clock: io.clock, policy: policyInForce(session.vault.audit, cliTrustRoot(io)).lockout },
              logEvent: session.port.logEvent,
              clock: io.clock,
            },
            { caseId: args.strings['case'] as string, verdict, releaseSummary: args.strings['summary'] as string },
            // Step-up: rwctl has one passphrase source per run, so the same answer is checked again.
            session.passphrase,
          );
          writeNewFile(out, `${JSON.stringify(envelope)}\n`);
          io.stdout(`Signed ${statement.predicateType} for case ${args.strings['case']} (${verdict}), ${statement.subject.length} subjects, sequence ${item.sequence}.\n`);
          io.stdout(`Queued for transfer as ${item.envelopeSha256}; written to ${args.strings['out']}.\n`);
          return EXIT.ok;
        } finally {
          session.close();
        }
      },
    },
    {
      path: ['attest', 'verify'],
      summary: 'Verify an attestation (DSSE envelope of an in-toto Statement) against a public key',
      positionals: [{ name: 'FILE', description: 'Attestation file (one DSSE envelope in JSON)', required: true }],
      options: {
        pubkey: { kind: 'string', description: 'Public key file (PEM, or base64 raw Ed25519)', required: true },
        json: { kind: 'boolean', description: 'Print the verified Statement as JSON' },
      },
      async run(args, io) {
        const key = readPublicKeyArg(pathOf(args, io, 'pubkey'));
        const bytes = readInputFile(resolve(io.cwd, args.positionals[0] as string), 'attestation file', MAX_ATTESTATION_FILE_BYTES);
        let value: unknown;
        try {
          value = parseStrictJson(bytes, { maxBytes: MAX_ATTESTATION_FILE_BYTES, maxDepth: 8 });
        } catch {
          throw new RwError('INVALID_INPUT', 'The attestation file is not strict JSON.');
        }
        const opened = openStatementEnvelope(value, [key]);
        if (args.booleans['json']) {
          io.stdout(`${JSON.stringify({ valid: true, envelopeSha256: opened.envelopeSha256, statement: opened.opened.statement }, null, 2)}\n`);
        } else {
          io.stdout(`Valid: ${opened.opened.predicateType}\n`);
          if (opened.opened.predicateType === 'https://reviewer-workstation.dev/review-outcome/v1') {
            const p = opened.opened.predicate;
            io.stdout(`  case ${p.caseId}, verdict ${p.verdict}, reviewer ${p.reviewer.id}, sequence ${p.sequence}, access-log index ${p.accessLogIndex}\n`);
          } else {
            io.stdout(`  log ${opened.opened.predicate.origin} at size ${opened.opened.predicate.size}\n`);
          }
          io.stdout(`  subjects: ${opened.opened.statement.subject.length}\n`);
        }
        return EXIT.ok;
      },
    },
  ];
}

export const ATTEST_COMMANDS: Command[] = createAttestCommands();
