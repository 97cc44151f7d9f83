/**
 * Size limits for one submission package. They bound what a hostile package can make the workstation
 * do (disk use in the vault, time, decompression work); memory is bounded separately by streaming.
 */
export interface PackageLimits {
  /** Largest single file, uncompressed. */
  maxFileBytes: number;
  /** Largest sum of all files, uncompressed. */
  maxPackageBytes: number;
  /** Most files (folders not counted). */
  maxFiles: number;
  /** Largest uncompressed:compressed ratio of a zip entry (zip bombs). */
  maxCompressionRatio: number;
}

export const GiB = 1024 * 1024 * 1024;

export const DEFAULT_PACKAGE_LIMITS: Readonly<PackageLimits> = {
  maxFileBytes: 4 * GiB,
  maxPackageBytes: 16 * GiB,
  maxFiles: 10_000,
  maxCompressionRatio: 100,
};

/**
 * Entries smaller than this are exempt from the ratio check: a few KiB of repeated text legitimately
 * compress beyond 100:1 and cannot exhaust anything.
 */
export const RATIO_CHECK_FLOOR_BYTES = 64 * 1024;

export function resolveLimits(partial: Partial<PackageLimits> | undefined): PackageLimits {
  return { ...DEFAULT_PACKAGE_LIMITS, ...(partial ?? {}) };
}
