/**
 * rwctl findings add | list | update | history | export: findings with a CVSS v4.0 vector, a status
 * and evidence, their history, and their export as CSAF 2.0, CSAF 2.1 or OpenVEX. Each action is on
 * the access log under the event the app's channel uses (an update parses its input with the channel's
 * own schema, so the CLI accepts exactly what the app does); the export passes the same gate as the app's (policy, watermark session, justification,
 * step-up with this run's passphrase) and is refused, logged, when any part fails.
 */
import { RwError } from '../src-shared/errors';
import { FINDING_STATUS_VALUES, workspaceChannels, type FindingEdit } from '../src-shared/ipc/channels-workspace';
import { FINDING_FIELD_LABELS, withChanges } from '../src-shared/record-changes';
import { randomBytes } from '../src-shared/node/crypto';
import { currentPolicy } from '../src-main/attest/enrollment';
import { WatermarkSessions } from '../src-main/controls/watermark-session';
import { addScoredFinding, listScoredFindings } from '../src-main/findings/finding-evidence';
import { exportFindingsDocument } from '../src-main/findings/findings-export';
import { FINDINGS_FORMATS, type FindingsFormat } from '../src-main/findings/findings-document';
import { unlockVault, requireContentDb } from '../src-main/vault/vault';
import { actorFor } from '../src-main/workspace/workspace-actor';
import { editFinding, findingHistory, getFinding } from '../src-main/workspace/findings-service';
import { EXIT, type Command } from './command';
import { newOutPath, openCliSession, vaultOptions, writeNewFile } from './attest-commands';
import { appendCliLeaf, lockoutInForce, refusalLeaf, runLoggedRead } from './cli-vault';

const caseOption = { kind: 'string', description: 'Case id', required: true } as const;
const idOption = { kind: 'string', description: 'Finding id', required: true } as const;

/** The finding, if it is a live one of this case (a finding id never reaches across cases). */
function findingOfCase(db: Parameters<typeof getFinding>[0], caseId: string, id: string) {
  const finding = getFinding(db, id);
  if (!finding || finding.caseId !== caseId) throw new RwError('NOT_FOUND', 'No such finding in this case.');
  return finding;
}

/** The update's fields from the command line, parsed with the app channel's schema (a bad value is a usage error). */
function editFromArgs(args: { strings: Record<string, string | undefined>; lists: Record<string, string[] | undefined>; booleans: Record<string, boolean | undefined> }): FindingEdit {
  const raw: Record<string, unknown> = { id: args.strings['id'] };
  for (const key of ['title', 'description', 'status', 'severity', 'category'] as const) if (args.strings[key] !== undefined) raw[key] = args.strings[key];
  if (args.strings['cvss'] !== undefined) raw['cvssVector'] = args.strings['cvss'];
  if (args.booleans['clear-cvss']) raw['cvssVector'] = null;
  if (args.lists['evidence'] !== undefined) raw['evidence'] = args.lists['evidence'];
  if (args.booleans['clear-evidence']) raw['evidence'] = [];
  if (args.strings['revision'] !== undefined) raw['revision'] = Number(args.strings['revision']);
  if (Object.keys(raw).length === 1 || (Object.keys(raw).length === 2 && 'revision' in raw)) throw new RwError('USAGE', 'Say what to change: --status, --title, --description, --severity, --category, --cvss or --evidence.');
  const parsed = workspaceChannels['findings.edit'].request.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? 'input';
    throw new RwError('USAGE', field === 'status' ? `--status is one of ${FINDING_STATUS_VALUES.join(', ')}.` : `--${field}: ${issue?.message ?? 'not valid'}`);
  }
  return parsed.data;
}

function reviewerContent(vault: { role: string; content: unknown }): void {
  if (vault.role !== 'reviewer' || vault.content === null) throw new RwError('DENIED', 'Your role does not allow this operation.');
}

export const FINDINGS_COMMANDS: Command[] = [
  {
    path: ['findings', 'add'],
    summary: 'Record a finding with a CVSS v4.0 vector and its evidence; prints the new id',
    positionals: [],
    options: {
      ...vaultOptions,
      case: caseOption,
      title: { kind: 'string', description: 'Title', required: true },
      description: { kind: 'string', description: 'Description', required: true },
      cvss: { kind: 'string', description: 'CVSS v4.0 vector (CVSS:4.0/AV:…)', required: true },
      evidence: { kind: 'repeatable', description: 'claim:<file>:<line>, sample:<log>#<id>/<epoch> or artifact:<file>[#page=<n>]' },
    },
    async run(args, io) {
      const session = await openCliSession(args, io);
      const event = workspaceChannels['findings.create'].event;
      try {
        let finding;
        try {
          reviewerContent(session.vault);
          finding = addScoredFinding(requireContentDb(session.vault), actorFor(session.vault.user, io.clock), {
            caseId: args.strings['case'] as string,
            title: args.strings['title'] as string,
            description: args.strings['description'] as string,
            cvssVector: args.strings['cvss'] as string,
            evidence: args.lists['evidence'] ?? [],
          });
        } catch (error) {
          appendCliLeaf(session.log, session.vault, refusalLeaf(event, error, { caseId: args.strings['case'] as string }));
          throw error;
        }
        appendCliLeaf(session.log, session.vault, {
          event,
          outcome: 'success',
          object: { kind: 'finding', id: finding.id },
          detail: { caseId: args.strings['case'] as string, severity: finding.severity, evidence: finding.evidence.length },
        });
        io.stdout(`${finding.id}\n`);
        return EXIT.ok;
      } finally {
        session.close();
      }
    },
  },
  {
    path: ['findings', 'list'],
    summary: 'List the findings of a case with CVSS scores and evidence',
    positionals: [],
    options: { ...vaultOptions, case: caseOption, json: { kind: 'boolean', description: 'Print JSON' } },
    async run(args, io) {
      const channel = workspaceChannels['findings.list'];
      const caseId = args.strings['case'] as string;
      return runLoggedRead(args, io, { event: channel.event, roles: channel.roles }, (vault) => {
        reviewerContent(vault);
        const findings = listScoredFindings(requireContentDb(vault), caseId);
        return {
          object: { kind: 'case', id: caseId },
          detail: { results: findings.length },
          print() {
            if (args.booleans['json']) {
              const out = findings.map((f) => ({ id: f.id, title: f.title, status: f.status, cvss: f.cvss, evidence: f.evidence }));
              io.stdout(`${JSON.stringify({ findings: out }, null, 2)}\n`);
            } else if (findings.length === 0) {
              io.stdout('No findings.\n');
            } else {
              for (const f of findings) {
                const score = f.cvss ? `${f.cvss.score.toFixed(1)} ${f.cvss.severity}` : 'no CVSS';
                io.stdout(`${f.id}  ${score.padEnd(13)}  ${f.status.padEnd(9)}  ${f.title}\n`);
              }
            }
            return EXIT.ok;
          },
        };
      });
    },
  },
  {
    path: ['findings', 'update'],
    summary: 'Change a finding (status, title, description, severity, category, CVSS vector, evidence); its history keeps every revision',
    positionals: [],
    options: {
      ...vaultOptions,
      case: caseOption,
      id: idOption,
      status: { kind: 'string', description: `One of ${FINDING_STATUS_VALUES.join(', ')}` },
      title: { kind: 'string', description: 'New title' },
      description: { kind: 'string', description: 'New description' },
      severity: { kind: 'string', description: 'info, low, medium, high or critical' },
      category: { kind: 'string', description: 'New category' },
      cvss: { kind: 'string', description: 'New CVSS v4.0 vector' },
      'clear-cvss': { kind: 'boolean', description: 'Remove the CVSS vector' },
      evidence: { kind: 'repeatable', description: 'Replaces the evidence: claim:<file>:<line>, sample:<log>#<id>/<epoch> or artifact:<file>[#page=<n>]' },
      'clear-evidence': { kind: 'boolean', description: 'Remove every evidence reference' },
      revision: { kind: 'string', description: 'The revision you last saw (refused with exit 1 if it changed since)' },
    },
    async run(args, io) {
      const edit = editFromArgs(args);
      const caseId = args.strings['case'] as string;
      const session = await openCliSession(args, io);
      const event = workspaceChannels['findings.edit'].event;
      try {
        let finding;
        try {
          reviewerContent(session.vault);
          const db = requireContentDb(session.vault);
          findingOfCase(db, caseId, edit.id);
          finding = editFinding(db, actorFor(session.vault.user, io.clock), edit);
        } catch (error) {
          appendCliLeaf(session.log, session.vault, { ...refusalLeaf(event, error, { caseId }), object: { kind: 'finding', id: edit.id } });
          throw error;
        }
        const fields = Object.keys(edit).filter((k) => k !== 'id' && k !== 'revision').join(',');
        appendCliLeaf(session.log, session.vault, {
          event,
          outcome: 'success',
          object: { kind: 'finding', id: finding.id },
          detail: { caseId, severity: finding.severity, status: finding.status, revision: finding.revision, fields },
        });
        io.stdout(`Updated finding ${finding.id} to revision ${finding.revision}: ${finding.status}, ${finding.severity}, "${finding.title}".\n`);
        return EXIT.ok;
      } finally {
        session.close();
      }
    },
  },
  {
    path: ['findings', 'history'],
    summary: 'Every revision of a finding: who, when, and what changed',
    positionals: [],
    options: { ...vaultOptions, case: caseOption, id: idOption, json: { kind: 'boolean', description: 'Print JSON' } },
    async run(args, io) {
      const channel = workspaceChannels['findings.history'];
      const caseId = args.strings['case'] as string;
      const id = args.strings['id'] as string;
      return runLoggedRead(args, io, { event: channel.event, roles: channel.roles }, (vault) => {
        reviewerContent(vault);
        const db = requireContentDb(vault);
        findingOfCase(db, caseId, id);
        const entries = findingHistory(db, id);
        const history = withChanges(entries, FINDING_FIELD_LABELS, ['evidence']);
        return {
          object: { kind: 'finding', id },
          detail: { caseId, results: entries.length },
          print() {
            if (args.booleans['json']) {
              io.stdout(`${JSON.stringify({ history }, null, 2)}\n`);
              return EXIT.ok;
            }
            for (const e of history) {
              const what = e.action === 'create' ? `created (${e.status}, ${e.severity})` : e.action === 'delete' ? 'deleted' : e.changes.map((c) => `${c.field}: ${c.from} → ${c.to}`).join('; ') || 'saved without changes';
              io.stdout(`r${e.revision}  ${new Date(e.at).toISOString()}  ${e.author}  ${what}\n`);
            }
            return EXIT.ok;
          },
        };
      });
    },
  },
  {
    path: ['findings', 'export'],
    summary: 'Export the findings as CSAF 2.0 (csaf), CSAF 2.1 (csaf21) or OpenVEX (openvex), validated, watermarked and logged',
    positionals: [],
    options: {
      ...vaultOptions,
      case: caseOption,
      format: { kind: 'string', description: `One of ${FINDINGS_FORMATS.join(', ')}`, required: true },
      out: { kind: 'string', description: 'Write the document here (must not exist)', required: true },
      justification: { kind: 'string', description: 'Why the findings leave the workstation (at least 20 characters; the export gate asks for it)' },
    },
    async run(args, io) {
      const format = args.strings['format'] ?? '';
      if (!(FINDINGS_FORMATS as readonly string[]).includes(format)) throw new RwError('USAGE', `--format is one of ${FINDINGS_FORMATS.join(', ')}.`);
      const out = newOutPath(args, io);
      const caseId = args.strings['case'] as string;
      const session = await openCliSession(args, io);
      const event = 'export.decision';
      try {
        const sessions = new WatermarkSessions({ random: randomBytes, clock: io.clock });
        let outcome;
        try {
          reviewerContent(session.vault);
          if (session.vault.role !== 'reviewer') throw new RwError('DENIED', 'Your role does not allow this operation.');
          const wm = sessions.begin({ user: session.vault.user, role: 'reviewer', workstationId: session.vault.workstationId });
          // The session code goes on the record first, so a leaked copy resolves to this run.
          appendCliLeaf(session.log, session.vault, {
            event: 'watermark.session',
            outcome: 'success',
            object: { kind: 'watermark', id: wm.codeHex },
            detail: { code: wm.codeHex, user: wm.user, workstation: wm.workstationId, startedAt: wm.startedAt },
          });
          outcome = await exportFindingsDocument(
            requireContentDb(session.vault),
            { caseId, format: format as FindingsFormat, justification: args.strings['justification'] ?? '', passphrase: session.passphrase },
            {
              policy: () => currentPolicy(session.vault.audit),
              session: () => sessions.current(),
              // Step-up: the passphrase of this run is checked again against the slot, through the throttle.
              stepUp: async (passphrase) => {
                const again = await unlockVault(session.dir, session.vault.user, passphrase, { clock: io.clock, policy: lockoutInForce(session.dir, io) });
                again.close();
              },
              clock: io.clock,
              write: (bytes) => {
                writeNewFile(out, bytes);
                return out.split(/[\\/]/).pop() as string;
              },
            },
          );
        } catch (error) {
          appendCliLeaf(session.log, session.vault, refusalLeaf(event, error, { caseId, kind: `findings-${format}` }));
          throw error;
        } finally {
          sessions.end();
        }
        appendCliLeaf(session.log, session.vault, { event, outcome: 'success', object: { kind: 'case', id: caseId }, detail: outcome.detail });
        io.stdout(`Wrote ${outcome.findings} finding(s) as ${format} to ${args.strings['out']} (sha256 ${outcome.sha256}, ${outcome.checks} validation checks passed).\n`);
        return EXIT.ok;
      } finally {
        session.close();
      }
    },
  },
];
