/**
 * The audit worker's thread (see ARCHITECTURE: access log): the auditor console's questions and the log's
 * verification run here, on a read-only connection of its own, so a summary, a flag scan or a million-leaf
 * verification never holds the main process's event loop (which must keep answering the window and
 * running the lock timer). The main side is audit-worker-client.ts.
 *
 * The data key arrives in workerData, is used once to key the connection and is zeroed; it never appears
 * in a message back. Long work takes turns with this thread's own event loop, so a quick question that
 * arrives during a verification is answered between two of its batches, not after it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Database } from '@signalapp/sqlcipher';
import { zeroize } from '../../src-shared/encoding';
import { isRwError } from '../../src-shared/errors';
import { openEncryptedDb } from '../vault/encrypted-db';
import { consoleAnswerer, type ConsoleRequest } from './audit-console';
import { runInTurns } from './in-turns';
import { lowerThisThread } from './thread-priority';
import { openProgressStore, type ProgressStore } from './verify-progress';

export interface AuditWorkerData {
  path: string;
  key: Uint8Array;
}

/** From the main side: a question (answered by `id`) or the order to close the connection and end. */
export type ToWorker = { type: 'ask'; id: number; request: ConsoleRequest } | { type: 'close' };

/** To the main side. Errors carry a code and a message fit for the user, never a stack or a path. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; code: string; message: string }
  | { type: 'answer'; id: number; answer: unknown }
  | { type: 'error'; id: number; code: string; message: string }
  | { type: 'progress'; id: number; done: number; total: number };

function errorOf(error: unknown): { code: string; message: string } {
  if (isRwError(error)) return { code: error.code, message: error.message };
  // A page that fails its HMAC mid-query, say: the message may quote SQL or a path, so it stays here.
  return { code: 'INTERNAL', message: 'The audit query failed.' };
}

function serve(port: NonNullable<typeof parentPort>, data: AuditWorkerData): void {
  lowerThisThread();
  const send = (message: FromWorker) => port.postMessage(message);
  let db: Database;
  let saved: ProgressStore | null = null;
  try {
    db = openEncryptedDb(data.path, data.key, { readOnly: true });
    // Its own writable connection to a file of its own: saving a verification's progress never takes
    // audit.db's write lock from the app appending leaves.
    saved = openProgressStore(data.path, data.key);
  } catch (error) {
    send({ type: 'failed', ...errorOf(error) });
    port.close();
    return;
  } finally {
    zeroize(data.key);
  }
  const answerer = consoleAnswerer(db, saved);
  let closed = false;
  port.on('message', (message: ToWorker) => {
    if (message.type === 'close') {
      closed = true;
      db.close();
      saved?.close();
      port.close();
      return;
    }
    const { id, request } = message;
    const progress = (done: number, total: number) => send({ type: 'progress', id, done, total });
    runInTurns(answerer.steps(request, progress)).then(
      (answer) => {
        if (!closed) send({ type: 'answer', id, answer });
      },
      (error: unknown) => {
        if (!closed) send({ type: 'error', id, ...errorOf(error) });
      },
    );
  });
  send({ type: 'ready' });
}

if (parentPort) serve(parentPort, workerData as AuditWorkerData);
