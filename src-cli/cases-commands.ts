/**
 * rwctl cases list: the cases in a vault, for a reviewer (auditors hold no key for content.db).
 * rwctl cases remove ID: removes a case and everything recorded about it, its search index included,
 * with secure_delete on; the removal is an access-log leaf naming the case.
 */
import { RwError } from '../src-shared/errors';
import { caseChannels, importedCaseIdSchema } from '../src-shared/ipc/channels-cases';
import { listCases } from '../src-main/workspace/case-list';
import { getCase } from '../src-main/artifacts/case-queries';
import { removeCase } from '../src-main/artifacts/remove-case';
import { EXIT, type Command } from './command';
import { passphraseFileOption, runLoggedRead, userOption, vaultOption } from './cli-vault';

// The app's channels decide who may list or remove and name the leaf, so rwctl cannot drift from them.
const CHANNEL = caseChannels['cases.list'];
const REMOVE = caseChannels['cases.remove'];

export const CASES_COMMANDS: Command[] = [
  {
    path: ['cases', 'list'],
    summary: 'List the cases in the vault',
    positionals: [],
    options: {
      vault: vaultOption,
      user: userOption,
      json: { kind: 'boolean', description: 'Print JSON' },
      'passphrase-file': passphraseFileOption,
    },
    async run(args, io) {
      return runLoggedRead(args, io, { event: CHANNEL.event, roles: CHANNEL.roles }, (vault) => {
        if (vault.content === null) throw new RwError('DENIED', 'Auditors hold no key for case content.');
        const cases = listCases(vault.content);
        return {
          detail: { results: cases.length },
          print() {
            if (args.booleans['json']) {
              io.stdout(JSON.stringify({ cases }, null, 2) + '\n');
            } else if (cases.length === 0) {
              io.stdout('No cases.\n');
            } else {
              const lines = cases.map((c) => [c.id, c.model, c.version, c.developer, c.releaseDate, c.reviewDeadline, String(c.artifactCount)]);
              const header = ['ID', 'MODEL', 'VERSION', 'DEVELOPER', 'RELEASE', 'DEADLINE', 'ARTIFACTS'];
              const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
              const fmt = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i] as number)).join('  ').trimEnd();
              io.stdout([fmt(header), ...lines.map(fmt)].join('\n') + '\n');
            }
            return EXIT.ok;
          },
        };
      });
    },
  },
  {
    path: ['cases', 'remove'],
    summary: 'Remove a case and everything recorded about it (artifacts, notes, findings, search index)',
    positionals: [{ name: 'CASE', description: 'The case id (rwctl cases list)', required: true }],
    options: {
      vault: vaultOption,
      user: userOption,
      'passphrase-file': passphraseFileOption,
    },
    async run(args, io) {
      const caseId = args.positionals[0] ?? '';
      if (!importedCaseIdSchema.safeParse(caseId).success) throw new RwError('USAGE', 'CASE is a case id (case-…), as rwctl cases list prints it.');
      return runLoggedRead(args, io, { event: REMOVE.event, roles: REMOVE.roles, failureDetail: {} }, (vault) => {
        if (vault.content === null) throw new RwError('DENIED', 'Auditors hold no key for case content.');
        const detail = getCase(vault.content, caseId, Date.now());
        removeCase(vault.content, caseId);
        return {
          object: { kind: 'case', id: caseId, name: `${detail.model} ${detail.version}`, digest: detail.packageDigest },
          detail: {},
          print() {
            io.stdout(`Removed ${detail.model} ${detail.version} (${caseId}).\n`);
            return EXIT.ok;
          },
        };
      });
    },
  },
];
