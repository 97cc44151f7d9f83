/**
 * Property tests for the server's parsers (DESIGN §2: "parsers fuzzed"): mutated DSSE envelopes through
 * the intake, and mutated raw HTTP requests against a listening server. Whatever arrives, the answer is a
 * typed refusal (4xx) or a success, never a crash or a 500, and the server keeps serving. Seeds are
 * fixed by fast-check per run and printed on failure, so a failing case replays.
 */
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptAttestation } from '../../../src-server/attestation-intake';
import { viewOf } from '../../../src-server/refusal';
import { listen, type RunningServer } from '../../../src-server/http-server';
import { createReadToken } from '../../../src-server/read-tokens';
import { parseEnvelopeBytes } from '../../../src-shared/node/dsse';
import { isRwError } from '../../../src-shared/errors';
import { reviewAttestation, testWorkstation } from '../../integration/server-fixtures';
import { inProcessServer, type InProcessServer } from './in-process-server';
import { mutated } from '../../helpers/byte-mutations';

let server: InProcessServer;
let running: RunningServer;
let token: string;
const ws = testWorkstation(1);
let genuine: Uint8Array;

beforeAll(async () => {
  server = await inProcessServer();
  await server.enroll(ws);
  genuine = reviewAttestation(ws.reviewers[0]!.key, 1);
  running = await listen({ loaded: server.loaded, store: server.store, clock: () => server.now.ms }, { host: '127.0.0.1', port: 0 });
  token = await createReadToken(server.store, 'reader', 1);
});

afterAll(async () => {
  await running?.close();
  await server?.store.close();
});

describe('DSSE envelope parsing and the intake under mutation', () => {
  it('parseEnvelopeBytes refuses with a typed error or returns an envelope, for any bytes', () => {
    fc.assert(
      fc.property(fc.oneof(mutated(() => genuine), fc.uint8Array({ maxLength: 512 })), (bytes) => {
        try {
          parseEnvelopeBytes(bytes, { maxBytes: 64 * 1024 });
        } catch (error) {
          expect(isRwError(error)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('acceptAttestation answers every mutated envelope with a 4xx refusal or a success, and stores only genuine ones', async () => {
    await fc.assert(
      fc.asyncProperty(mutated(() => genuine), async (bytes) => {
        try {
          const result = await acceptAttestation(server.intake, bytes, 'http');
          expect([200, 201]).toContain(result.status);
        } catch (error) {
          const view = viewOf(error);
          expect(view.status, `${view.reason}: ${view.message}`).toBeGreaterThanOrEqual(400);
          expect(view.status).toBeLessThan(500);
        }
      }),
      { numRuns: 1500 },
    );
    // Only the genuine statement (sequence 1) could ever be accepted; a mutation that still verifies is the same envelope.
    expect((await server.store.counts()).attestations).toBeLessThanOrEqual(1);
  });
});

/** Sends raw bytes; resolves with the status line's code, or null when the socket closed without one. */
function rawStatus(bytes: Uint8Array): Promise<number | null> {
  return new Promise((done) => {
    const socket = net.connect(running.port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => socket.destroy(), 1500);
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      if (/\r\n\r\n/.test(text)) socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const match = /^HTTP\/1\.1 (\d{3}) /.exec(text);
      done(match ? Number(match[1]) : null);
    });
    socket.end(bytes);
  });
}

describe('the HTTP intake under mutated raw requests', () => {
  const body = () => new TextDecoder().decode(reviewAttestation(ws.reviewers[0]!.key, 2));
  const requests = [
    () => `POST /v1/attestations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${new TextEncoder().encode(body()).length}\r\n\r\n${body()}`,
    () => `GET /v1/attestations?subject=sha256:${'a'.repeat(64)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`,
    () => `GET /v1/proofs/inclusion?index=0&size=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`,
    () => 'POST /v1/witness/add-checkpoint HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nold 0\n',
    () => 'POST /v1/admin/revoke HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer rwadm_x\r\nContent-Length: 2\r\n\r\n{}',
  ];

  it('answers each with a 4xx, a success, or a closed socket (never a 5xx), and keeps serving', async () => {
    const statuses: (number | null)[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: requests.length - 1 }).chain((i) => mutated(() => new TextEncoder().encode(requests[i]!()))),
        async (bytes) => {
          const status = await rawStatus(bytes);
          statuses.push(status);
          if (status !== null) expect(status < 500 && status >= 200, `status ${status}`).toBe(true);
        },
      ),
      // Each costs a socket round trip: fewer runs than the in-process envelope properties above.
      { numRuns: 600 },
    );
    expect(statuses.filter((s) => s !== null && s >= 400).length).toBeGreaterThan(100);
    expect(await rawStatus(new TextEncoder().encode(`GET /v1/checkpoint HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`))).toBe(200);
  }, 120_000);
});
