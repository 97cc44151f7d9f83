/**
 * `rwctl audit verify --server URL --token-file F`: what the central witness last cosigned for this
 * workstation's log, fetched with an auditor token and checked under the server key pinned at
 * enrollment. The local log must extend it. A local rewrite below that size (triggers dropped, leaves,
 * nodes, checkpoints and witnessed_checkpoints all edited to agree) is then caught, because the witness's
 * copy is off the laptop; an edited enrollment row (another server key) makes the cosignature fail, which
 * is reported, never ignored.
 */
import { z } from 'zod';
import { RwError } from '../src-shared/errors';
import { openCheckpoint } from '../src-shared/node/checkpoint';
import { cosignatureVerifier } from '../src-shared/node/cosignature';
import { parseStrictJson } from '../src-shared/strict-json';
import type { ExternalCheckpoint } from '../src-main/audit/verify-log';

const MAX_ANSWER_BYTES = 256 * 1024;
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

const answerSchema = z
  .object({
    origin: z.string(),
    checkpoints: z.array(z.object({ size: z.number().int().min(0), rootHash: z.string(), checkpoint: z.string().max(64 * 1024), witnessedAt: z.number() }).strict()).min(1).max(100),
  })
  .strict();

export type WitnessFetch = (url: string, init: { method: 'GET'; headers: Record<string, string>; redirect: 'error' }) => Promise<{ status: number; arrayBuffer(): Promise<ArrayBuffer> }>;

export interface WitnessSource {
  serverUrl: string;
  token: string;
  /** This log's origin and the witness name and key pinned at enrollment. */
  origin: string;
  serverName: string;
  serverPublicKey: Uint8Array;
  fetch?: WitnessFetch;
}

export function witnessUrl(serverUrl: string, origin: string): string {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    throw new RwError('USAGE', '--server must be a URL such as https://attest.example.gov.');
  }
  if (url.username || url.password || url.search || url.hash) throw new RwError('USAGE', '--server may not carry credentials, a query or a fragment.');
  // The token must not cross the network in clear.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) throw new RwError('USAGE', '--server must be https (plain http only on loopback).');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}/v1/witness/checkpoints?origin=${encodeURIComponent(origin)}`;
}

/** The witness's latest cosigned checkpoint for `origin`, as an external checkpoint the log must extend. */
export async function fetchWitnessedCheckpoint(source: WitnessSource): Promise<ExternalCheckpoint & { size: number }> {
  const url = witnessUrl(source.serverUrl, source.origin);
  const fetchFn: WitnessFetch = source.fetch ?? ((u, init) => fetch(u, init));
  let response;
  try {
    response = await fetchFn(url, { method: 'GET', headers: { Authorization: `Bearer ${source.token}` }, redirect: 'error' });
  } catch {
    throw new RwError('INVALID_INPUT', 'The witness server could not be reached.');
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (response.status === 401 || response.status === 403) throw new RwError('AUTH_FAILED', `The witness server refused the token (${response.status}); an auditor token is required.`);
  if (response.status === 404) throw new RwError('NOT_FOUND', 'The witness holds no checkpoint for this log: the workstation is not enrolled there.');
  if (response.status !== 200) throw new RwError('INVALID_INPUT', `The witness server answered ${response.status}.`);
  if (bytes.byteLength > MAX_ANSWER_BYTES) throw new RwError('TOO_LARGE', 'The witness answer is too large.');
  const parsed = answerSchema.safeParse(parseStrictJson(bytes, { maxDepth: 8 }));
  if (!parsed.success || parsed.data.origin !== source.origin) throw new RwError('INVALID_INPUT', 'The witness answer is malformed.');
  const latest = parsed.data.checkpoints.reduce((a, b) => (b.size > a.size ? b : a));
  let size: number;
  try {
    const opened = openCheckpoint(latest.checkpoint, [cosignatureVerifier(source.serverName, source.serverPublicKey)], { origin: source.origin });
    size = opened.checkpoint.size;
  } catch {
    throw new RwError('SIGNATURE_INVALID', "The witness's checkpoint is not cosigned by the server key pinned at enrollment (the enrollment record or the server is not the one expected).");
  }
  return { label: `witnessed by ${source.serverName}`, note: new TextEncoder().encode(latest.checkpoint), size };
}
