/**
 * Passphrase → key-encryption key with Argon2id (RFC 9106) from hash-wasm: the same WebAssembly code in
 * Node and Electron. Parameters are calibrated on the machine (DESIGN §4: about 0.5 s, at least 64 MiB)
 * and stored with each slot, so a slot keeps opening after hardware changes and stronger parameters can
 * be adopted at the next passphrase change.
 */
import { argon2id } from 'hash-wasm';
import { z } from 'zod';
import { RwError } from '../../src-shared/errors';

/** Below this the thief of a powered-off laptop guesses too cheaply (RFC 9106 §4 second recommended option uses 64 MiB). */
export const MIN_MEMORY_KIB = 64 * 1024;
export const MIN_ITERATIONS = 1;
export const MIN_SALT_BYTES = 16;
/** Upper bounds stop a planted slot from making every unlock allocate gigabytes or spin for minutes. */
export const MAX_MEMORY_KIB = 4 * 1024 * 1024;
export const MAX_ITERATIONS = 64;
export const MAX_PARALLELISM = 16;

export const kdfParamsSchema = z
  .object({
    algorithm: z.literal('argon2id'),
    /** Argon2 version 0x13 (RFC 9106 §3.1). */
    version: z.literal(19),
    memoryKiB: z.number().int().min(MIN_MEMORY_KIB).max(MAX_MEMORY_KIB),
    iterations: z.number().int().min(MIN_ITERATIONS).max(MAX_ITERATIONS),
    parallelism: z.number().int().min(1).max(MAX_PARALLELISM),
  })
  .strict();

export type KdfParams = z.infer<typeof kdfParamsSchema>;

/** Refuses parameters below the floor, whoever supplied them (caller, calibration or a slot on disk). */
export function checkKdfParams(params: KdfParams): KdfParams {
  const parsed = kdfParamsSchema.safeParse(params);
  if (!parsed.success) throw new RwError('POLICY_REFUSED', 'The key-derivation parameters are below the required minimum (Argon2id, 64 MiB).');
  return parsed.data;
}

/** The cheapest parameters the vault accepts: for tests, never for real slots (calibrate instead). */
export const MIN_KDF_PARAMS: KdfParams = { algorithm: 'argon2id', version: 19, memoryKiB: MIN_MEMORY_KIB, iterations: 1, parallelism: 1 };

export async function deriveKey(passphrase: string, salt: Uint8Array, params: KdfParams): Promise<Uint8Array> {
  checkKdfParams(params);
  if (salt.byteLength < MIN_SALT_BYTES) throw new RwError('POLICY_REFUSED', 'The key-derivation salt is too short.');
  // NFC so that the same passphrase typed through different input methods derives the same key.
  return argon2id({
    password: passphrase.normalize('NFC'),
    salt,
    iterations: params.iterations,
    parallelism: params.parallelism,
    memorySize: params.memoryKiB,
    hashLength: 32,
    outputType: 'binary',
  });
}

export interface CalibrationOptions {
  /** Wall-clock budget for one derivation (DESIGN §4: about 0.5 s). */
  targetMs?: number;
  /** Memory ceiling for calibration; the floor is always 64 MiB. */
  maxMemoryKiB?: number;
  clock(): number;
}

/**
 * Measures one pass at the 64 MiB floor and scales: first iterations (up to 3), then memory (the
 * resource that hurts parallel guessing most), staying near the time target.
 */
export async function calibrateKdf(options: CalibrationOptions): Promise<KdfParams> {
  const target = options.targetMs ?? 500;
  const maxMemory = Math.max(MIN_MEMORY_KIB, Math.min(options.maxMemoryKiB ?? 1024 * 1024, MAX_MEMORY_KIB));
  const probe: KdfParams = { ...MIN_KDF_PARAMS };
  const salt = new Uint8Array(MIN_SALT_BYTES);
  // A first run warms up the WebAssembly module so its compile time is not counted.
  await deriveKey('calibration', salt, probe);
  const start = options.clock();
  await deriveKey('calibration', salt, probe);
  const perPass = Math.max(1, options.clock() - start);
  const budget = target / perPass; // how many 64 MiB passes fit in the target
  if (budget <= 3) return { ...probe, iterations: Math.max(1, Math.round(budget)) };
  const memoryFactor = Math.min(Math.floor(budget / 3), Math.floor(maxMemory / MIN_MEMORY_KIB));
  return { ...probe, iterations: 3, memoryKiB: MIN_MEMORY_KIB * Math.max(1, memoryFactor) };
}
