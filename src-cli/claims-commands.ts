/**
 * rwctl claims check: every numeric claim of a model card against the evidence, recomputed. Either a
 * card and log files from the command line, or a case in a vault (its documentation and every log
 * artifact, read in place; the reviewer's manual links and overrides apply). Exit 0 when every claim
 * is supported, 1 otherwise, 2 on usage errors.
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { extractClaims } from '../src-shared/claims/claim-extract';
import { claimStatus, countByStatus, type CheckedLogView, type ClaimResult } from '../src-shared/claims/claim-status';
import { RwError } from '../src-shared/errors';
import { importedCaseIdSchema } from '../src-shared/ipc/channels-cases';
import { vaultCaseLedger } from '../src-main/claims/case-claims';
import { checkedLogView } from '../src-main/claims/evidence-view';
import { checkEvidenceLog, emptyReport } from '../src-main/evidence/check-log';
import { openFileSource } from '../src-main/evidence/log-source';
import { EXIT, type CliIo, type Command, type ParsedArgs } from './command';
import { namesVaultCase, passphraseFileOption, runLoggedRead } from './cli-vault';

/** The event rwctl and the app's ledger screen log a claims check under. */
export const CLAIMS_CHECK_EVENT = 'claims.check';
const MAX_CARD_BYTES = 8 * 1024 * 1024;

/** The one JSON document `--json` prints: a contract scripts rely on. */
export interface ClaimsCheckOutput {
  claims: Array<{
    text: string;
    where: string;
    task: string | null;
    metric: string;
    claimed: number;
    reported: number | null;
    recomputed: number | null;
    status: ClaimResult['status'];
    evidence: string | null;
  }>;
}

export function toClaimsOutput(results: readonly ClaimResult[]): ClaimsCheckOutput {
  return {
    claims: results.map((r) => ({
      text: r.claim.sentence,
      where: r.claim.where,
      task: r.claim.task,
      metric: r.metric,
      claimed: r.claim.claimed,
      reported: r.reported,
      recomputed: r.recomputed,
      status: r.status,
      evidence: r.evidence,
    })),
  };
}

function print(results: readonly ClaimResult[], args: ParsedArgs, io: CliIo): number {
  if (args.booleans['json']) {
    io.stdout(`${JSON.stringify(toClaimsOutput(results))}\n`);
  } else if (results.length === 0) {
    io.stdout('No numeric claims found.\n');
  } else {
    for (const r of results) {
      io.stdout(`${r.status.toUpperCase().padEnd(13)} ${r.claim.where}  ${r.claim.text}${r.claim.task ? ` (${r.claim.task})` : ''}\n`);
      io.stdout(`              ${r.message}${r.override ? ` Overridden by ${r.override.by}: ${r.override.reason}` : ''}\n`);
    }
    const counts = countByStatus(results);
    io.stdout(`\n${Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(', ')}\n`);
  }
  return results.every((r) => r.status === 'supported') ? EXIT.ok : EXIT.refused;
}

function readCard(file: string, io: CliIo): string {
  const full = path.resolve(io.cwd, file);
  if (!/\.(md|markdown|txt)$/i.test(full)) throw new RwError('USAGE', '--card must be a Markdown or plain-text file (.md, .txt).');
  let size: number;
  try {
    size = statSync(full).size;
  } catch {
    throw new RwError('INVALID_INPUT', 'The card cannot be read.');
  }
  if (size > MAX_CARD_BYTES) throw new RwError('TOO_LARGE', 'The card is too large.');
  return new TextDecoder('utf-8', { fatal: false }).decode(readFileSync(full));
}

async function checkFiles(args: ParsedArgs, io: CliIo): Promise<number> {
  const card = args.strings['card'] as string;
  const files = [...(args.lists['evidence'] ?? []), ...args.positionals];
  if (files.length === 0) throw new RwError('USAGE', 'Name at least one log with --evidence.');
  const text = readCard(card, io);
  const logs: CheckedLogView[] = [];
  for (const file of files) {
    let report;
    try {
      report = (await checkEvidenceLog(await openFileSource(path.resolve(io.cwd, file), file))).report;
    } catch {
      report = emptyReport(file);
      report.flags.push({ code: 'malformed', message: 'The file cannot be opened.' });
    }
    logs.push(checkedLogView(report, file, file));
  }
  const tasks = [...new Set(logs.map((l) => l.task).filter((t) => t.length > 0))];
  const scorers = [...new Set(logs.flatMap((l) => l.scores.map((s) => s.scorer)))];
  const claims = extractClaims({ file: path.basename(card), text }, { tasks, scorers });
  const model = args.strings['model'] ?? null;
  return print(
    claims.map((c) => claimStatus(c, { logs, submissionModel: model })),
    args,
    io,
  );
}

async function checkCase(args: ParsedArgs, io: CliIo): Promise<number> {
  const caseId = importedCaseIdSchema.safeParse(args.strings['case']);
  if (!caseId.success) throw new RwError('USAGE', '--case must be a case id (case-…).');
  return runLoggedRead(args, io, { event: CLAIMS_CHECK_EVENT, roles: ['reviewer'] }, async (vault) => {
    if (vault.content === null) throw new RwError('DENIED', 'Your role does not allow this operation.');
    const results = (await vaultCaseLedger(vault.content, caseId.data, io.clock)).entries;
    // Counts only on the record, never claim text.
    return { object: { kind: 'case', id: caseId.data }, detail: { claims: results.length, ...countByStatus(results) }, print: () => print(results, args, io) };
  });
}

export const CLAIMS_COMMANDS: Command[] = [
  {
    path: ['claims', 'check'],
    summary: 'Check every numeric claim of a model card against the recomputed evidence',
    positionals: [{ name: 'FILE…', description: 'More evidence logs after --evidence', required: false, variadic: true }],
    options: {
      card: { kind: 'string', description: 'Model card (.md or .txt)' },
      evidence: { kind: 'repeatable', description: 'Inspect log (.eval or .json); more may follow' },
      model: { kind: 'string', description: 'The submission model, preferred where several logs share a task' },
      json: { kind: 'boolean', description: 'Print one JSON document' },
      vault: { kind: 'string', description: 'Vault folder: check the documentation of --case against its logs' },
      user: { kind: 'string', description: 'Reviewer name (with --vault)' },
      case: { kind: 'string', description: 'Case id (with --vault)' },
      'passphrase-file': passphraseFileOption,
    },
    async run(args, io) {
      const filesGiven = 'card' in args.strings || args.lists['evidence'] !== undefined || args.positionals.length > 0;
      if (namesVaultCase(args, filesGiven, 'Give --card and --evidence, or --vault/--user/--case, not both.')) return checkCase(args, io);
      if (!args.strings['card']) throw new RwError('USAGE', 'Give --card FILE --evidence FILE…, or --vault, --user and --case.');
      return checkFiles(args, io);
    },
  },
];
