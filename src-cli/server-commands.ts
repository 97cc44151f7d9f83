/**
 * rwctl server init | start | enroll | lockout-release | revoke | token create | import-bundle: the central attestation
 * server's administration (see ARCHITECTURE: attestations and sync). The admin token is printed once by init and never stored in clear; the
 * offline commands (enroll, revoke, import-bundle) open the same store the running server uses.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RwError } from '../src-shared/errors';
import { fromBase64 } from '../src-shared/encoding';
import { formatVerifierKey, NOTE_ALG_ED25519 } from '../src-shared/node/signed-note';
import { formatCosignatureVerifierKey } from '../src-shared/node/cosignature';
import { initDataDir, loadServerConfig, DEFAULT_LISTEN, type LoadedServer } from '../src-server/server-config';
import { openServerStore } from '../src-server/open-store';
import { enrollKeys, revokeEnrolledKey, verifyEnrollmentRequest, ENROLLMENT_REQUEST_MAX_BYTES } from '../src-server/enrollment';
import { importBundle } from '../src-server/bundle-import';
import { approvalFromServer } from '../src-server/approval-bundle';
import { startServer } from '../src-server/main';
import { serverCheckpointSigner } from '../src-server/server-log';
import { createRateLimiter } from '../src-server/rate-limiter';
import { createAppendBatcher } from '../src-server/append-batcher';
import { viewOf } from '../src-server/refusal';
import { signLockoutRelease } from '../src-server/lockout-release';
import { createReadToken, isReadTokenRole, READ_TOKEN_ROLES } from '../src-server/read-tokens';
import { EXIT, pubkeyAlias, type CliIo, type Command, type ParsedArgs } from './command';

/** Written by `server init`: the policy key as a workstation trust root (controls/trust-root.ts format). */
export const WORKSTATION_TRUST_FILE = 'workstation-trust.json';

export interface ServerCommandOptions {
  /** Resolves when the running server should stop; defaults to SIGINT or SIGTERM. */
  waitForStop?: () => Promise<void>;
}

const dataOption = { kind: 'string', description: 'Server data folder', required: true } as const;
const databaseOption = { kind: 'string', description: 'postgres:// URL (default: SQLite in the data folder, or server.json "database")' } as const;

function dataDir(args: ParsedArgs, io: CliIo): string {
  return resolve(io.cwd, args.strings['data'] as string);
}

function databaseOf(args: ParsedArgs, loaded: LoadedServer): string | undefined {
  return args.strings['database'] ?? loaded.config.database;
}

function waitForSignal(): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function refusalToError(error: unknown): never {
  const view = viewOf(error);
  if (view.status === 500) throw error;
  throw new RwError(view.status === 401 ? 'SIGNATURE_INVALID' : 'INVALID_INPUT', `${view.message} (${view.reason})`);
}

export function createServerCommands(options: ServerCommandOptions = {}): Command[] {
  return [
    {
      path: ['server', 'init'],
      summary: 'Create a server data folder (keys, config); prints the admin token once',
      positionals: [],
      options: {
        data: dataOption,
        name: { kind: 'string', description: 'Note key name: origin of the server log and witness name (default rw-attestation-server/<key id>)' },
        url: { kind: 'string', description: 'Public https URL of the server, written into the policy workstations receive' },
      },
      async run(args, io) {
        const dir = dataDir(args, io);
        const { adminToken, config } = initDataDir(dir, {
          ...(args.strings['name'] ? { name: args.strings['name'] } : {}),
          ...(args.strings['url'] ? { publicUrl: args.strings['url'] } : {}),
        });
        const publicKey = fromBase64(config.serverPublicKey);
        // What an administrator installs on each workstation as the machine-wide trust root
        // (/etc/reviewer-workstation/trust.json and its Windows/macOS equivalents): policies verify under it.
        const trustFile = join(dir, WORKSTATION_TRUST_FILE);
        writeFileSync(trustFile, JSON.stringify({ version: 1, policyKeys: [config.policyPublicKey] }, null, 2) + '\n', { mode: 0o644 });
        io.stdout(
          `Server data folder created: ${dir}\n` +
            `  name: ${config.name}\n` +
            `  log verifier key: ${formatVerifierKey(config.name, NOTE_ALG_ED25519, publicKey)}\n` +
            `  witness verifier key: ${formatCosignatureVerifierKey(config.name, publicKey)}\n` +
            `  policy public key: ${config.policyPublicKey}\n` +
            `  workstation trust root: ${trustFile} (install as /etc/reviewer-workstation/trust.json on each workstation)\n` +
            `Admin token (shown once, store it in your password manager; only its hash is kept):\n${adminToken}\n`,
        );
        return EXIT.ok;
      },
    },
    {
      path: ['server', 'start'],
      summary: 'Run the central attestation server',
      positionals: [],
      options: {
        data: dataOption,
        listen: { kind: 'string', description: `HOST:PORT (default ${DEFAULT_LISTEN}; port 0 picks a free port)` },
        database: databaseOption,
        'tls-cert': { kind: 'string', description: 'PEM certificate chain: serve HTTPS' },
        'tls-key': { kind: 'string', description: 'PEM private key for --tls-cert' },
      },
      async run(args, io) {
        const certArg = args.strings['tls-cert'];
        const keyArg = args.strings['tls-key'];
        if ((certArg === undefined) !== (keyArg === undefined)) throw new RwError('USAGE', '--tls-cert and --tls-key go together.');
        const dir = dataDir(args, io);
        const server = await startServer({
          dataDir: dir,
          ...(args.strings['listen'] ? { listen: args.strings['listen'] } : {}),
          ...(args.strings['database'] ? { database: args.strings['database'] } : {}),
          ...(certArg && keyArg ? { tls: { cert: resolve(io.cwd, certArg), key: resolve(io.cwd, keyArg) } } : {}),
          clock: io.clock,
          log: (line) => io.stderr(`rwctl server: ${line}\n`),
        });
        if (server.newAdminToken) io.stdout(`rwctl server: initialised ${dir} as ${server.name}\nAdmin token (shown once; only its hash is kept):\n${server.newAdminToken}\n`);
        io.stdout(`rwctl server: ${server.name} listening on ${server.url} (${server.storeKind})\n`);
        await (options.waitForStop ?? waitForSignal)();
        await server.stop();
        io.stdout('rwctl server: stopped\n');
        return EXIT.ok;
      },
    },
    {
      path: ['server', 'lockout-release'],
      summary: "Sign a release of a workstation's lockout for its failure count (both as its lock screen shows them)",
      positionals: [],
      options: {
        data: dataOption,
        workstation: { kind: 'string', description: 'Workstation id (32 hex digits)', required: true },
        failures: { kind: 'string', description: 'The failure count the lock screen shows', required: true },
        out: { kind: 'string', description: 'Where to write the release file (JSON)', required: true },
      },
      async run(args, io) {
        const loaded = loadServerConfig(dataDir(args, io));
        const failuresArg = args.strings['failures'] as string;
        if (!/^[1-9][0-9]{0,6}$/.test(failuresArg)) throw new RwError('USAGE', '--failures is the count the lock screen shows, a whole number from 1.');
        const out = resolve(io.cwd, args.strings['out'] as string);
        if (existsSync(out)) throw new RwError('CONFLICT', 'The --out file already exists; refusing to overwrite it.');
        let envelope;
        try {
          envelope = signLockoutRelease(loaded.policySeed, { workstation: (args.strings['workstation'] as string).toLowerCase(), failures: Number(failuresArg), issuedAt: io.clock() });
        } catch {
          throw new RwError('USAGE', '--workstation is the 32 hexadecimal digits the lock screen shows.');
        }
        writeFileSync(out, `${JSON.stringify(envelope, null, 2)}\n`, { flag: 'wx', mode: 0o644 });
        io.stdout(`Lockout release for workstation ${args.strings['workstation']} at failure count ${failuresArg} written to ${out} (signed by the policy key; usable once).\n`);
        return EXIT.ok;
      },
    },
    {
      path: ['server', 'enroll'],
      summary: 'Approve a workstation enrollment request offline and write the approval bundle',
      positionals: [{ name: 'REQUEST_FILE', description: 'DSSE-signed enrollment request from `rwctl enroll request`', required: true }],
      options: {
        data: dataOption,
        out: { kind: 'string', description: 'Where to write the approval bundle (JSON)', required: true },
        pubkey: { kind: 'repeatable', description: 'PEM public key of a trusted submitter (ECDSA P-256/P-384)' },
        trust: pubkeyAlias('repeatable'),
        database: databaseOption,
      },
      async run(args, io) {
        const dir = dataDir(args, io);
        const loaded = loadServerConfig(dir);
        const requestPath = resolve(io.cwd, args.positionals[0] as string);
        const out = resolve(io.cwd, args.strings['out'] as string);
        if (existsSync(out)) throw new RwError('CONFLICT', 'The --out file already exists; refusing to overwrite it.');
        const bytes = new Uint8Array(readFileSync(requestPath));
        if (bytes.byteLength > ENROLLMENT_REQUEST_MAX_BYTES) throw new RwError('TOO_LARGE', 'The enrollment request is too large.');
        const trust = (args.lists['pubkey'] ?? []).map((p) => readFileSync(resolve(io.cwd, p), 'utf8'));
        let request;
        try {
          request = verifyEnrollmentRequest(bytes);
        } catch (error) {
          refusalToError(error);
        }
        const now = io.clock();
        const bundle = approvalFromServer(loaded, request, now, trust);
        const store = await openServerStore(dir, databaseOf(args, loaded));
        let enrolled;
        try {
          enrolled = await enrollKeys(store, request, now);
        } catch (error) {
          refusalToError(error);
        } finally {
          await store.close();
        }
        writeFileSync(out, `${JSON.stringify(bundle, null, 2)}\n`, { flag: 'wx' });
        io.stdout(`Enrolled workstation ${request.workstationId} (log origin ${request.logOrigin}):\n`);
        for (const key of enrolled) io.stdout(`  ${key.role.padEnd(8)} ${key.subject.padEnd(24)} ${key.keyId}\n`);
        io.stdout(`Approval bundle written to ${out}\n`);
        return EXIT.ok;
      },
    },
    {
      path: ['server', 'revoke'],
      summary: 'Revoke an enrolled key (its attestations and checkpoints are refused from now on)',
      positionals: [{ name: 'KEYID', description: 'sha256 hex of the key (as printed by enroll)', required: true }],
      options: { data: dataOption, database: databaseOption },
      async run(args, io) {
        const dir = dataDir(args, io);
        const loaded = loadServerConfig(dir);
        const store = await openServerStore(dir, databaseOf(args, loaded));
        try {
          const key = await revokeEnrolledKey(store, args.positionals[0] as string, io.clock());
          io.stdout(`Revoked ${key.role} key ${key.keyId} (${key.subject}).\n`);
        } catch (error) {
          refusalToError(error);
        } finally {
          await store.close();
        }
        return EXIT.ok;
      },
    },
    {
      path: ['server', 'token', 'create'],
      summary: 'Issue a read token (auditor: attestations, proofs and what the witness cosigned; reader: all but the witness); printed once on the last line',
      positionals: [],
      options: {
        data: dataOption,
        role: { kind: 'string', description: `One of ${READ_TOKEN_ROLES.join(', ')}`, required: true },
        database: databaseOption,
      },
      async run(args, io) {
        const role = args.strings['role'] as string;
        if (!isReadTokenRole(role)) throw new RwError('USAGE', `--role must be one of ${READ_TOKEN_ROLES.join(', ')}.`);
        const dir = dataDir(args, io);
        const loaded = loadServerConfig(dir);
        const store = await openServerStore(dir, databaseOf(args, loaded));
        let token: string;
        try {
          token = await createReadToken(store, role, io.clock());
        } finally {
          await store.close();
        }
        // Last line, alone, so scripts can take it with `tail -n 1`; only its SHA-256 is kept.
        io.stdout(`Read token for role ${role} (shown once; only its hash is kept):\n${token}\n`);
        return EXIT.ok;
      },
    },
    {
      path: ['server', 'import-bundle'],
      summary: 'Validate a media bundle from an air-gapped workstation and write its receipts',
      positionals: [{ name: 'DIR', description: 'The media bundle folder (`rwctl sync export`)', required: true }],
      options: {
        data: dataOption,
        out: { kind: 'string', description: 'Receipts folder (default DIR/receipts)' },
        database: databaseOption,
      },
      async run(args, io) {
        const dir = dataDir(args, io);
        const loaded = loadServerConfig(dir);
        const bundle = resolve(io.cwd, args.positionals[0] as string);
        const out = args.strings['out'] ? resolve(io.cwd, args.strings['out']) : join(bundle, 'receipts');
        const store = await openServerStore(dir, databaseOf(args, loaded));
        const limits = loaded.config.limits;
        try {
          const outcome = await importBundle(
            bundle,
            out,
            {
              store,
              appender: createAppendBatcher(store, serverCheckpointSigner(loaded.config.name, loaded.serverSeed)),
              // Media arrive in batches the administrator chose to carry: the per-key rate limit is for the network.
              limiter: createRateLimiter({ ratePerMinute: Number.MAX_SAFE_INTEGER, burst: Number.MAX_SAFE_INTEGER }, io.clock),
              clock: io.clock,
              maxBytes: limits.maxAttestationBytes,
            },
            { store, name: loaded.config.name, seed: loaded.serverSeed, clock: io.clock, maxBytes: limits.maxOtherBytes, maxGrowth: limits.maxCheckpointGrowth },
          );
          io.stdout(`Attestations: ${outcome.accepted} accepted, ${outcome.replayed} already in the log, ${outcome.refused.length} refused.\n`);
          for (const r of outcome.refused) io.stdout(`  line ${r.line}: ${r.status} ${r.code}: ${r.message}\n`);
          io.stdout(`Witness: ${outcome.witness.status}${outcome.witness.size !== undefined ? ` (size ${outcome.witness.size})` : ''}${outcome.witness.message ? `: ${outcome.witness.message}` : ''}\n`);
          io.stdout(`Receipts written to ${outcome.receiptsDir}\n`);
          return outcome.refused.length > 0 || outcome.witness.status === 'refused' ? EXIT.refused : EXIT.ok;
        } finally {
          await store.close();
        }
      },
    },
  ];
}

export const SERVER_COMMANDS: Command[] = createServerCommands();

