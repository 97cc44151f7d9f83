/**
 * Lock must leave nothing of the session behind in the renderer (CONVENTIONS "Renderer": lock clears
 * both caches). Every zustand store registers its reset here when it is created, so a store cannot be
 * forgotten by the lock path.
 */
const resets = new Set<() => void>();

export function registerStoreReset(reset: () => void): void {
  resets.add(reset);
}

export function resetAllStores(): void {
  for (const reset of resets) reset();
}
