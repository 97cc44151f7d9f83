/** rwctl cases list: the cases in a vault, for a reviewer (auditors hold no key for content.db). */
import { RwError } from '../src-shared/errors';
import { caseChannels } from '../src-shared/ipc/channels-cases';
import { listCases } from '../src-main/workspace/case-list';
import { EXIT, type Command } from './command';
import { passphraseFileOption, runLoggedRead, userOption, vaultOption } from './cli-vault';

// The app's `cases.list` channel decides who may list and names the leaf, so rwctl cannot drift from it.
const CHANNEL = caseChannels['cases.list'];

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
];
