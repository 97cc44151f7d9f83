/**
 * The trust root (DESIGN §4): the keys that may sign the policy come from outside the vault folder, so
 * whoever can write the vault (malware in the user's session, the reviewer themself) cannot install a
 * laxer policy by rewriting the enrollment row that used to pin the key. The root is, in order:
 *  1. the file named by RW_TRUST_ROOT (tests and rwctl; an administrator's explicit choice),
 *  2. the machine-wide file the administrator writes at install, readable by all, writable only by an
 *     administrator: /etc/reviewer-workstation/trust.json (Linux),
 *     /Library/Application Support/ReviewerWorkstation/trust.json (macOS),
 *     %ProgramData%\ReviewerWorkstation\trust.json (Windows),
 *  3. a trust.json shipped inside the signed app (asar, under Electron's asar integrity check).
 * Without any of them no signed policy is accepted and the strictest defaults stay in force.
 *
 * A trust file that exists but does not parse is an error, not "no root": it is refused the same way.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { fromBase64 } from '../../src-shared/encoding';
import { RwError } from '../../src-shared/errors';

export const TRUST_FILE_VERSION = 1;
const MAX_TRUST_FILE_BYTES = 64 * 1024;

const rawKey = z
  .string()
  .regex(/^[A-Za-z0-9+/]{43}=$/)
  .refine((k) => fromBase64(k).byteLength === 32, 'an Ed25519 public key is 32 bytes');

export const trustFileSchema = z
  .object({
    version: z.literal(TRUST_FILE_VERSION),
    /** Raw Ed25519 public keys (base64) that may sign the policy. */
    policyKeys: z.array(rawKey).min(1).max(16),
  })
  .strict();

export type TrustFile = z.infer<typeof trustFileSchema>;

export interface TrustRoot {
  policyKeys: Uint8Array[];
  /** Where it was read from (logged with policy decisions). */
  source: string;
}

/** The machine-wide location for this platform. */
export function machineTrustPath(platform: NodeJS.Platform, env: Record<string, string | undefined>): string {
  if (platform === 'win32') return join(env['ProgramData'] ?? 'C:\\ProgramData', 'ReviewerWorkstation', 'trust.json');
  if (platform === 'darwin') return '/Library/Application Support/ReviewerWorkstation/trust.json';
  return '/etc/reviewer-workstation/trust.json';
}

/** The candidate files in order of precedence (see the module comment). */
export function trustRootCandidates(options: { env: Record<string, string | undefined>; platform: NodeJS.Platform; bundledPath?: string | null }): string[] {
  const out: string[] = [];
  const named = options.env['RW_TRUST_ROOT'];
  if (named) return [named];
  out.push(machineTrustPath(options.platform, options.env));
  if (options.bundledPath) out.push(options.bundledPath);
  return out;
}

export function parseTrustFile(bytes: Uint8Array, source: string): TrustRoot {
  if (bytes.byteLength > MAX_TRUST_FILE_BYTES) throw new RwError('POLICY_REFUSED', 'The trust root file is too large.', { source });
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new RwError('POLICY_REFUSED', 'The trust root file is not JSON.', { source });
  }
  const parsed = trustFileSchema.safeParse(json);
  if (!parsed.success) throw new RwError('POLICY_REFUSED', 'The trust root file does not match its schema.', { source });
  return { policyKeys: parsed.data.policyKeys.map(fromBase64), source };
}

/**
 * Reads the first candidate that exists. Null when none does (then no signed policy is accepted).
 * A POSIX trust file writable by group or others is refused: anyone could then name their own key.
 */
export function loadTrustRoot(options: { env: Record<string, string | undefined>; platform: NodeJS.Platform; bundledPath?: string | null }): TrustRoot | null {
  for (const path of trustRootCandidates(options)) {
    if (!existsSync(path)) continue;
    if (options.platform !== 'win32' && (statSync(path).mode & 0o022) !== 0) {
      throw new RwError('POLICY_REFUSED', 'The trust root file is writable by others; refusing it.', { source: path });
    }
    return parseTrustFile(new Uint8Array(readFileSync(path)), path);
  }
  return null;
}

/** The trust root this process uses: the environment and platform of the running process. */
export function processTrustRoot(bundledPath: string | null = null): TrustRoot | null {
  return loadTrustRoot({ env: process.env, platform: process.platform, bundledPath });
}
