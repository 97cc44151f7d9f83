/**
 * The tally thread (see parallel-tally.ts): recomputes the console's aggregates from the leaf bytes a
 * verification hands it, batch by batch, while the verifying thread goes on reading and hashing the
 * next leaves. It holds no key and no connection, only leaf bytes the verifier already read; they never
 * leave the process.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { AggregateTally, type TallyState } from './aggregate-tally';
import { ANSWERED, IN_FLIGHT } from './parallel-tally';

export interface TallyWorkerData {
  /** Int32 slots shared with the verifying thread: batches in flight, and 1 once the answer is posted. */
  control: SharedArrayBuffer;
  /** Where the answer goes; the verifying thread reads it synchronously. */
  results: MessagePort;
}

/** One batch of leaves, packed: leaf i is bytes[ends[i-1] .. ends[i]); a tail ts of NaN means none. */
export type ToTally = { type: 'leaves'; count: number; bytes: Uint8Array; ends: Uint32Array; seqs: Float64Array; tailSeqs: Float64Array; tailTs: Float64Array } | { type: 'finish' };

/**
 * The tally, and how many leaves it could read neither from their canonical bytes nor parsed (the
 * verifying thread then counts again itself, with the columns stored beside such leaves).
 */
export type FromTally = { type: 'tally'; state: TallyState; unreadable: number } | { type: 'failed' };

function serve(port: NonNullable<typeof parentPort>, data: TallyWorkerData): void {
  const control = new Int32Array(data.control);
  const tally = new AggregateTally();
  let unreadable = 0;
  let failed = false;
  const none = () => {
    unreadable++;
    return null;
  };
  const answer = (message: FromTally, transfer: ArrayBuffer[] = []) => {
    data.results.postMessage(message, transfer);
    Atomics.store(control, ANSWERED, 1);
    Atomics.notify(control, ANSWERED);
  };
  port.on('message', (message: ToTally) => {
    if (failed) return;
    try {
      if (message.type === 'leaves') {
        const { count, bytes, ends, seqs, tailSeqs, tailTs } = message;
        let start = 0;
        for (let i = 0; i < count; i++) {
          const end = ends[i]!;
          tally.pushLeafAt(seqs[i]!, bytes, start, end, tailSeqs[i]!, tailTs[i]!, none);
          start = end;
        }
        Atomics.sub(control, IN_FLIGHT, 1);
        Atomics.notify(control, IN_FLIGHT);
        return;
      }
      const state = tally.toState();
      answer({ type: 'tally', state, unreadable }, [state.turns.buffer as ArrayBuffer]);
    } catch {
      failed = true;
      answer({ type: 'failed' });
    }
  });
}

// Only as the tally thread: another thread that loads this module (through an import) is left alone.
const data = workerData as Partial<TallyWorkerData> | null;
if (parentPort && data?.control instanceof SharedArrayBuffer && data.results) serve(parentPort, data as TallyWorkerData);
