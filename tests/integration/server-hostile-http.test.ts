/**
 * The server as an anonymous, hostile client sees it, over raw sockets to a real server process:
 * malformed requests never take the process down (a target like `//[` once did), trickled bodies and
 * piles of sockets from one address do not hold it, and nothing is read without a token.
 */
import net from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initDataDir } from '../../src-server/server-config';
import { openServerStore } from '../../src-server/open-store';
import { enrollKeys } from '../../src-server/enrollment';
import { createReadToken } from '../../src-server/read-tokens';
import { openCheckpoint } from '../../src-shared/node/checkpoint';
import { cosignatureVerifier } from '../../src-shared/node/cosignature';
import { fromBase64 } from '../../src-shared/encoding';
import { enrollmentRequest, testAuditLog, testWorkstation } from './server-fixtures';
import { request, rwctlArgs, startServerProcess, type ServerProcess } from './server-process';

const NAME = 'hostile.test/attestations';
let data: string;
let server: ServerProcess;
let adminToken: string;
let readerToken: string;
let auditorToken: string;
let serverPublicKey: Uint8Array;
const ws = testWorkstation(1);

/** Writes raw bytes, returns what came back before the server closed the socket (or `waitMs` passed). */
function raw(bytes: string | Buffer, waitMs = 4000): Promise<{ text: string; closed: boolean; ms: number }> {
  return new Promise((done) => {
    const started = Date.now();
    const socket = net.connect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let finished = false;
    const finish = (closed: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      done({ text: Buffer.concat(chunks).toString('latin1'), closed, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.write(bytes);
  });
}

function statusOf(text: string): number | null {
  const match = /^HTTP\/1\.1 (\d{3}) /.exec(text);
  return match ? Number(match[1]) : null;
}

beforeAll(async () => {
  data = join(mkdtempSync(join(tmpdir(), 'rw-server-hostile-')), 'data');
  const init = initDataDir(data, { name: NAME, limits: { headersTimeoutMs: 1000, requestTimeoutMs: 1500, maxConnectionsPerAddress: 6 } });
  adminToken = init.adminToken;
  serverPublicKey = fromBase64(init.config.serverPublicKey);
  const store = await openServerStore(data);
  await enrollKeys(store, enrollmentRequest(ws, 3), 1);
  readerToken = await createReadToken(store, 'reader', 1);
  await store.close();
  // The operator's way to issue an auditor token: printed once, on the last line.
  const created = spawnSync(process.execPath, rwctlArgs(['server', 'token', 'create', '--data', data, '--role', 'auditor']), { encoding: 'utf8' });
  expect(created.status, created.stderr).toBe(0);
  auditorToken = created.stdout.trimEnd().split('\n').at(-1)!;
  expect(auditorToken).toMatch(/^rwtok_[A-Za-z0-9_-]{43}$/);
  server = await startServerProcess(data);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe('malformed requests over a raw socket', () => {
  const big = 'a'.repeat(70 * 1024);
  const battery: [string, string][] = [
    ['a target that is not a URL path', 'GET //[ HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['an absolute-form target that does not parse', 'GET http://[ HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['bad percent escapes in the query', 'GET /v1/attestations?subject=%zz%ff HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['duplicate Content-Length', 'POST /v1/attestations HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!'],
    ['bad chunked encoding', 'POST /v1/attestations HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n'],
    ['chunked and Content-Length together', 'POST /v1/attestations HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n'],
    ['a 70 KB request line', `GET /${big} HTTP/1.1\r\nHost: x\r\n\r\n`],
    ['a 70 KB header', `GET /v1/checkpoint HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\n\r\n`],
    ['CONNECT', 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'],
    ['OPTIONS *', 'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['an upgrade', 'GET /v1/checkpoint HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n'],
    ['an unknown HTTP version', 'GET / HTTP/9.9\r\nHost: x\r\n\r\n'],
    ['binary garbage', '\u0000\u0001\u0002\u00ff garbage\r\n\r\n'],
    ['a NUL in the target', 'GET /v1/\u0000 HTTP/1.1\r\nHost: x\r\n\r\n'],
  ];

  it('answers each with a 4xx or a closed socket, and the server keeps serving', async () => {
    for (const [name, bytes] of battery) {
      const answer = await raw(Buffer.from(bytes, 'latin1'));
      const status = statusOf(answer.text);
      expect(status === null ? answer.closed : status >= 400 && status < 500, `${name}: ${answer.text.slice(0, 80)}`).toBe(true);
      expect(answer.text, name).not.toMatch(/\bat .*\.(ts|js):\d+|node_modules/);
    }
    expect(server.child.exitCode).toBeNull();
    const normal = await request(`${server.url}/v1/checkpoint`, 'GET', undefined, { Authorization: `Bearer ${readerToken}` });
    expect(normal.status).toBe(200);
    expect(normal.body).toMatch(/^hostile\.test\/attestations\n0\n/);
  });
});

describe('slow and piled-up clients', () => {
  it('closes a connection that trickles its body within the configured request timeout', async () => {
    const started = Date.now();
    const closedAfter = await new Promise<number>((done) => {
      const socket = net.connect(server.port, '127.0.0.1');
      socket.write('POST /v1/attestations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
      const drip = setInterval(() => socket.writable && socket.write(' '), 100);
      const give = setTimeout(() => socket.destroy(), 8000);
      socket.on('data', () => undefined);
      socket.on('close', () => {
        clearInterval(drip);
        clearTimeout(give);
        done(Date.now() - started);
      });
      socket.on('error', () => undefined);
    });
    // requestTimeoutMs 1500 plus Node's deadline check interval; the old server held it for ~30 s.
    expect(closedAfter).toBeGreaterThanOrEqual(1400);
    expect(closedAfter).toBeLessThan(5000);
    expect(server.child.exitCode).toBeNull();
  });

  it('caps the sockets one address may hold; the next is closed unanswered, and service resumes once they go', async () => {
    const held = await Promise.all(
      Array.from({ length: 6 }, () => new Promise<net.Socket>((done) => {
        const socket = net.connect(server.port, '127.0.0.1', () => done(socket));
        socket.on('error', () => undefined);
      })),
    );
    // Each holds its slot with a request whose headers never finish.
    for (const socket of held) socket.write('GET /v1/checkpoint HTTP/1.1\r\nHost: x\r\n');
    await new Promise((r) => setTimeout(r, 100));
    const extra = await raw('GET /v1/checkpoint HTTP/1.1\r\nHost: x\r\n\r\n', 2000);
    expect(extra.closed).toBe(true);
    expect(extra.text).toBe('');
    for (const socket of held) socket.destroy();
    await new Promise((r) => setTimeout(r, 200));
    expect((await request(`${server.url}/v1/checkpoint`, 'GET', undefined, { Authorization: `Bearer ${readerToken}` })).status).toBe(200);
  });
});

describe('reads need a token', () => {
  const subject = `/v1/attestations?subject=sha256:${'0'.repeat(64)}`;

  it('refuses anonymous and unknown tokens on every read, and accepts reader, auditor and admin tokens', async () => {
    for (const path of [subject, '/v1/checkpoint', '/v1/proofs/consistency?from=1&to=1', `/v1/witness/checkpoints?origin=${encodeURIComponent(ws.logOrigin)}`]) {
      for (const headers of [{} as Record<string, string>, { Authorization: 'Bearer rwtok_unknown' }, { Authorization: `Basic ${readerToken}` }]) {
        const answer = await request(`${server.url}${path}`, 'GET', undefined, headers);
        expect(answer.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'unauthorized' } });
      }
    }
    for (const token of [readerToken, auditorToken, adminToken]) {
      expect((await request(`${server.url}${subject}`, 'GET', undefined, { Authorization: `Bearer ${token}` })).status).toBe(200);
    }
  });

  it('gives what the witness cosigned to auditors only; the cosignature verifies under the server key', async () => {
    const path = `/v1/witness/checkpoints?origin=${encodeURIComponent(ws.logOrigin)}`;
    const reader = await request(`${server.url}${path}`, 'GET', undefined, { Authorization: `Bearer ${readerToken}` });
    expect(reader.status).toBe(403);
    const answer = await request(`${server.url}${path}`, 'GET', undefined, { Authorization: `Bearer ${auditorToken}` });
    expect(answer.status, answer.body).toBe(200);
    const seen = JSON.parse(answer.body) as { origin: string; checkpoints: { size: number; checkpoint: string }[] };
    expect(seen.checkpoints[0]!.size).toBe(3);
    const { checkpoint } = openCheckpoint(seen.checkpoints[0]!.checkpoint, [cosignatureVerifier(NAME, serverPublicKey)], { origin: ws.logOrigin });
    expect(checkpoint.rootHash).toEqual(testAuditLog(ws, 3).checkpointAt(3).rootHash);
    const unknown = await request(`${server.url}/v1/witness/checkpoints?origin=rw.test%2Fnone`, 'GET', undefined, { Authorization: `Bearer ${auditorToken}` });
    expect(unknown.status).toBe(404);
  });

  it('keeps no token in clear: neither the database nor server.json holds one', () => {
    for (const file of ['server.db', 'server.json']) {
      const bytes = readFileSync(join(data, file), 'latin1');
      for (const token of [readerToken, auditorToken, adminToken]) expect(bytes.includes(token), file).toBe(false);
    }
  });
});
