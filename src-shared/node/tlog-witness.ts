/**
 * C2SP tlog-witness `add-checkpoint` (c2sp.org/tlog-witness): the request a log sends a witness, and the
 * witness's response.
 *
 *     request:  old <size>\n  <base64 proof hash>\n x0..63  \n  <signed checkpoint note>
 *     response: one or more note signature lines (cosignatures)
 *
 * Only the framing is checked here; the witness's decisions (origin known, signature, old size matches,
 * proof verifies) belong to the caller, which gets typed values to make them on.
 */
import { RwError } from '../errors';
import { fromBase64, fromUtf8, toBase64, utf8 } from '../encoding';
import { formatSignatureLine, parseSignatureLines, type NoteSignature } from './signed-note';

/** tlog-witness: "The client MUST NOT send more than 63 consistency proof lines." */
export const WITNESS_MAX_PROOF_LINES = 63;
export const WITNESS_DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;

export interface AddCheckpointRequest {
  /** Size of the latest checkpoint the client believes the witness cosigned (0 if none). */
  oldSize: number;
  /** Consistency proof from oldSize to the checkpoint's size (empty when oldSize is 0 or equal). */
  proof: Uint8Array[];
  /** The signed checkpoint note, exactly as sent (its bytes are what signatures cover). */
  checkpoint: Uint8Array;
}

function bad(message: string): never {
  throw new RwError('INVALID_INPUT', `Malformed add-checkpoint request: ${message}.`);
}

export function formatAddCheckpointRequest(request: AddCheckpointRequest): Uint8Array {
  if (!Number.isSafeInteger(request.oldSize) || request.oldSize < 0) bad('the old size must be a non-negative integer');
  if (request.proof.length > WITNESS_MAX_PROOF_LINES) bad(`more than ${WITNESS_MAX_PROOF_LINES} proof lines`);
  if (request.proof.some((h) => h.byteLength !== 32)) bad('proof hashes must be 32 bytes');
  const head = utf8(`old ${request.oldSize}\n${request.proof.map((h) => `${toBase64(h)}\n`).join('')}\n`);
  const out = new Uint8Array(head.byteLength + request.checkpoint.byteLength);
  out.set(head, 0);
  out.set(request.checkpoint, head.byteLength);
  return out;
}

/**
 * Parse a request body. Throws INVALID_INPUT (a 400 for the witness) or TOO_LARGE. The checkpoint is
 * returned as bytes, unparsed and unverified: open it with openCheckpoint next.
 */
export function parseAddCheckpointRequest(body: Uint8Array, maxBytes: number = WITNESS_DEFAULT_MAX_REQUEST_BYTES): AddCheckpointRequest {
  if (body.byteLength > maxBytes) throw new RwError('TOO_LARGE', `The add-checkpoint request is larger than ${maxBytes} bytes.`, { limit: maxBytes });
  // TextDecoder would silently drop a byte-order mark; refuse it so one body has one reading.
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) bad('a byte-order mark is not allowed');
  let offset = 0;
  const nextLine = (): string => {
    const end = body.indexOf(0x0a, offset);
    if (end < 0) bad('a line does not end with a newline');
    const line = fromUtf8(body.subarray(offset, end));
    offset = end + 1;
    return line;
  };
  const oldLine = nextLine();
  const match = /^old (0|[1-9][0-9]*)$/.exec(oldLine);
  if (!match) bad('the first line must be "old <size>" without leading zeros');
  const oldSize = Number(match[1]);
  if (!Number.isSafeInteger(oldSize)) bad('the old size is too large');
  const proof: Uint8Array[] = [];
  for (;;) {
    const line = nextLine();
    if (line === '') break;
    if (proof.length === WITNESS_MAX_PROOF_LINES) bad(`more than ${WITNESS_MAX_PROOF_LINES} proof lines`);
    let hash: Uint8Array;
    try {
      hash = fromBase64(line);
    } catch {
      bad('a proof line is not standard base64');
    }
    if (hash.byteLength !== 32) bad('a proof hash must be 32 bytes');
    proof.push(hash);
  }
  const checkpoint = body.slice(offset);
  if (checkpoint.byteLength === 0) bad('the checkpoint is missing');
  return { oldSize, proof, checkpoint };
}

/** The 200 response body: the witness's cosignature lines. */
export function formatAddCheckpointResponse(signatures: readonly NoteSignature[]): Uint8Array {
  if (signatures.length === 0) throw new RwError('INVALID_INPUT', 'A witness response carries at least one signature.');
  return utf8(signatures.map(formatSignatureLine).join(''));
}

/** Parse a 200 response body into signature lines (verify them by appending to the checkpoint note and opening it). */
export function parseAddCheckpointResponse(body: Uint8Array, maxSignatures = 16): NoteSignature[] {
  return parseSignatureLines(fromUtf8(body), maxSignatures);
}

/** The 409 response body (`text/x.tlog.size`): the witness's latest cosigned size. */
export function formatConflictBody(size: number): Uint8Array {
  if (!Number.isSafeInteger(size) || size < 0) throw new RwError('INVALID_INPUT', 'A tree size is a non-negative integer.');
  return utf8(`${size}\n`);
}

export function parseConflictBody(body: Uint8Array): number {
  const match = /^(0|[1-9][0-9]*)\n$/.exec(fromUtf8(body));
  const size = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(size)) throw new RwError('INVALID_INPUT', 'Malformed witness conflict response: expected a tree size line.');
  return size;
}
