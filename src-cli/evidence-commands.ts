/**
 * rwctl evidence check: Inspect evaluation logs checked as the evidence screen checks them (every
 * headline metric recomputed, flags from a closed set), either files given on the command line or
 * every log artifact of a case inside a vault, read in place from the encrypted store.
 * Exit 0 when every log is clean, 1 when any is flagged or malformed, 2 on usage errors.
 */
import * as path from 'node:path';
import { RwError } from '../src-shared/errors';
import type { EvidenceReport } from '../src-shared/evidence/evidence-report';
import { importedCaseIdSchema } from '../src-shared/ipc/channels-cases';
import { evidenceChannels } from '../src-shared/ipc/channels-evidence';
import { listArtifacts } from '../src-main/artifacts/case-queries';
import { checkEvidenceLog, emptyReport } from '../src-main/evidence/check-log';
import { looksLikeInspectLog } from '../src-main/evidence/evidence-service';
import { openFileSource } from '../src-main/evidence/log-source';
import { vaultLogSource } from '../src-main/evidence/vault-log-source';
import { EXIT, type CliIo, type Command, type ParsedArgs } from './command';
import { namesVaultCase, passphraseFileOption, runLoggedRead } from './cli-vault';

// The app's channel decides who may check a log and names the leaf, so rwctl cannot drift from it.
const CHANNEL = evidenceChannels['evidence.check'];

/** The one JSON document `--json` prints: a contract scripts rely on. */
export interface EvidenceCheckOutput {
  logs: Array<{
    file: string;
    status: EvidenceReport['status'];
    task: string | null;
    model: string | null;
    samples: { expected: number | null; present: number; errored: number };
    scores: Array<{ scorer: string; metric: string; reported: number | null; recomputed: number | null }>;
    flags: Array<{ code: string; message: string }>;
  }>;
}

export function toCheckOutput(reports: EvidenceReport[]): EvidenceCheckOutput {
  return {
    logs: reports.map((r) => ({
      file: r.file,
      status: r.status,
      task: r.task,
      model: r.model,
      samples: { expected: r.samples.expected, present: r.samples.present, errored: r.samples.errored },
      scores: r.scores.map((s) => ({ scorer: s.name, metric: s.metric, reported: s.reported, recomputed: s.recomputed })),
      flags: r.flags.map((f) => ({ code: f.code, message: f.message })),
    })),
  };
}

function fmtNumber(value: number | null): string {
  if (value === null) return '—';
  if (Number.isNaN(value)) return 'NaN';
  return Number.isInteger(value) ? String(value) : value.toPrecision(6).replace(/0+$/, '');
}

export function checkTable(reports: EvidenceReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    const samples = `${r.samples.present}${r.samples.expected !== null ? `/${r.samples.expected}` : ''} samples${r.samples.errored ? `, ${r.samples.errored} errored` : ''}`;
    lines.push(`${r.status.toUpperCase().padEnd(9)} ${r.file}`);
    lines.push(`          ${r.task ?? '(task unknown)'} · ${r.model ?? '(model unknown)'} · ${samples}`);
    if (r.scores.length > 0) {
      const rows = r.scores.map((s) => [`${s.name} ${s.metric}`, fmtNumber(s.reported), fmtNumber(s.recomputed), s.verdict]);
      const header = ['SCORE', 'REPORTED', 'RECOMPUTED', 'VERDICT'];
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
      for (const row of [header, ...rows]) lines.push(`          ${row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()}`);
    }
    for (const f of r.flags) lines.push(`          ! ${f.code}: ${f.message}`);
    lines.push('');
  }
  return lines.join('\n');
}

function print(reports: EvidenceReport[], args: ParsedArgs, io: CliIo): number {
  if (args.booleans['json']) io.stdout(JSON.stringify(toCheckOutput(reports)) + '\n');
  else io.stdout(reports.length === 0 ? 'No evaluation logs.\n' : checkTable(reports));
  return reports.every((r) => r.status === 'clean') ? EXIT.ok : EXIT.refused;
}

async function checkFiles(files: string[], io: CliIo): Promise<EvidenceReport[]> {
  const reports: EvidenceReport[] = [];
  for (const file of files) {
    let source;
    try {
      source = await openFileSource(path.resolve(io.cwd, file), file);
    } catch {
      const report = emptyReport(file);
      report.flags.push({ code: 'malformed', message: 'The file cannot be opened.' });
      reports.push(report);
      continue;
    }
    reports.push((await checkEvidenceLog(source)).report);
  }
  return reports;
}

async function checkCase(args: ParsedArgs, io: CliIo): Promise<number> {
  const caseId = importedCaseIdSchema.safeParse(args.strings['case']);
  if (!caseId.success) throw new RwError('USAGE', '--case must be a case id (case-…).');
  return runLoggedRead(args, io, { event: CHANNEL.event, roles: CHANNEL.roles }, async (vault) => {
    if (vault.content === null) throw new RwError('DENIED', 'Auditors hold no key for case content.');
    const db = vault.content;
    const reports: EvidenceReport[] = [];
    for (const artifact of listArtifacts(db, caseId.data)) {
      if (!(await looksLikeInspectLog(artifact.path, vaultLogSource(db, artifact.id)))) continue;
      reports.push((await checkEvidenceLog(vaultLogSource(db, artifact.id))).report);
    }
    return {
      object: { kind: 'case', id: caseId.data },
      detail: { logs: reports.length, flagged: reports.filter((r) => r.status !== 'clean').length },
      print: () => print(reports, args, io),
    };
  });
}

export const EVIDENCE_COMMANDS: Command[] = [
  {
    path: ['evidence', 'check'],
    summary: 'Check Inspect evaluation logs: recompute headline metrics, flag what does not add up',
    positionals: [{ name: 'FILE…', description: '.eval or .json logs (or use --vault, --user and --case)', required: false, variadic: true }],
    options: {
      json: { kind: 'boolean', description: 'Print one JSON document' },
      vault: { kind: 'string', description: 'Vault folder: check every log artifact of --case' },
      user: { kind: 'string', description: 'Reviewer name (with --vault)' },
      case: { kind: 'string', description: 'Case id (with --vault)' },
      'passphrase-file': passphraseFileOption,
    },
    async run(args, io) {
      if (namesVaultCase(args, args.positionals.length > 0, 'Give files or --vault/--user/--case, not both.')) return checkCase(args, io);
      if (args.positionals.length === 0) throw new RwError('USAGE', 'Name at least one log file, or use --vault, --user and --case.');
      return print(await checkFiles(args.positionals, io), args, io);
    },
  },
];
