/**
 * C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): the signed statement of a log's size and root.
 *
 *     <origin>\n<tree size, decimal, no leading zeros>\n<base64(root hash)>\n[<extension line>\n]...
 *
 * Parsing is strict so that one checkpoint has one text: every field has exactly one accepted spelling
 * (a checkpoint that two parsers read differently could be cosigned for one meaning and used for another).
 */
import { RwError } from '../errors';
import { fromBase64, toBase64 } from '../encoding';
import { openNote, signNote, type NoteSigner, type NoteVerifier, type OpenedNote, type OpenNoteOptions } from './signed-note';

export interface Checkpoint {
  origin: string;
  /** Number of leaves; a safe integer (trees beyond 2^53 leaves are refused). */
  size: number;
  /** 32-byte RFC 6962 root hash. */
  rootHash: Uint8Array;
  /** Opaque, non-empty extension lines (NOT RECOMMENDED by the spec; kept so the signed text round-trips). */
  extensions: string[];
}

function bad(message: string): never {
  throw new RwError('INVALID_INPUT', `Malformed checkpoint: ${message}.`);
}

function checkLine(line: string, what: string): void {
  if (line.length === 0) bad(`the ${what} is empty`);
  if (/[\u0000-\u001f]/.test(line)) bad(`the ${what} contains a control character`);
}

/** The checkpoint's note text (ends with a newline). */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  checkLine(checkpoint.origin, 'origin');
  if (!Number.isSafeInteger(checkpoint.size) || checkpoint.size < 0) bad('the size must be a non-negative integer');
  if (checkpoint.rootHash.byteLength !== 32) bad('the root hash must be 32 bytes');
  checkpoint.extensions.forEach((line) => checkLine(line, 'extension line'));
  return [checkpoint.origin, String(checkpoint.size), toBase64(checkpoint.rootHash), ...checkpoint.extensions].map((l) => `${l}\n`).join('');
}

/** Parse checkpoint note text (the text of an opened note, not the whole signed note). Throws INVALID_INPUT. */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) bad('the text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) bad('at least origin, size and root hash lines are required');
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  checkLine(origin, 'origin');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) bad('the size must be decimal without leading zeros');
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) bad('the size is too large');
  let rootHash: Uint8Array;
  try {
    rootHash = fromBase64(rootLine);
  } catch {
    bad('the root hash is not standard base64');
  }
  if (rootHash.byteLength !== 32) bad('the root hash must be 32 bytes');
  extensions.forEach((line) => checkLine(line, 'extension line'));
  return { origin, size, rootHash, extensions };
}

/** Sign a checkpoint as a note (the log's key name SHOULD be the origin). */
export function signCheckpoint(checkpoint: Checkpoint, signers: readonly NoteSigner[]): string {
  return signNote(formatCheckpoint(checkpoint), signers);
}

export interface OpenCheckpointOptions extends OpenNoteOptions {
  /** Refuse a checkpoint for any other origin (INVALID_INPUT). */
  origin?: string;
}

/**
 * Verify a signed checkpoint with the log's verifiers, then parse it (signature first, parsing second).
 * Throws as openNote does, and INVALID_INPUT for a malformed checkpoint or an unexpected origin.
 */
export function openCheckpoint(
  note: Uint8Array | string,
  verifiers: readonly NoteVerifier[],
  options: OpenCheckpointOptions = {},
): { checkpoint: Checkpoint; note: OpenedNote } {
  const opened = openNote(note, verifiers, options);
  const checkpoint = parseCheckpoint(opened.text);
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    throw new RwError('INVALID_INPUT', 'The checkpoint is for another log.', { origin: checkpoint.origin });
  }
  return { checkpoint, note: opened };
}
