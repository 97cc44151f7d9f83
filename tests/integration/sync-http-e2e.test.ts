/**
 * Issue 5 end to end over HTTP: a real server process on loopback (rwctl server start), a workstation
 * enrolled with a policy that names it, `rwctl sync now` pushing the outbox, keeping verified receipts
 * and getting the access log witnessed (first from size 0, then with a consistency proof); offline
 * is a scheduled retry, not a loss; when the server is back and the retry is due, the item goes.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rwctlArgs, request } from './server-process';
import { workstationWithCase, type Harness } from './attest-cli-harness';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let h: Harness;
let port: number;
let server: { child: ChildProcess; output(): string } | null = null;

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = net.createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startServer(): Promise<void> {
  const child = spawn(process.execPath, rwctlArgs(['server', 'start', '--data', path.join(h.work, 'srv'), '--listen', `127.0.0.1:${port}`]), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((done, fail) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/listening on http:\/\/127\.0\.0\.1:\d+/.test(out)) done();
    });
    child.once('exit', (code) => fail(new Error(`server exited (${code}):\n${out}`)));
  });
  server = { child, output: () => out };
}

async function stopServer(): Promise<void> {
  if (!server) return;
  const child = server.child;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await exited;
  server = null;
}

beforeAll(async () => {
  h = await workstationWithCase();
  port = await freePort();
}, 120_000);
afterAll(async () => {
  await stopServer();
  fs.rmSync(h.work, { recursive: true, force: true });
});

describe('attestation over the network, against a real server process on loopback', () => {
  it('pushes, keeps verified receipts, gets the log witnessed, and retries after being offline', async () => {
    const url = `http://127.0.0.1:${port}`;
    expect((await h.rwctl(['server', 'init', '--data', 'srv', '--name', 'central.test/log', '--url', url])).code).toBe(0);
    expect((await h.rwctl(['enroll', 'request', ...h.ws, '--out', 'request.json'])).code).toBe(0);
    expect((await h.rwctl(['server', 'enroll', 'request.json', '--data', 'srv', '--out', 'approval.json'])).code).toBe(0);
    const installed = await h.rwctl(['enroll', 'import', 'approval.json', ...h.ws]);
    expect(installed.code, installed.err).toBe(0);
    expect(installed.out).toContain(`network sync to ${url}`);

    const created = await h.rwctl(['attest', 'create', ...h.ws, '--case', h.caseId, '--verdict', 'concerns', '--summary', 'Two findings.', '--out', 'attestation.json']);
    expect(created.code, created.err).toBe(0);

    await startServer();
    const first = await h.rwctl(['sync', 'now', ...h.ws]);
    expect(first.code, first.out + first.err).toBe(0);
    expect(first.out).toContain('Delivered 2, failed 0');
    expect(first.out).toMatch(/Witness: cosigned \(size \d+\)/);

    // The server holds it: look it up by the package's root digest.
    const envelope = JSON.parse(fs.readFileSync(path.join(h.work, 'attestation.json'), 'utf8'));
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    const root = statement.subject.find((s: { name: string }) => s.name.startsWith('package:')).digest.sha256;
    // Reads need a token, printed once on the last line of `rwctl server token create`.
    const issued = await h.rwctl(['server', 'token', 'create', '--data', 'srv', '--role', 'auditor']);
    expect(issued.code, issued.err).toBe(0);
    const token = issued.out.trimEnd().split('\n').at(-1)!;
    expect((await request(`${url}/v1/attestations?subject=sha256:${root}`, 'GET')).status).toBe(401);
    const found = JSON.parse((await request(`${url}/v1/attestations?subject=sha256:${root}`, 'GET', undefined, { Authorization: `Bearer ${token}` })).body);
    expect(found.attestations.map((a: { envelope: { payload: string } }) => a.envelope.payload)).toContain(envelope.payload);

    // The log grew (the sync itself is logged): the next pass is witnessed from the last size.
    const second = await h.rwctl(['sync', 'now', ...h.ws]);
    expect(second.code, second.out).toBe(0);
    expect(second.out).toContain('Delivered 1, failed 0');
    expect(second.out).toMatch(/Witness: cosigned/);

    // Offline: the pass fails softly and schedules a retry; an immediate second pass waits.
    await stopServer();
    const offline = await h.rwctl(['sync', 'now', ...h.ws]);
    expect(offline.code).toBe(1);
    expect(offline.out).toContain('Delivered 0, failed 1');
    expect(offline.out).toContain('Witness: unreachable');
    // The checkpoint in flight waits for its retry time; no new one is queued meanwhile.
    const waiting = await h.rwctl(['sync', 'now', ...h.ws]);
    expect(waiting.out).toContain('Delivered 0, failed 0, waiting for retry 1');

    await startServer();
    h.clock.now += 24 * 60 * 60 * 1000;
    const back = await h.rwctl(['sync', 'now', ...h.ws]);
    expect(back.code, back.out).toBe(0);
    expect(back.out).toMatch(/Delivered [1-9]/);
    const status = JSON.parse((await h.rwctl(['sync', 'status', ...h.ws, '--json'])).out) as { state: string }[];
    expect(status.every((i) => i.state === 'delivered')).toBe(true);
    const verify = await h.rwctl(['audit', 'verify', ...h.ws]);
    expect(verify.code, verify.out).toBe(0);
    // And against what the witness cosigned, fetched with the auditor token.
    fs.writeFileSync(path.join(h.work, 'auditor.token'), token);
    const witnessed = await h.rwctl(['audit', 'verify', ...h.ws, '--server', url, '--token-file', 'auditor.token']);
    expect(witnessed.code, witnessed.out + witnessed.err).toBe(0);
    expect(witnessed.out).toMatch(/extends checkpoint witnessed by central\.test\/log \(size \d+\)/);
    expect(verify.out).toContain('extends checkpoint');
  }, 240_000);
});
