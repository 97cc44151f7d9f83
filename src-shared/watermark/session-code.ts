/**
 * The forensic watermark's payload: a 48-bit session code, protected by a 32-bit check and a
 * convolutional code, so a screenshot can be traced to the session that showed it (DESIGN.md §7).
 *
 * Layout of the 80 information bits: code (48 bits, big-endian) ‖ CRC-32C(domain ‖ code) (32 bits).
 * They are encoded with the K=7, rate 1/2 convolutional code (generators 171, 133 octal, the CCSDS /
 * NASA standard code, free distance 10), zero-terminated with 6 tail bits: 86 steps, 172 coded bits.
 * Decoding is soft-decision Viterbi (maximum likelihood for Gaussian noise on the cell means),
 * followed by the check.
 *
 * False-accept math (why the prototype's CRC-8 was not enough and what this gives instead):
 * on an image without our watermark, the soft values are noise, and Viterbi returns some 80-bit
 * information word that is, for the check, a uniformly random one: the 32 check bits match the CRC of
 * the 48 code bits with probability 2^-32 ≈ 2.3e-10 per decoding attempt. The decoder makes at most
 * MAX_DECODE_ATTEMPTS (decoder.ts: scale candidates × phase candidates, ≤ 64) attempts per image,
 * so an unwatermarked image passes the check with probability ≤ 64 × 2^-32 ≈ 1.5e-8, i.e. fewer
 * than one false accept in 60 million images — before the independent re-rendering confirmation in
 * decoder.ts, which rejects most of the rest. The CRC is linear, but that does not weaken the bound:
 * it is taken over a random word, not chosen by an adversary. (An adversary who wants to *forge* a
 * code can always render the public pattern of any code; the watermark's authenticity comes from
 * session codes being random 48-bit values recorded in the signed access log, not from this check.)
 * The CRC also detects every burst error of up to 32 bits, the typical Viterbi error event.
 */

export const SESSION_CODE_BYTES = 6;
export const SESSION_CODE_BITS = SESSION_CODE_BYTES * 8;
const CHECK_BITS = 32;
export const INFO_BITS = SESSION_CODE_BITS + CHECK_BITS;
const CONSTRAINT = 7;
const TAIL_BITS = CONSTRAINT - 1;
const STATES = 1 << TAIL_BITS;
/** Generator polynomials 171 and 133 (octal) over the 7-bit register (newest bit = bit 6). */
const G0 = 0o171;
const G1 = 0o133;
export const CODED_BITS = (INFO_BITS + TAIL_BITS) * 2;

/** Domain separation: a check for some other 48-bit format never validates as ours. */
const CHECK_DOMAIN = [0x72, 0x77, 0x2d, 0x77, 0x6d, 0x2d, 0x76, 0x31]; // "rw-wm-v1"

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32C (Castagnoli, RFC 3720 §B.4): check value of "123456789" is 0xE3069283. */
export function crc32c(bytes: ArrayLike<number>): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = (crc >>> 8) ^ (CRC32C_TABLE[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The 32-bit check of a session code. */
export function sessionCheck(code: Uint8Array): number {
  assertCode(code);
  return crc32c([...CHECK_DOMAIN, ...code]);
}

function assertCode(code: Uint8Array): void {
  if (code.length !== SESSION_CODE_BYTES) throw new RangeError(`A session code is ${SESSION_CODE_BYTES} bytes.`);
}

function parity(x: number): number {
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

function infoBits(code: Uint8Array): Uint8Array {
  const check = sessionCheck(code);
  const bits = new Uint8Array(INFO_BITS);
  for (let i = 0; i < SESSION_CODE_BITS; i++) bits[i] = ((code[i >> 3] ?? 0) >> (7 - (i & 7))) & 1;
  for (let i = 0; i < CHECK_BITS; i++) bits[SESSION_CODE_BITS + i] = (check >>> (31 - i)) & 1;
  return bits;
}

/** Code → the CODED_BITS channel bits (0/1), in transmission order. */
export function encodeSessionCode(code: Uint8Array): Uint8Array {
  const bits = infoBits(code);
  const out = new Uint8Array(CODED_BITS);
  let state = 0;
  for (let t = 0; t < INFO_BITS + TAIL_BITS; t++) {
    const b = t < INFO_BITS ? (bits[t] ?? 0) : 0;
    const reg = (b << TAIL_BITS) | state;
    out[2 * t] = parity(reg & G0);
    out[2 * t + 1] = parity(reg & G1);
    state = reg >> 1;
  }
  return out;
}

/**
 * Soft-decision Viterbi over CODED_BITS soft values (positive = bit 1 more likely, magnitude =
 * confidence, 0 = erased), then the check. Returns the code, or null when the check fails.
 */
export function decodeSessionCode(soft: ArrayLike<number>): Uint8Array | null {
  const { bits } = viterbi(soft);
  const code = new Uint8Array(SESSION_CODE_BYTES);
  for (let i = 0; i < SESSION_CODE_BITS; i++) if (bits[i]) code[i >> 3] = (code[i >> 3] ?? 0) | (1 << (7 - (i & 7)));
  let check = 0;
  for (let i = 0; i < CHECK_BITS; i++) check = ((check << 1) | (bits[SESSION_CODE_BITS + i] ?? 0)) >>> 0;
  return check === sessionCheck(code) ? code : null;
}

/**
 * How well the soft values fit the most likely codeword, without the check: the Viterbi path metric
 * (Σ soft × codeword bit, ±1) over the soft values' norm. It measures how cleanly a fold's payload
 * cells read, whatever the code, so the photo rectifier can rank grids on all 172 coded bits rather
 * than the 64 sync cells alone. It decides nothing: no check is made, so it costs no decoding attempt.
 */
export function codewordFit(soft: ArrayLike<number>): number {
  let norm = 0;
  for (let i = 0; i < soft.length; i++) norm += (Number(soft[i]) || 0) ** 2;
  return norm > 0 ? viterbi(soft).metric / Math.sqrt(norm) : 0;
}

function viterbi(soft: ArrayLike<number>): { bits: Uint8Array; metric: number } {
  if (soft.length !== CODED_BITS) throw new RangeError(`Expected ${CODED_BITS} soft values.`);
  const steps = INFO_BITS + TAIL_BITS;
  let metric = new Float64Array(STATES).fill(-Infinity);
  metric[0] = 0;
  let next = new Float64Array(STATES);
  const decisions = new Uint8Array(steps * STATES);
  const out0 = new Int8Array(2 * STATES);
  const out1 = new Int8Array(2 * STATES);
  for (let reg = 0; reg < 2 * STATES; reg++) {
    out0[reg] = parity(reg & G0) ? 1 : -1;
    out1[reg] = parity(reg & G1) ? 1 : -1;
  }
  for (let t = 0; t < steps; t++) {
    const l0 = Number(soft[2 * t]) || 0;
    const l1 = Number(soft[2 * t + 1]) || 0;
    const tail = t >= INFO_BITS;
    next.fill(-Infinity);
    for (let ns = 0; ns < STATES; ns++) {
      const b = ns >> (TAIL_BITS - 1);
      if (tail && b === 1) continue;
      let best = -Infinity;
      let choice = 0;
      for (let low = 0; low < 2; low++) {
        const s = ((ns << 1) & (STATES - 1)) | low;
        const m = metric[s] ?? -Infinity;
        if (m === -Infinity) continue;
        const reg = (b << TAIL_BITS) | s;
        const v = m + (out0[reg] ?? 0) * l0 + (out1[reg] ?? 0) * l1;
        if (v > best) {
          best = v;
          choice = low;
        }
      }
      next[ns] = best;
      decisions[t * STATES + ns] = choice;
    }
    [metric, next] = [next, metric];
  }
  const bits = new Uint8Array(steps);
  let state = 0;
  for (let t = steps - 1; t >= 0; t--) {
    bits[t] = state >> (TAIL_BITS - 1);
    state = ((state << 1) & (STATES - 1)) | (decisions[t * STATES + state] ?? 0);
  }
  // The tail drives the encoder back to state 0, where the surviving path ends.
  return { bits, metric: metric[0] ?? 0 };
}

/**
 * Hex form of a session code (lowercase, 12 digits). Kept here rather than in encoding.ts because this
 * module also runs in the sandboxed overlay renderer, where encoding.ts's Buffer does not exist.
 */
export function sessionCodeToHex(code: Uint8Array): string {
  assertCode(code);
  let out = '';
  for (const b of code) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Parses 12 hex digits; null for anything else (callers turn that into their own refusal). */
export function sessionCodeFromHex(text: string): Uint8Array | null {
  if (!/^[0-9a-fA-F]{12}$/.test(text)) return null;
  const out = new Uint8Array(SESSION_CODE_BYTES);
  for (let i = 0; i < SESSION_CODE_BYTES; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}
