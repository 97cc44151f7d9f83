/**
 * The tally thread (see parallel-tally.ts): recomputes the console's aggregates from the leaf bytes a
 * verification hands it, batch by batch, while the verifying thread goes on reading and hashing the
 * next leaves, and opens the stored checkpoints' notes between batches. It holds no key and no
 * connection, only leaf bytes and notes the verifier already read and the device's public key; they
 * never leave the process.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { AggregateTally, type TallyState } from './aggregate-tally';
import { openCheckpoint, type Checkpoint } from '../../src-shared/node/checkpoint';
import { ed25519NoteVerifier, type NoteVerifier } from '../../src-shared/node/signed-note';
import { ANSWERED, IN_FLIGHT, OPENED, OPENING } from './parallel-tally';

export interface TallyWorkerData {
  /** Int32 slots shared with the verifying thread: batches in flight, and 1 once the answer is posted. */
  control: SharedArrayBuffer;
  /** Where the answer goes; the verifying thread reads it synchronously. */
  results: MessagePort;
}

/**
 * One batch of leaves, packed: leaf i is bytes[ends[i-1] .. ends[i]); a tail ts of NaN means none. Or the
 * stored checkpoints' notes to open with the log's origin and device key, in the time between batches.
 */
export type ToTally =
  | { type: 'leaves'; count: number; bytes: Uint8Array; ends: Uint32Array; seqs: Float64Array; tailSeqs: Float64Array; tailTs: Float64Array }
  | { type: 'checkpoints'; notes: string[]; origin: string; publicKey: Uint8Array }
  | { type: 'finish' };

/**
 * The tally, and how many leaves it could read neither from their canonical bytes nor parsed (the
 * verifying thread then counts again itself, with the columns stored beside such leaves).
 */
export type FromTally = { type: 'tally'; state: TallyState; unreadable: number } | { type: 'checkpoints'; opened: (Checkpoint | null)[] } | { type: 'failed' };

/** Checkpoints opened per turn: a few milliseconds of Ed25519, so a batch of leaves never waits long behind them. */
const OPEN_PER_TURN = 32;

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
  const fail = () => {
    failed = true;
    answer({ type: 'failed' });
  };
  // The checkpoints are opened a few at a time in the turns between batches of leaves (setImmediate
  // runs after the messages already waiting), so the tally keeps pace with the reader.
  let opening: { notes: string[]; verifier: NoteVerifier; origin: string; opened: (Checkpoint | null)[] } | null = null;
  const openSome = () => {
    if (failed || !opening) return;
    try {
      const { notes, verifier, origin, opened } = opening;
      for (let end = Math.min(notes.length, opened.length + OPEN_PER_TURN); opened.length < end; ) {
        try {
          opened.push(openCheckpoint(notes[opened.length]!, [verifier], { origin }).checkpoint);
        } catch {
          opened.push(null); // not validly signed, or not a checkpoint of this log: the verifier says which
        }
      }
      Atomics.add(control, OPENING, 1);
      if (opened.length < notes.length) {
        setImmediate(openSome);
        return;
      }
      opening = null;
      data.results.postMessage({ type: 'checkpoints', opened } satisfies FromTally);
      Atomics.store(control, OPENED, 1);
      Atomics.notify(control, OPENED);
    } catch {
      fail();
    }
  };
  port.on('message', (message: ToTally) => {
    if (failed) return;
    try {
      if (message.type === 'checkpoints') {
        opening = { notes: message.notes, verifier: ed25519NoteVerifier(message.origin, message.publicKey), origin: message.origin, opened: [] };
        setImmediate(openSome);
        return;
      }
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
      fail();
    }
  });
}

// Only as the tally thread: another thread that loads this module (through an import) is left alone.
const data = workerData as Partial<TallyWorkerData> | null;
if (parentPort && data?.control instanceof SharedArrayBuffer && data.results) serve(parentPort, data as TallyWorkerData);
