/** A real encrypted content.db with the current schema and two cases with artifacts, for workspace tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '@signalapp/sqlcipher';
import { randomBytes } from '../../../../src-shared/node/crypto';
import { CONTENT_MIGRATIONS } from '../../../../src-main/vault/content-schema';
import { openEncryptedDb } from '../../../../src-main/vault/encrypted-db';
import { runMigrations } from '../../../../src-main/vault/migrations';
import type { WorkspaceActor } from '../../../../src-main/workspace/workspace-actor';

export interface ContentFixture {
  dir: string;
  db: Database;
  close(): void;
}

export function openContentFixture(): ContentFixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-ws-'));
  const db = openEncryptedDb(path.join(dir, 'content.db'), randomBytes(32), { create: true });
  runMigrations(db, CONTENT_MIGRATIONS, () => 1);
  const addCase = db.prepare(
    'INSERT INTO cases(id, model, developer, version, submitted_at, release_date, review_deadline, package_digest, submitter_key, imported_at, metadata_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  addCase.run(['case-a', 'Model A', 'Dev A', '1.0', '2026-11-01', '2026-12-01', '2026-11-30', 'sha256:aa', 'key-a', 100, '{}']);
  addCase.run(['case-b', 'Model B', 'Dev B', '2.0', '2026-11-02', '2026-12-02', '2026-12-01', 'sha256:bb', 'key-b', 200, '{}']);
  const addArtifact = db.prepare('INSERT INTO artifacts(id, case_id, path, size, sha256, media_type, chunk_count) VALUES (?, ?, ?, ?, ?, ?, ?)');
  addArtifact.run(['art-a1', 'case-a', 'model-card.md', 10, 'aa', 'text/markdown', 1]);
  addArtifact.run(['art-a2', 'case-a', 'evals/report.pdf', 10, 'bb', 'application/pdf', 1]);
  addArtifact.run(['art-b1', 'case-b', 'model-card.md', 10, 'cc', 'text/markdown', 1]);
  return {
    dir,
    db,
    close() {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An actor with a stepping clock and sequential ids, so tests can state exact times and ids. */
export function testActor(user: string, start = 1_000): WorkspaceActor & { now: number } {
  let counter = 0;
  const actor = {
    user,
    now: start,
    clock: () => actor.now++,
    newId: () => (++counter).toString(16).padStart(32, '0'),
  };
  return actor;
}
