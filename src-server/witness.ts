/**
 * The server as a C2SP tlog-witness (c2sp.org/tlog-witness, add-checkpoint) for workstations' access logs
 * (DESIGN §2, local root row): once a checkpoint is cosigned here, the laptop cannot roll its log back or
 * fork it without the next add-checkpoint failing. Status codes follow the spec: 404 unknown origin, 403 no
 * valid signature from the origin's enrolled (unrevoked) device key, 400 old size above the checkpoint
 * size, 409 old size not the one held (body: the held size), 409 same size with another root, 422
 * consistency proof does not verify. The check of the old size and the update are one transaction under
 * the device key's row lock, so two racing requests cannot roll the recorded size back (spec's race).
 *
 * No first checkpoint out of nowhere: the state for an origin starts at enrollment, from the checkpoint
 * the workstation's enrollment request carries (signed by its device key, so the administrator who
 * approved the request approved that log head too). A later checkpoint must extend it with a consistency
 * proof; an origin with no recorded state is refused (409, re-enroll) rather than trusted on first
 * sight. A checkpoint may add at most `maxGrowth` leaves in one step: the holder of the device key can
 * "prove" consistency to any size, and an absurd size would lock the genuine log out for good.
 */
import { openCheckpoint, type Checkpoint } from '../src-shared/node/checkpoint';
import { cosignatureSigner } from '../src-shared/node/cosignature';
import { utf8, bytesEqual, toBase64 } from '../src-shared/encoding';
import { isRwError } from '../src-shared/errors';
import { verifyConsistency } from '../src-shared/node/merkle';
import { ed25519NoteVerifier, formatSignatureLine, parseNote } from '../src-shared/node/signed-note';
import { parseAddCheckpointRequest, type AddCheckpointRequest } from '../src-shared/node/tlog-witness';
import { refuse } from './refusal';
import type { ServerStore } from './server-store';

export interface WitnessContext {
  store: ServerStore;
  /** The witness's note key name and Ed25519 seed. */
  name: string;
  seed: Uint8Array;
  clock: () => number;
  maxBytes: number;
  /** The most leaves one checkpoint may add to the held size (server.json limits.maxCheckpointGrowth). */
  maxGrowth: number;
}

/** 200 body: the cosignature line(s) for the submitted checkpoint. */
export interface WitnessResult {
  cosignature: string;
  checkpoint: Checkpoint;
}

function parseRequest(body: Uint8Array, maxBytes: number): AddCheckpointRequest {
  try {
    return parseAddCheckpointRequest(body, maxBytes);
  } catch (error) {
    if (isRwError(error) && error.code === 'TOO_LARGE') refuse('body-too-large', error.message);
    refuse('bad-request', isRwError(error) ? error.message : 'Malformed add-checkpoint request.');
  }
}

function originOf(note: Uint8Array): string {
  try {
    const { text } = parseNote(note);
    return text.slice(0, text.indexOf('\n'));
  } catch (error) {
    refuse('bad-request', `The checkpoint is not a signed note: ${isRwError(error) ? error.message : 'malformed'}`);
  }
}

export async function addCheckpoint(ctx: WitnessContext, body: Uint8Array): Promise<WitnessResult> {
  const request = parseRequest(body, ctx.maxBytes);
  const origin = originOf(request.checkpoint);
  const device = await ctx.store.keyByOrigin(origin);
  if (!device) refuse('unknown-origin', 'This witness does not know that log origin.');
  if (device.revokedAt !== null) refuse('checkpoint-signature', "The log's device key has been revoked.");
  let checkpoint: Checkpoint;
  let text: string;
  try {
    const opened = openCheckpoint(request.checkpoint, [ed25519NoteVerifier(origin, device.publicKey)], { origin });
    checkpoint = opened.checkpoint;
    text = opened.note.text;
  } catch (error) {
    if (isRwError(error) && error.code === 'SIGNATURE_INVALID') refuse('checkpoint-signature', 'The checkpoint is not signed by the enrolled device key for its origin.');
    refuse('bad-request', isRwError(error) ? error.message : 'Malformed checkpoint.');
  }
  if (request.oldSize > checkpoint.size) refuse('bad-request', 'The old size is larger than the checkpoint size.');
  if (checkpoint.size - request.oldSize > ctx.maxGrowth) {
    refuse('implausible-size', `The checkpoint adds ${checkpoint.size - request.oldSize} leaves at once; this witness accepts at most ${ctx.maxGrowth} per step.`, { limit: ctx.maxGrowth });
  }
  if (request.oldSize === 0 && request.proof.length > 0) refuse('bad-request', 'The consistency proof must be empty when the old size is 0.');

  return ctx.store.transaction(async (tx) => {
    const lockedDevice = await tx.keyForUpdate(device.keyId);
    if (!lockedDevice || lockedDevice.revokedAt !== null) refuse('checkpoint-signature', "The log's device key has been revoked.");
    const held = await tx.witnessState(origin);
    if (!held) refuse('witness-uninitialised', 'This witness recorded no checkpoint for the log at enrollment; the workstation must be enrolled again.');
    const heldSize = held.size;
    if (request.oldSize !== heldSize) refuse('witness-conflict', `This witness holds size ${heldSize} for the log.`, { size: heldSize });
    if (checkpoint.size === held.size && !bytesEqual(checkpoint.rootHash, held.rootHash)) {
      refuse('witness-conflict', 'Same size, different root: the log forked.', { size: heldSize });
    }
    if (held.size > 0 && checkpoint.size > held.size) {
      try {
        verifyConsistency(held.size, checkpoint.size, held.rootHash, checkpoint.rootHash, request.proof);
      } catch (error) {
        refuse('bad-proof', `The consistency proof does not verify: ${isRwError(error) ? error.message : 'invalid'}`);
      }
    }
    const now = ctx.clock();
    await tx.setWitnessState({ origin, size: checkpoint.size, rootHash: checkpoint.rootHash, checkpoint: new TextDecoder().decode(request.checkpoint), updatedAt: now });
    return { cosignature: cosignatureLine(ctx, text, now), checkpoint };
  });
}

/**
 * The cosignature line for checkpoint text at `at` (ms). Ed25519 is deterministic, so the line for the
 * stored state at its updatedAt is byte for byte the one the workstation was given.
 */
function cosignatureLine(ctx: Pick<WitnessContext, 'name' | 'seed'>, text: string, at: number): string {
  const signer = cosignatureSigner(ctx.name, ctx.seed, () => at);
  return formatSignatureLine({ name: signer.name, keyId: signer.keyId, signature: signer.sign(utf8(text)) });
}

/**
 * Reads the device-signed checkpoint from an enrollment request for its origin: it must verify under the
 * device key being enrolled. Refusals: bad-request.
 */
export function openEnrollmentCheckpoint(note: string, origin: string, devicePublicKey: Uint8Array): Checkpoint {
  try {
    return openCheckpoint(note, [ed25519NoteVerifier(origin, devicePublicKey)], { origin }).checkpoint;
  } catch (error) {
    refuse('bad-request', `The enrollment request's checkpoint is not the device's signed checkpoint of its log: ${isRwError(error) ? error.message : 'malformed'}`);
  }
}

/** What the witness holds for an origin, cosigned (GET /v1/witness/checkpoints?origin=, auditor token). */
export interface WitnessedCheckpoints {
  origin: string;
  /** The latest cosigned checkpoint (device-signed note plus the witness's cosignature line). */
  checkpoints: { size: number; rootHash: string; checkpoint: string; witnessedAt: number }[];
}

export async function witnessedCheckpoints(ctx: Pick<WitnessContext, 'store' | 'name' | 'seed'>, origin: string): Promise<WitnessedCheckpoints> {
  const state = await ctx.store.witnessState(origin);
  if (!state) refuse('unknown-origin', 'This witness holds no checkpoint for that log origin.');
  const text = parseNote(utf8(state.checkpoint)).text;
  return {
    origin,
    checkpoints: [{ size: state.size, rootHash: toBase64(state.rootHash), checkpoint: `${state.checkpoint}${cosignatureLine(ctx, text, state.updatedAt)}`, witnessedAt: state.updatedAt }],
  };
}
