/**
 * HTTPS (DESIGN §2: TLS against the network attacker): with --tls-cert/--tls-key the server speaks only
 * TLS; a client pinning the certificate gets the checkpoint, a plain-HTTP client gets no answer.
 * The certificate is made by the openssl CLI; without it the suite says why it did not run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import https from 'node:https';
import { afterAll, describe, expect, it } from 'vitest';
import { initDataDir } from '../../src-server/server-config';
import { openCheckpoint } from '../../src-shared/node/checkpoint';
import { ed25519NoteVerifier } from '../../src-shared/node/signed-note';
import { fromBase64 } from '../../src-shared/encoding';
import { request, startServerProcess, type ServerProcess } from './server-process';

const hasOpenssl = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;
if (!hasOpenssl) console.warn('Server TLS test skipped: the openssl CLI (used to make a test certificate) is not installed.');

let server: ServerProcess | null = null;
afterAll(async () => {
  await server?.stop();
});

describe.skipIf(!hasOpenssl)('rwctl server start --tls-cert/--tls-key', () => {
  it('serves HTTPS to a client that pins the certificate, and nothing over plain HTTP', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rw-server-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const data = join(dir, 'data');
    const init = initDataDir(data, { name: 'tls.test/log' });
    const serverKey = fromBase64(init.config.serverPublicKey);
    server = await startServerProcess(data, undefined, ['--tls-cert', cert, '--tls-key', key]);
    expect(server.url).toMatch(/^https:/);
    const body = await new Promise<string>((done, fail) => {
      https
        .get(`${server!.url}/v1/checkpoint`, { ca: readFileSync(cert), headers: { Authorization: `Bearer ${init.adminToken}` } }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => done(text));
        })
        .on('error', fail);
    });
    expect(openCheckpoint(body, [ed25519NoteVerifier('tls.test/log', serverKey)]).checkpoint.size).toBe(0);
    await expect(request(`http://127.0.0.1:${server.port}/v1/checkpoint`, 'GET')).rejects.toThrow();
  }, 120_000);
});
