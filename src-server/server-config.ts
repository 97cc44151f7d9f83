/**
 * The server's data folder: `server.json` (no secrets beyond the admin token's hash), `server.key` (the
 * Ed25519 seed that signs the server's checkpoints and cosigns workstations' checkpoints), `policy.key`
 * (signs the policy handed out at enrollment) and `policy.json` (the policy an administrator edits), plus
 * the embedded SQLite store. `initDataDir` creates them; `loadServerConfig` refuses anything malformed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ed25519PublicFromSeed, randomBytes } from '../src-shared/node/crypto';
import { toBase64, toHex } from '../src-shared/encoding';
import { RwError } from '../src-shared/errors';
import { isValidKeyName } from '../src-shared/node/signed-note';
import { ATTESTATION_MAX_BYTES } from '../src-shared/attestation-types';
import { DEFAULT_POLICY, policySchema, type Policy } from '../src-shared/policy';
import { parseStrictJson } from '../src-shared/strict-json';
import { generateAdminToken } from './admin-token';
import { ensurePrivateDir, readPrivateFile, writePrivateFile } from './private-files';

export const SERVER_FILES = {
  config: 'server.json',
  serverKey: 'server.key',
  policyKey: 'policy.key',
  policy: 'policy.json',
  sqlite: 'server.db',
} as const;

export const DEFAULT_LISTEN = '127.0.0.1:8787';

export const serverLimitsSchema = z
  .object({
    /** POST /v1/attestations body limit (256 KiB). */
    maxAttestationBytes: z.number().int().min(1024).max(ATTESTATION_MAX_BYTES),
    /** Admin and witness bodies are small text or JSON. */
    maxOtherBytes: z.number().int().min(1024).max(1024 * 1024),
    /** Per enrolled key: sustained attestations per minute and the burst allowed on top. */
    ratePerMinute: z.number().int().min(1).max(10_000_000),
    rateBurst: z.number().int().min(1).max(10_000_000),
    /** GET /v1/attestations?subject= answers at most this many. */
    maxQueryResults: z.number().int().min(1).max(10_000),
    /**
     * A client that trickles its headers or body holds a socket: the whole request must arrive within
     * requestTimeoutMs, its headers within headersTimeoutMs (Node closes the socket with 408).
     * Defaults are filled in for server.json files written before these limits existed.
     */
    headersTimeoutMs: z.number().int().min(500).max(10_000).default(10_000),
    requestTimeoutMs: z.number().int().min(500).max(15_000).default(15_000),
    /** Open sockets in all, and from one remote address (one host must not take every slot). */
    maxConnections: z.number().int().min(1).max(100_000).default(1024),
    maxConnectionsPerAddress: z.number().int().min(1).max(100_000).default(64),
    /**
     * The most leaves one witnessed checkpoint may add to the size the witness holds. A device key holder
     * can make a consistency "proof" for any size (the proof's hashes are theirs to choose); a jump to an
     * absurd size would leave the genuine log unable ever to prove consistency again.
     */
    maxCheckpointGrowth: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).default(10_000_000),
  })
  .strict()
  .refine((l) => l.headersTimeoutMs <= l.requestTimeoutMs, { message: 'headersTimeoutMs must not exceed requestTimeoutMs' });
export type ServerLimits = z.output<typeof serverLimitsSchema>;

export const DEFAULT_LIMITS: ServerLimits = {
  maxAttestationBytes: ATTESTATION_MAX_BYTES,
  maxOtherBytes: 64 * 1024,
  ratePerMinute: 120,
  rateBurst: 60,
  maxQueryResults: 100,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  maxConnections: 1024,
  maxConnectionsPerAddress: 64,
  maxCheckpointGrowth: 10_000_000,
};

export const serverConfigSchema = z
  .object({
    version: z.literal(1),
    /** C2SP note key name: the origin of the server's own log and the name on its cosignatures. */
    name: z.string().refine(isValidKeyName, { message: 'must be a valid note key name' }),
    adminTokenSha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** base64 raw Ed25519 public keys, written at init so operators can read them without the seeds. */
    serverPublicKey: z.string(),
    policyPublicKey: z.string(),
    publicUrl: z.string().url().optional(),
    listen: z.string().optional(),
    database: z.string().optional(),
    tls: z.object({ cert: z.string().min(1), key: z.string().min(1) }).strict().optional(),
    limits: serverLimitsSchema,
    /** SPKI PEM keys handed to workstations in every approval (besides `--trust` on the CLI). */
    trustedSubmitterKeys: z.array(z.string().min(1).max(4096)).max(100),
  })
  .strict();
export type ServerConfig = z.infer<typeof serverConfigSchema>;

export interface LoadedServer {
  dir: string;
  config: ServerConfig;
  serverSeed: Uint8Array;
  serverPublicKey: Uint8Array;
  policySeed: Uint8Array;
  policy: Policy;
}

export interface InitOptions {
  name?: string;
  publicUrl?: string;
  random?: (n: number) => Uint8Array;
  limits?: Partial<ServerLimits>;
}

/** Creates the data folder; returns the admin token, which is shown once and never stored. */
export function initDataDir(dir: string, options: InitOptions = {}): { adminToken: string; config: ServerConfig } {
  const random = options.random ?? randomBytes;
  if (existsSync(join(dir, SERVER_FILES.config))) throw new RwError('CONFLICT', 'This data folder already holds a server; refusing to overwrite it.');
  ensurePrivateDir(dir);
  const serverSeed = random(32);
  const policySeed = random(32);
  const serverPublicKey = ed25519PublicFromSeed(serverSeed);
  const name = options.name ?? `rw-attestation-server/${toHex(serverPublicKey.subarray(0, 4))}`;
  if (!isValidKeyName(name)) throw new RwError('INVALID_INPUT', 'The server name must be a valid note key name (no spaces or "+").');
  const admin = generateAdminToken(random);
  const config: ServerConfig = {
    version: 1,
    name,
    adminTokenSha256: admin.sha256,
    serverPublicKey: toBase64(serverPublicKey),
    policyPublicKey: toBase64(ed25519PublicFromSeed(policySeed)),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    limits: serverLimitsSchema.parse({ ...DEFAULT_LIMITS, ...options.limits }),
    trustedSubmitterKeys: [],
  };
  const policy: Policy = { ...DEFAULT_POLICY, server: options.publicUrl ? { url: options.publicUrl, publicKey: config.serverPublicKey } : null };
  writePrivateFile(join(dir, SERVER_FILES.serverKey), serverSeed);
  writePrivateFile(join(dir, SERVER_FILES.policyKey), policySeed);
  writePrivateFile(join(dir, SERVER_FILES.policy), `${JSON.stringify(policySchema.parse(policy), null, 2)}\n`);
  writePrivateFile(join(dir, SERVER_FILES.config), `${JSON.stringify(config, null, 2)}\n`);
  return { adminToken: admin.token, config };
}

function parseJsonFile<T>(path: string, schema: z.ZodType<T>, what: string): T {
  let value: unknown;
  try {
    value = parseStrictJson(readFileSync(path));
  } catch {
    throw new RwError('INVALID_INPUT', `The server's ${what} is not valid JSON.`);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new RwError('INVALID_INPUT', `The server's ${what} is invalid: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'malformed'}.`);
  }
  return result.data;
}

function readSeed(path: string, what: string): Uint8Array {
  const seed = readPrivateFile(path, what);
  if (seed.byteLength !== 32) throw new RwError('INVALID_INPUT', `The server's ${what} is damaged.`);
  return seed;
}

export function loadServerConfig(dir: string): LoadedServer {
  const configPath = join(dir, SERVER_FILES.config);
  if (!existsSync(configPath)) throw new RwError('NOT_FOUND', 'No server in this data folder; run "rwctl server init --data DIR" first.');
  readPrivateFile(configPath, 'configuration');
  const config = parseJsonFile(configPath, serverConfigSchema, 'configuration (server.json)');
  const serverSeed = readSeed(join(dir, SERVER_FILES.serverKey), 'signing key (server.key)');
  const policySeed = readSeed(join(dir, SERVER_FILES.policyKey), 'policy key (policy.key)');
  const serverPublicKey = ed25519PublicFromSeed(serverSeed);
  if (toBase64(serverPublicKey) !== config.serverPublicKey) throw new RwError('INVALID_INPUT', 'server.key does not match the public key in server.json.');
  if (toBase64(ed25519PublicFromSeed(policySeed)) !== config.policyPublicKey) throw new RwError('INVALID_INPUT', 'policy.key does not match the public key in server.json.');
  const policy = parseJsonFile(join(dir, SERVER_FILES.policy), policySchema, 'policy (policy.json)');
  return { dir, config, serverSeed, serverPublicKey, policySeed, policy };
}
