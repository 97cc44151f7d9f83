/** An in-process server (data folder, store, intake and witness contexts) for unit tests of src-server. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initDataDir, loadServerConfig, type LoadedServer, type ServerLimits } from '../../../src-server/server-config';
import { openServerStore } from '../../../src-server/open-store';
import { enrollKeys } from '../../../src-server/enrollment';
import { createAppendBatcher } from '../../../src-server/append-batcher';
import { createRateLimiter } from '../../../src-server/rate-limiter';
import { serverCheckpointSigner } from '../../../src-server/server-log';
import type { IntakeContext } from '../../../src-server/attestation-intake';
import type { WitnessContext } from '../../../src-server/witness';
import type { ServerStore } from '../../../src-server/server-store';
import { viewOf } from '../../../src-server/refusal';
import { enrollmentRequest, type TestWorkstation } from '../../integration/server-fixtures';

export const TEST_SERVER_NAME = 'unit.test/attestations';

export interface InProcessServer {
  dir: string;
  loaded: LoadedServer;
  store: ServerStore;
  intake: IntakeContext;
  witness: WitnessContext;
  now: { ms: number };
  enroll(ws: TestWorkstation): Promise<void>;
}

export async function inProcessServer(limits: Partial<ServerLimits> = {}, database?: string): Promise<InProcessServer> {
  const dir = mkdtempSync(join(tmpdir(), 'rw-server-unit-'));
  initDataDir(dir, { name: TEST_SERVER_NAME, limits: { ratePerMinute: 1_000_000, rateBurst: 1_000_000, ...limits } });
  const loaded = loadServerConfig(dir);
  const store = await openServerStore(dir, database);
  const now = { ms: 1_800_000_000_000 };
  const clock = () => now.ms;
  const l = loaded.config.limits;
  return {
    dir,
    loaded,
    store,
    now,
    intake: {
      store,
      appender: createAppendBatcher(store, serverCheckpointSigner(TEST_SERVER_NAME, loaded.serverSeed)),
      limiter: createRateLimiter({ ratePerMinute: l.ratePerMinute, burst: l.rateBurst }, clock),
      clock,
      maxBytes: l.maxAttestationBytes,
    },
    witness: { store, name: TEST_SERVER_NAME, seed: loaded.serverSeed, clock, maxBytes: l.maxOtherBytes, maxGrowth: l.maxCheckpointGrowth },
    async enroll(ws) {
      await enrollKeys(store, enrollmentRequest(ws), clock());
    },
  };
}

/** The refusal a server operation ended with, as a client would see it; a test fails if there was none. */
export async function refusalOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return viewOf(error);
  }
  throw new Error('expected a refusal');
}
