/**
 * The HTTP edge (node:http, or node:https when a certificate is configured). It parses nothing itself
 * beyond routing and bounded body reading: each endpoint hands bytes to the same functions the CLI uses.
 * Every refusal answers `{error: {code, message}}` with the status of its reason (refusal.ts); unknown
 * failures answer a bare 500 and never a stack, path or key. Bodies over the limit are refused with 413 as
 * soon as the declared length or the bytes read so far exceed it; the rest is never read.
 *
 * Hostile clients: the request target is parsed inside the error boundary (a target like `//[` once
 * threw outside it and killed the process), and nothing a request does may escape the handler's promise;
 * malformed requests the HTTP parser itself rejects get a bare 400/408/413/431 and a closed socket;
 * CONNECT and upgrades are refused; sockets are capped in total and per remote address, and a request
 * must arrive within the configured header and request timeouts (server.json limits).
 *
 * Reads need a bearer token (read-tokens.ts); writes are either signed by an enrolled key
 * (attestations, witness requests) or need the admin token.
 */
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { formatConflictBody } from '../src-shared/node/tlog-witness';
import { fromBase64 } from '../src-shared/encoding';
import { FINDINGS_PREDICATE_TYPE, type FindingsPredicate } from '../src-shared/attestation-types';
import { z } from 'zod';
import { parseStrictJson } from '../src-shared/strict-json';
import { acceptAttestation } from './attestation-intake';
import { checkpointJson, receiptBody } from './receipt-json';
import { checkAdminAuthorization } from './admin-token';
import { isReadTokenRole, mayRead, readAccessOf } from './read-tokens';
import { enrollKeys, revokeEnrolledKey, verifyEnrollmentRequest } from './enrollment';
import { refuse, viewOf } from './refusal';
import { consistencyProofBetween, inclusionProofAt, latestCheckpoint, serverCheckpointSigner } from './server-log';
import { createRateLimiter } from './rate-limiter';
import { createAppendBatcher } from './append-batcher';
import { createVerifyPool } from './verify-pool';
import { createKeyCache } from './key-cache';
import { addCheckpoint, witnessedCheckpoints } from './witness';
import { approvalFromServer } from './approval-bundle';
import type { LoadedServer } from './server-config';
import type { ServerStore } from './server-store';

export interface ServerApp {
  loaded: LoadedServer;
  store: ServerStore;
  clock: () => number;
  /** Where refusals and failures are noted (one line each, no secrets). */
  log?: (line: string) => void;
}

type Handler = ((req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>) & {
  /** Stops what the handler started (the signature workers); the store stays open, it is the caller's. */
  close(): Promise<void>;
};

const SECURITY_HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' } as const;

function send(res: http.ServerResponse, status: number, contentType: string, body: Uint8Array | string, extra: Record<string, string> = {}): void {
  const length = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': contentType, 'Content-Length': String(length), ...extra });
  // A string body goes out in one write with the headers (node joins them); bytes take a second buffer.
  res.end(body);
}

const JSON_TYPE = 'application/json; charset=utf-8';

function sendJson(res: http.ServerResponse, status: number, value: unknown, extra: Record<string, string> = {}): void {
  send(res, status, JSON_TYPE, `${JSON.stringify(value)}\n`, extra);
}

/** POST /v1/admin/revoke body: exactly `{"keyId": "<64 hex>"}`; anything else is refused before the store is touched. */
const RevokeBody = z.object({ keyId: z.string().regex(/^[0-9a-f]{64}$/, 'A key id is 64 lowercase hex digits.') }).strict();

function parseRevokeBody(bytes: Uint8Array): z.infer<typeof RevokeBody> {
  let json: unknown;
  try {
    json = parseStrictJson(bytes);
  } catch {
    refuse('malformed-json', 'The body must be JSON {"keyId": "<hex>"}.');
  }
  const parsed = RevokeBody.safeParse(json);
  if (!parsed.success) refuse('bad-request', `The body must be JSON {"keyId": "<hex>"}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/** Reads at most `limit` bytes; refuses (413) on the declared length before reading, or once the count passes it. */
function readBody(req: http.IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && (!/^\d+$/.test(declared) || Number(declared) > limit)) {
    return Promise.reject(viewError('body-too-large', `The body is larger than ${limit} bytes.`, limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      total += chunk.byteLength;
      if (total > limit) {
        done = true;
        req.pause();
        reject(viewError('body-too-large', `The body is larger than ${limit} bytes.`, limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      // A body that came in one chunk (an attestation, nearly always) is used as it is, without a copy.
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    });
    req.on('error', (error) => {
      if (done) return;
      done = true;
      reject(error);
    });
  });
}

function viewError(reason: 'body-too-large', message: string, limit: number): unknown {
  try {
    refuse(reason, message, { limit });
  } catch (error) {
    return error;
  }
}

interface Target {
  path: string;
  query: URLSearchParams;
}

// RFC 3986 path characters; anything else in an origin-form target (RFC 9112 §3.2.1) is refused.
const PATH_RE = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

/** The origin-form target, parsed without any call that can throw; null when it is not one. */
function parseTarget(raw: string | undefined): Target | null {
  if (raw === undefined || raw.length > 8192) return null;
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  if (!PATH_RE.test(path) || path.startsWith('//')) return null;
  return { path, query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

function queryInt(url: Target, name: string): number {
  const raw = url.query.get(name);
  if (raw === null || !/^(0|[1-9][0-9]{0,15})$/.test(raw)) refuse('bad-request', `Query parameter ${name} must be a non-negative integer.`);
  return Number(raw);
}

function requireAdmin(app: ServerApp, req: http.IncomingMessage): void {
  if (!checkAdminAuthorization(req.headers.authorization, app.loaded.config.adminTokenSha256)) {
    refuse('unauthorized', 'Administrator authorization required (Authorization: Bearer <admin token>).');
  }
}

/** What an auditor scans first: whose findings, on which case, how many (from the stored, already verified payload). */
function findingsSummary(envelopeJson: string): { caseId: string; reviewer: string; findings: number } {
  const envelope = JSON.parse(envelopeJson) as { payload: string };
  const statement = JSON.parse(new TextDecoder().decode(fromBase64(envelope.payload))) as { predicate: FindingsPredicate };
  return { caseId: statement.predicate.caseId, reviewer: statement.predicate.reviewer.id, findings: statement.predicate.findings.length };
}

type Route = (req: http.IncomingMessage, res: http.ServerResponse, target: Target) => Promise<void>;

export function createHandler(app: ServerApp): Handler {
  const { loaded, store, clock } = app;
  const access = (req: http.IncomingMessage) =>
    readAccessOf(req.headers.authorization, loaded.config.adminTokenSha256, async (digest) => {
      const role = await store.readTokenRole(digest);
      return role !== null && isReadTokenRole(role) ? role : null;
    });
  const requireRead = async (req: http.IncomingMessage, what: 'log' | 'witness' | 'findings') => {
    const who = await access(req);
    if (who === null) refuse('unauthorized', 'A read token is required (Authorization: Bearer <token from rwctl server token create>).');
    if (!mayRead(who, what)) refuse('forbidden', `This token may not read ${what === 'findings' ? 'the findings workstations signed' : 'what the witness cosigned'}; an auditor token is required.`);
  };
  const limits = loaded.config.limits;
  const signer = serverCheckpointSigner(loaded.config.name, loaded.serverSeed);
  const limiter = createRateLimiter({ ratePerMinute: limits.ratePerMinute, burst: limits.rateBurst }, clock);
  // Each handler owns its signature workers and stops them on close, so a server started again in the same
  // process starts workers of its own.
  const verifier = createVerifyPool();
  const keys = createKeyCache(store);
  const intake = { store, appender: createAppendBatcher(store, signer), limiter, clock, maxBytes: limits.maxAttestationBytes, verifier, keys };
  const receiptCheckpoint = checkpointJson();
  const witness = { store, name: loaded.config.name, seed: loaded.serverSeed, clock, maxBytes: limits.maxOtherBytes, maxGrowth: limits.maxCheckpointGrowth };

  const routes: Record<string, Route> = {
    'POST /v1/attestations': async (req, res) => {
      const result = await acceptAttestation(intake, await readBody(req, limits.maxAttestationBytes), 'http');
      // The receipts answered together share their checkpoint, whose JSON is written once for them.
      send(res, result.status, JSON_TYPE, receiptBody(result.receipt, receiptCheckpoint(result.receipt.checkpoint)));
    },
    'GET /v1/attestations': async (req, res, url) => {
      await requireRead(req, 'log');
      const match = /^sha256:([0-9a-f]{64})$/.exec(url.query.get('subject') ?? '');
      if (!match) refuse('bad-request', 'Query parameter subject must be sha256:<64 lowercase hex digits>.');
      const found = await store.attestationsBySubject(match[1]!, limits.maxQueryResults);
      sendJson(res, 200, { attestations: found.map((a) => ({ envelope: JSON.parse(a.envelope) as unknown, receipt: a.receipt })) });
    },
    'GET /v1/findings': async (req, res, url) => {
      await requireRead(req, 'findings');
      // Pages by log index: ?after=<the last logIndex seen>, oldest first.
      const after = url.query.has('after') ? queryInt(url, 'after') : -1;
      const found = await store.attestationsByType(FINDINGS_PREDICATE_TYPE, after, limits.maxQueryResults);
      sendJson(res, 200, { findings: found.map((a) => ({ ...findingsSummary(a.envelope), receivedAt: a.receivedAt, envelope: JSON.parse(a.envelope) as unknown, receipt: a.receipt })) });
    },
    'POST /v1/witness/add-checkpoint': async (req, res) => {
      const result = await addCheckpoint(witness, await readBody(req, limits.maxOtherBytes));
      send(res, 200, 'text/plain; charset=utf-8', result.cosignature);
    },
    'GET /v1/witness/checkpoints': async (req, res, url) => {
      await requireRead(req, 'witness');
      const origin = url.query.get('origin');
      if (origin === null || origin.length === 0 || origin.length > 256) refuse('bad-request', 'Query parameter origin must name a log origin.');
      sendJson(res, 200, await witnessedCheckpoints(witness, origin));
    },
    'GET /v1/checkpoint': async (req, res) => {
      await requireRead(req, 'log');
      send(res, 200, 'text/plain; charset=utf-8', (await latestCheckpoint(store, signer)).checkpoint);
    },
    'GET /v1/proofs/inclusion': async (req, res, url) => {
      await requireRead(req, 'log');
      sendJson(res, 200, await inclusionProofAt(store, queryInt(url, 'index'), queryInt(url, 'size')));
    },
    'GET /v1/proofs/consistency': async (req, res, url) => {
      await requireRead(req, 'log');
      sendJson(res, 200, await consistencyProofBetween(store, queryInt(url, 'from'), queryInt(url, 'to')));
    },
    'POST /v1/admin/enroll': async (req, res) => {
      requireAdmin(app, req);
      const request = verifyEnrollmentRequest(await readBody(req, limits.maxOtherBytes));
      const now = clock();
      const enrolled = await enrollKeys(store, request, now);
      const approval = approvalFromServer(loaded, request, now);
      sendJson(res, 201, { enrolled: enrolled.map((k) => ({ keyId: k.keyId, role: k.role, subject: k.subject })), approval });
    },
    'POST /v1/admin/revoke': async (req, res) => {
      requireAdmin(app, req);
      const { keyId } = parseRevokeBody(await readBody(req, limits.maxOtherBytes));
      const key = await revokeEnrolledKey(store, keyId, clock());
      keys.forget(keyId);
      sendJson(res, 200, { keyId: key.keyId, revokedAt: key.revokedAt });
    },
  };
  const knownPaths = new Set(Object.keys(routes).map((r) => r.split(' ')[1]));

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    let path = '(malformed target)';
    try {
      const target = parseTarget(req.url);
      if (target === null) refuse('bad-request', 'The request target must be a path (origin-form) of URL characters.');
      path = target.path;
      const route = routes[`${req.method} ${path}`];
      if (!route) {
        if (knownPaths.has(path)) refuse('method-not-allowed', `${req.method} is not allowed on ${path}.`);
        refuse('not-found', 'No such endpoint.');
      }
      await route(req, res, target);
    } catch (error) {
      const view = viewOf(error);
      // The log line carries the path only when it parsed (never raw attacker bytes into the log).
      app.log?.(`${String(req.method).slice(0, 16)} ${path} -> ${view.status} ${view.reason}${view.status === 500 ? ` (${error instanceof Error ? error.name : 'unknown'})` : ''}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const extra: Record<string, string> = {};
      // Unread body: close the connection rather than read what we refused.
      if (view.reason === 'body-too-large' || !req.readableEnded) extra.Connection = 'close';
      if (view.reason === 'rate-limited' && typeof view.detail.retryAfterSeconds === 'number') extra['Retry-After'] = String(view.detail.retryAfterSeconds);
      if (view.reason === 'witness-conflict' && typeof view.detail.size === 'number') {
        // tlog-witness: the 409 body is the held size, as text/x.tlog.size.
        send(res, 409, 'text/x.tlog.size', formatConflictBody(view.detail.size), extra);
      } else {
        const detail = Object.keys(view.detail).length > 0 ? { detail: view.detail } : {};
        sendJson(res, view.status, { error: { code: view.reason, message: view.message, ...detail } }, extra);
      }
      if (extra.Connection === 'close') res.once('finish', () => req.destroy());
    }
  };
  return Object.assign(handle, { close: () => verifier.close() });
}

export interface ListenOptions {
  host: string;
  port: number;
  tls?: { cert: string; key: string };
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function parseListen(value: string): { host: string; port: number } {
  const match = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(0|[1-9][0-9]{0,4})$/.exec(value);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) throw new Error(`--listen must be HOST:PORT (e.g. 127.0.0.1:8787), got "${value}".`);
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

const BARE_ANSWERS: Record<number, string> = { 400: 'Bad Request', 405: 'Method Not Allowed', 408: 'Request Timeout', 413: 'Content Too Large', 431: 'Request Header Fields Too Large' };

/** A minimal answer written straight to a socket the HTTP parser gave up on (no request object exists). */
function bareAnswer(socket: Duplex, status: number): void {
  if (!socket.writable || socket.destroyed) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status} ${BARE_ANSWERS[status] ?? 'Bad Request'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
}

function clientErrorStatus(error: Error & { code?: string }): number {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return 431;
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 408;
    default:
      return 400;
  }
}

export async function listen(app: ServerApp, options: ListenOptions): Promise<RunningServer> {
  const handler = createHandler(app);
  const limits = app.loaded.config.limits;
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    // The handler answers every error itself; this catch is the last line so that nothing a request
    // does can become an unhandled rejection, which would end the process.
    handler(req, res).catch(() => res.destroy());
  };
  const serverOptions: http.ServerOptions = {
    // Slow-loris and idle sockets must not pin the server: headers, then the whole request, must arrive
    // in time. Node checks these deadlines every connectionsCheckingInterval (30 s by default, which
    // would let a trickling client hold a socket for three times the limit).
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: 500,
    keepAliveTimeout: 5_000,
    maxHeaderSize: 16 * 1024,
  };
  const server = options.tls
    ? https.createServer({ ...serverOptions, cert: readFileSync(options.tls.cert), key: readFileSync(options.tls.key) }, onRequest)
    : http.createServer(serverOptions, onRequest);
  server.maxConnections = limits.maxConnections;
  server.maxRequestsPerSocket = 1000;
  const perAddress = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const open = (perAddress.get(address) ?? 0) + 1;
    perAddress.set(address, open);
    socket.once('close', () => {
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left <= 0) perAddress.delete(address);
      else perAddress.set(address, left);
    });
    // One host must not hold every slot; its extra sockets are closed before a byte is read.
    if (open > limits.maxConnectionsPerAddress) socket.destroy();
  });
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    bareAnswer(socket, clientErrorStatus(error));
  });
  // A tunnel or protocol switch is nothing this server offers.
  server.on('connect', (_req: http.IncomingMessage, socket: Duplex) => bareAnswer(socket, 405));
  server.on('upgrade', (_req: http.IncomingMessage, socket: Duplex) => bareAnswer(socket, 400));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => handler.close()),
  };
}
