/**
 * The enrolled keys the attestation intake looks up, kept for a second after each read. Under load the
 * same few keys sign every request: one indexed read per request cost the event loop a synchronous
 * SQLite query (PostgreSQL: a pooled round trip and its protocol parsing) for a row that almost never
 * changes.
 *
 * Why a stale entry is harmless: what a key row holds is fixed at enrolment except `revokedAt` and (once
 * revoked) `logOrigin`, and the batch that stores an attestation reads the key's row again under its lock
 * and refuses a revoked key there (append-batcher.ts), so a revocation made by another process within the
 * last second still stores nothing; only the refusal may then come from a later check. A revocation
 * through this server drops the entry at once (`forget`). Keys not found are never kept: an enrolment
 * counts on the next request.
 */
import type { EnrolledKey, ServerStore } from './server-store';

export interface KeyLookup {
  /** The enrolled key with this id, or null. */
  key(keyId: string): Promise<EnrolledKey | null>;
  /** Drops what is kept for this key (it was just revoked here). */
  forget(keyId: string): void;
}

const KEEP_MS = 1000;
/** Far above any real deployment's key count; a flood of distinct ids cannot grow the map past it. */
const MAX_ENTRIES = 10_000;

/** Reads straight from the store every time (rwctl import-bundle, tests). */
export function uncachedKeys(store: ServerStore): KeyLookup {
  return {
    key: async (keyId) => (await store.keysById([keyId]))[0] ?? null,
    forget: () => undefined,
  };
}

export function createKeyCache(store: ServerStore, now: () => number = () => performance.now()): KeyLookup {
  const kept = new Map<string, { at: number; key: Promise<EnrolledKey | null> }>();
  return {
    key(keyId) {
      const entry = kept.get(keyId);
      const at = now();
      if (entry && at - entry.at < KEEP_MS) return entry.key;
      // Concurrent requests for the same key share one read.
      const key = store.keysById([keyId]).then((rows) => rows[0] ?? null);
      if (kept.size >= MAX_ENTRIES) kept.clear();
      kept.set(keyId, { at, key });
      void key.then(
        (found) => {
          if (found === null && kept.get(keyId)?.key === key) kept.delete(keyId);
        },
        () => {
          if (kept.get(keyId)?.key === key) kept.delete(keyId);
        },
      );
      return key;
    },
    forget(keyId) {
      kept.delete(keyId);
    },
  };
}
