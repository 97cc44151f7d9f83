/**
 * rwctl search: the app's search over content.db from the command line, for a reviewer (auditors hold
 * no key for content.db). One access-log leaf per search, under the app channel's event, with the
 * query and the number of hits, written before anything is printed. Exit 0 with or without hits,
 * 1 for a refused query or role, 3 when sign-in fails.
 */
import { RwError } from '../src-shared/errors';
import { searchChannels } from '../src-shared/ipc/channels-search';
import { kindsNamed, type SearchKind } from '../src-shared/search/search-kinds';
import { search, MAX_LIMIT, type SearchHit } from '../src-main/search/search-service';
import { intOption } from './args';
import { EXIT, type Command } from './command';
import { passphraseFileOption, runLoggedRead, userOption, vaultOption } from './cli-vault';

const CHANNEL = searchChannels['search.query'];
export const CLI_SEARCH_DEFAULT_LIMIT = 20;

/** The JSON contract: exactly these fields per hit. */
export interface CliSearchHit {
  case: string;
  /** The path in the package, or the note/finding id. */
  artifact: string;
  kind: SearchKind;
  where: string;
  /** Plain text, each hit wrapped in **. */
  snippet: string;
  score: number;
}

export function cliHit(hit: SearchHit): CliSearchHit {
  const artifact = hit.kind === 'note' || hit.kind === 'finding' || hit.kind === 'claim' ? hit.sourceId : (hit.path ?? hit.sourceId);
  return { case: hit.caseId, artifact, kind: hit.kind, where: hit.where, snippet: hit.snippet, score: Math.round(hit.score * 100) / 100 };
}

export const SEARCH_COMMANDS: Command[] = [
  {
    path: ['search'],
    summary: 'Search the text of every artifact, note and finding in the vault',
    positionals: [{ name: 'QUERY', description: 'words, "phrases", prefix*, *substring*, -exclude, case:ID, kind:K', required: true }],
    options: {
      vault: vaultOption,
      user: userOption,
      case: { kind: 'string', description: 'Only this case (its id)' },
      kind: { kind: 'string', description: 'Only this kind: pdf, md, text, json, csv, jsonl, log, note, finding, claim (or table)' },
      limit: { kind: 'string', description: `At most this many hits (1-${MAX_LIMIT}; default ${CLI_SEARCH_DEFAULT_LIMIT})` },
      json: { kind: 'boolean', description: 'Print JSON: {"hits":[{case, artifact, kind, where, snippet, score}]}' },
      'passphrase-file': passphraseFileOption,
    },
    async run(args, io) {
      const query = args.positionals[0] ?? '';
      const limit = intOption(args, 'limit', CLI_SEARCH_DEFAULT_LIMIT);
      if (limit < 1 || limit > MAX_LIMIT) throw new RwError('USAGE', `--limit must be between 1 and ${MAX_LIMIT}.`);
      const caseId = args.strings['case'];
      const kindName = args.strings['kind'];
      const detail = { query: query.slice(0, 500), results: 0 };
      return runLoggedRead(args, io, { event: CHANNEL.event, roles: CHANNEL.roles, failureDetail: detail }, (vault) => {
        if (vault.content === null) throw new RwError('DENIED', 'Auditors hold no key for case content.');
        let kinds: readonly SearchKind[] | undefined;
        if (kindName !== undefined) {
          const named = kindsNamed(kindName);
          if (!named) throw new RwError('INVALID_INPUT', `Unknown kind "${kindName.slice(0, 40)}".`);
          kinds = named;
        }
        if (caseId !== undefined && !/^[A-Za-z0-9-]{1,64}$/u.test(caseId)) throw new RwError('INVALID_INPUT', '--case takes a case id.');
        const result = search(vault.content, { query, limit, ...(caseId ? { caseId } : {}), ...(kinds ? { kinds } : {}) });
        const hits = result.hits.map(cliHit);
        return {
          ...(caseId ? { object: { kind: 'case', id: caseId, name: null, digest: null } } : {}),
          detail: { query: detail.query, results: hits.length },
          print() {
            if (args.booleans['json']) {
              io.stdout(JSON.stringify({ hits }) + '\n');
            } else if (hits.length === 0) {
              io.stdout('No hits.\n');
            } else {
              const lines = hits.map((h) => `${h.case}  ${h.artifact}${h.where ? ` (${h.where})` : ''} [${h.kind}]\n    ${h.snippet}`);
              io.stdout(`${lines.join('\n')}\n${hits.length} hit${hits.length === 1 ? '' : 's'}${result.more ? ' (more with a higher --limit)' : ''}.\n`);
            }
            return EXIT.ok;
          },
        };
      });
    },
  },
];
