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

/**
 * Compiles the Argon2 and BLAKE2b WebAssembly modules (hash-wasm caches them per process) with a
 * derivation at a toy cost whose output is thrown away. Called at start, while the lock screen waits for
 * the passphrase, so the first unlock does not pay the compile (some 150 ms on a busy 2-core machine).
 */
export async function warmUpKdf(): Promise<void> {
  await argon2id({ password: 'warm-up', salt: new Uint8Array(MIN_SALT_BYTES), iterations: 1, parallelism: 1, memorySize: 8, hashLength: 32, outputType: 'binary' });
}

export interface CalibrationOptions {
  /** Budget for one derivation's work (DESIGN §4: about 0.5 s). */
  targetMs?: number;
  /** Memory ceiling for calibration; the floor is always 64 MiB. */
  maxMemoryKiB?: number;
  /** Cost meter in milliseconds; the CPU time of this process by default (tests script it). */
  meter?(): number;
  /** The derivation being measured; deriveKey by default (tests script it with the meter). */
  derive?(params: KdfParams): Promise<unknown>;
}

/**
 * CPU time (user + system, which includes faulting in the fresh Argon2 memory) rather than wall time:
 * on a shared machine the wall clock of one probe swings several-fold with other processes' load, and a
 * probe taken in a quiet moment then buys parameters that take seconds once the load is back (or a busy
 * moment drops to the floor). The work is what the target is about, and what a guesser pays per guess.
 */
function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

async function measure(meter: () => number, derive: (params: KdfParams) => Promise<unknown>, params: KdfParams): Promise<number> {
  const start = meter();
  await derive(params);
  return Math.max(1, meter() - start);
}

/**
 * Chooses Argon2id parameters whose derivation costs about `targetMs` here: iterations first (up to 3),
 * then memory in 64 MiB steps (the resource that hurts parallel guessing most). One derivation is a
 * fixed part (allocating and faulting in the memory, the first and last hashes) plus one part per pass,
 * both growing with memory; two probes at the floor (t=1, t=2) separate them, so the fixed part is not
 * mistaken for pass cost. The choice is then measured once and stepped down if it overshoots by more
 * than a quarter, so the target holds for the parameters actually stored, not only for the model.
 */
export async function calibrateKdf(options: CalibrationOptions = {}): Promise<KdfParams> {
  const target = options.targetMs ?? 500;
  const meter = options.meter ?? processCpuMs;
  const maxFactor = Math.max(1, Math.floor(Math.min(options.maxMemoryKiB ?? 1024 * 1024, MAX_MEMORY_KIB) / MIN_MEMORY_KIB));
  const salt = new Uint8Array(MIN_SALT_BYTES);
  const derive = options.derive ?? ((params: KdfParams) => deriveKey('calibration', salt, params));
  const at = (iterations: number, factor: number): KdfParams => ({ ...MIN_KDF_PARAMS, iterations, memoryKiB: MIN_MEMORY_KIB * factor });
  // A first run compiles the WebAssembly module, which no unlock pays for again.
  await derive(MIN_KDF_PARAMS);
  const one = await measure(meter, derive, at(1, 1));
  const two = await measure(meter, derive, at(2, 1));
  const perPass = Math.max(1, two - one);
  const fixed = Math.max(0, one - perPass);
  // Per 64 MiB of memory, for t passes.
  const cost = (iterations: number) => fixed + iterations * perPass;
  let choice: { iterations: number; factor: number };
  if (cost(3) > target) {
    // Below three passes at the floor: the number of passes nearest the target, at least one.
    choice = { iterations: Math.max(1, Math.min(3, Math.round((target - fixed) / perPass))), factor: 1 };
  } else {
    choice = { iterations: 3, factor: Math.max(1, Math.min(maxFactor, Math.floor(target / cost(3)))) };
  }
  for (;;) {
    const params = at(choice.iterations, choice.factor);
    if (choice.iterations === 1 && choice.factor === 1) return params;
    const measured = await measure(meter, derive, params);
    if (measured <= target * 1.25) return params;
    choice = choice.factor > 1 ? { ...choice, factor: Math.max(1, Math.floor((choice.factor * target) / measured)) } : { ...choice, iterations: choice.iterations - 1 };
  }
}
