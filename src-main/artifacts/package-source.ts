/**
 * A submission package as the importer sees it, whatever its container (folder or .zip): the signature
 * bytes, the list of regular files (every name already checked), and a way to stream one file's bytes.
 * Nothing is ever extracted to disk: contents flow from the container straight to the caller.
 */
export interface PackageEntry {
  /** Checked relative POSIX path. */
  name: string;
  /** Declared size in bytes (zip central directory, or lstat); streaming enforces it. */
  size: number;
}

export interface PackageSource {
  /** What the user named (for messages); never shown beyond its base name. */
  readonly label: string;
  /** The bytes of the root `model.sig`, or null when the package has none. */
  readSignature(maxBytes: number): Promise<Uint8Array | null>;
  /**
   * Every regular file outside the ignored paths (which are not even looked at in a folder). Refuses
   * (PACKAGE_REFUSED) links, special files, hostile names, collisions and limit breaches.
   */
  listEntries(ignorePaths: readonly string[]): Promise<PackageEntry[]>;
  /** Stream one listed entry. Yields at most its declared size; refuses (size-mismatch) a lying entry. */
  stream(entry: PackageEntry): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}
