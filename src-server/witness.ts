/**
 * The server as a C2SP tlog-witness (c2sp.org/tlog-witness, add-checkpoint) for workstations' access logs
 * (DESIGN §2, local root row): once a checkpoint is cosigned here, the laptop cannot roll its log back or
 * fork it without the next add-checkpoint failing. Status codes follow the spec: 404 unknown origin, 403 no
 * valid signature from the origin's enrolled (unrevoked) device key, 400 old size above the checkpoint
 * size, 409 old size not the one held (body: the held size), 409 same size with another root, 422
 * consistency proof does not verify. The check of the old size and the update are one transaction under
 * the device key's row lock, so two racing requests cannot roll the recorded size back (spec's race).
 */
import { openCheckpoint, type Checkpoint } from '../src-shared/node/checkpoint';
import { cosignatureSigner } from '../src-shared/node/cosignature';
import { utf8, bytesEqual } from '../src-shared/encoding';
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
  if (request.oldSize === 0 && request.proof.length > 0) refuse('bad-request', 'The consistency proof must be empty when the old size is 0.');

  return ctx.store.transaction(async (tx) => {
    const lockedDevice = await tx.keyForUpdate(device.keyId);
    if (!lockedDevice || lockedDevice.revokedAt !== null) refuse('checkpoint-signature', "The log's device key has been revoked.");
    const held = await tx.witnessState(origin);
    const heldSize = held?.size ?? 0;
    if (request.oldSize !== heldSize) refuse('witness-conflict', `This witness holds size ${heldSize} for the log.`, { size: heldSize });
    if (held && checkpoint.size === held.size && !bytesEqual(checkpoint.rootHash, held.rootHash)) {
      refuse('witness-conflict', 'Same size, different root: the log forked.', { size: heldSize });
    }
    if (held && held.size > 0 && checkpoint.size > held.size) {
      try {
        verifyConsistency(held.size, checkpoint.size, held.rootHash, checkpoint.rootHash, request.proof);
      } catch (error) {
        refuse('bad-proof', `The consistency proof does not verify: ${isRwError(error) ? error.message : 'invalid'}`);
      }
    }
    const now = ctx.clock();
    await tx.setWitnessState({ origin, size: checkpoint.size, rootHash: checkpoint.rootHash, checkpoint: new TextDecoder().decode(request.checkpoint), updatedAt: now });
    const signer = cosignatureSigner(ctx.name, ctx.seed, () => now);
    const cosignature = formatSignatureLine({ name: signer.name, keyId: signer.keyId, signature: signer.sign(utf8(text)) });
    return { cosignature, checkpoint };
  });
}
