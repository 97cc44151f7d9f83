/**
 * Import a signed submission package into content.db in ONE transaction (DESIGN §4, §5):
 * signature first, then the exact file set, then every file streamed from its container straight into
 * 1 MiB chunk rows while its SHA-256 is checked against the signed digest. A refusal, an error or a
 * killed process leaves the database exactly as before (rollback, or SQLite's journal recovery on the
 * next open). Nothing touches the disk outside the database: no temporary files, no extraction.
 * Memory stays bounded by one chunk buffer whatever the package size.
 */
import type { Database, Statement } from '@signalapp/sqlcipher';
import { randomBytes, sha256, type PublicKey } from '../../src-shared/node/crypto';
import { canonicalize } from '../../src-shared/canonical-json';
import { concatBytes, toHex } from '../../src-shared/encoding';
import { isRwError, RwError } from '../../src-shared/errors';
import { sniffMediaType, SNIFF_BYTES } from './media-type';
import { rootDigestOf } from './oms-signature';
import { openPackageSource, planPackage, streamVerified, type PlannedFile } from './package-plan';
import { packageRefused } from './package-refusal';
import type { PackageLimits } from './package-limits';
import type { PackageSource } from './package-source';
import type { ZipBytes } from './zip-source';
import { ARTIFACT_CHUNK_SIZE } from '../vault/content-schema';
import type { ArtifactSummary } from '../../src-shared/ipc/channels-cases';
import { indexImportedTable } from './table-rows';
import type { ArtifactIndexer } from '../search/artifact-indexers';
import { appIndexers } from '../search/app-indexers';
import { indexCaseArtifacts } from '../search/index-artifacts';
import { previousVersion, refuseDuplicate, type CaseRef } from './case-lineage';
import { MAX_SUBMISSION_BYTES, parseSubmission, SUBMISSION_FILE } from './submission';
import { holdContent } from '../vault/content-writer';

/** Artifact content is stored in chunks of this size (the last one shorter). */
export const CHUNK_BYTES = ARTIFACT_CHUNK_SIZE;

export interface ImportProgress {
  bytesDone: number;
  bytesTotal: number;
  /** The entry being stored (empty while indexing). */
  entry: string;
  /** Storing every file, then indexing the case's text for search (bytes counted again from 0). */
  phase: 'storing' | 'indexing';
}

export interface ImportOptions {
  /** An open, keyed content.db with the cases/artifacts/artifact_chunks tables. */
  contentDb: Database;
  /** A package folder or .zip file, or a .zip's bytes (the preview's file input). */
  source: string | ZipBytes;
  trustedKeys: readonly PublicKey[];
  limits?: Partial<PackageLimits>;
  /** UTC milliseconds. */
  clock: () => number;
  random?: (length: number) => Uint8Array;
  onProgress?: (progress: ImportProgress) => void;
  /** How artifacts become search units; the built-in formats when absent (search/artifact-indexers.ts). */
  indexers?: readonly ArtifactIndexer[];
}

export interface ImportResult {
  caseId: string;
  artifactCount: number;
  totalBytes: number;
  packageDigest: string;
  submitterKey: string;
  /** From the signed submission.json, for the messages that say what was imported. */
  model: string;
  developer: string;
  version: string;
  /** The case this one is a new version of (same model and developer), or null for a first version. */
  previous: CaseRef | null;
}

/** How a submitter key is named in the case row: SHA-256 of its DER SubjectPublicKeyInfo. */
export function submitterKeyId(key: PublicKey): string {
  return `sha256:${toHex(sha256(key.spki))}`;
}

interface Statements {
  insertCase: Statement<object>;
  insertArtifact: Statement<object>;
  insertChunk: Statement<object>;
}

function prepare(db: Database): Statements {
  return {
    insertCase: db.prepare(
      `INSERT INTO cases (id, model, developer, version, submitted_at, release_date, review_deadline, package_digest, submitter_key, imported_at, metadata_json)
       VALUES ($id, $model, $developer, $version, $submitted_at, $release_date, $review_deadline, $package_digest, $submitter_key, $imported_at, $metadata_json)`,
    ),
    insertArtifact: db.prepare(
      `INSERT INTO artifacts (id, case_id, path, size, sha256, media_type, chunk_count)
       VALUES ($id, $case_id, $path, $size, $sha256, $media_type, $chunk_count)`,
    ),
    insertChunk: db.prepare('INSERT INTO artifact_chunks (artifact_id, seq, data) VALUES (?, ?, ?)'),
  };
}

/**
 * Writes one artifact: buffers exactly one chunk, sniffs the media type from the first chunk, inserts
 * the artifact row before its first chunk row (foreign key order), then chunk rows as they fill.
 */
class ArtifactWriter {
  private readonly buffer = new Uint8Array(new ArrayBuffer(CHUNK_BYTES));
  private filled = 0;
  private seq = 0;
  private rowWritten = false;
  /** Set once the artifact row is written. */
  mediaType = '';

  constructor(
    private readonly statements: Statements,
    private readonly artifactId: string,
    private readonly caseId: string,
    private readonly file: PlannedFile,
  ) {}

  write(chunk: Uint8Array): void {
    let offset = 0;
    // Whole chunks as the sources deliver them go to the database as they are, without a copy.
    while (this.filled === 0 && chunk.byteLength - offset >= CHUNK_BYTES) {
      this.store(chunk.subarray(offset, offset + CHUNK_BYTES));
      offset += CHUNK_BYTES;
    }
    while (offset < chunk.byteLength) {
      const n = Math.min(CHUNK_BYTES - this.filled, chunk.byteLength - offset);
      this.buffer.set(chunk.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === CHUNK_BYTES) this.flush();
    }
  }

  finish(): void {
    if (this.filled > 0) this.flush();
    if (!this.rowWritten) this.writeRow(new Uint8Array(0));
  }

  /** The artifact as stored (after finish). */
  summary(): ArtifactSummary {
    return { id: this.artifactId, caseId: this.caseId, path: this.file.name, size: this.file.size, sha256: this.file.sha256, mediaType: this.mediaType, chunkCount: this.seq };
  }

  private writeRow(head: Uint8Array): void {
    this.mediaType = sniffMediaType(this.file.name, head);
    this.statements.insertArtifact.run({
      id: this.artifactId,
      case_id: this.caseId,
      path: this.file.name,
      size: this.file.size,
      sha256: this.file.sha256,
      media_type: this.mediaType,
      chunk_count: Math.ceil(this.file.size / CHUNK_BYTES),
    });
    this.rowWritten = true;
  }

  private flush(): void {
    this.store(this.buffer.subarray(0, this.filled));
    this.filled = 0;
  }

  private store(data: Uint8Array): void {
    if (!this.rowWritten) this.writeRow(data.subarray(0, Math.min(data.byteLength, SNIFF_BYTES)));
    // The driver copies bound blobs, so the buffer is reused for the next chunk.
    this.statements.insertChunk.run([this.artifactId, this.seq, data as Uint8Array<ArrayBuffer>]);
    this.seq++;
  }
}

function newId(prefix: string, random: (n: number) => Uint8Array): string {
  return `${prefix}${toHex(random(16))}`;
}

async function readSubmission(source: PackageSource, file: PlannedFile): Promise<Uint8Array> {
  if (file.size > MAX_SUBMISSION_BYTES) throw packageRefused(SUBMISSION_FILE, 'submission-invalid', 'larger than 256 KiB');
  const parts: Uint8Array[] = [];
  for await (const chunk of streamVerified(source, file)) parts.push(Uint8Array.from(chunk));
  return concatBytes(...parts);
}

/**
 * Imports a package as one new case, resolving to the case id together with what was stored and who
 * signed it. The import holds the content connection (vault/content-writer.ts): other writes wait for it.
 */
export function importPackageDetailed(options: ImportOptions): Promise<ImportResult> {
  return holdContent(options.contentDb, () => importHeld(options));
}

async function importHeld(options: ImportOptions): Promise<ImportResult> {
  const random = options.random ?? randomBytes;
  const db = options.contentDb;
  const source = await openPackageSource(options.source, options.limits);
  let inTransaction = false;
  try {
    const plan = await planPackage(source, options.trustedKeys);
    const submissionFile = plan.files.find((f) => f.name === SUBMISSION_FILE);
    if (!submissionFile) throw packageRefused(SUBMISSION_FILE, 'submission-invalid', 'the package has no signed submission.json');
    const submissionBytes = await readSubmission(source, submissionFile);
    const submission = parseSubmission(submissionBytes);

    const statements = prepare(db);
    const caseId = newId('case-', random);
    const packageDigest = `sha256:${rootDigestOf(plan.manifest.resources)}`;
    const submitterKey = submitterKeyId(plan.manifest.signerKey);
    // The same signed package twice is refused before any content is read (and again under the write lock).
    refuseDuplicate(db, packageDigest);
    let bytesDone = 0;
    const progress = (entry: string) => options.onProgress?.({ bytesDone, bytesTotal: plan.totalBytes, entry, phase: 'storing' });

    // IMMEDIATE: take the write lock now, so a concurrent writer fails here rather than mid-import.
    // The transaction belongs to this connection: an import already running on it refuses a second one.
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch {
      throw new RwError('CONFLICT', 'Another import or write is in progress; try again when it has finished.');
    }
    inTransaction = true;
    refuseDuplicate(db, packageDigest);
    statements.insertCase.run({
      id: caseId,
      model: submission.model,
      developer: submission.developer,
      version: submission.version,
      submitted_at: submission.submitted_at,
      release_date: submission.release_date,
      review_deadline: submission.review_deadline,
      package_digest: packageDigest,
      submitter_key: submitterKey,
      imported_at: options.clock(),
      metadata_json: canonicalize(submission),
    });

    // Random ids, handed out in ascending order: the chunk rows (keyed by artifact id) then go into the
    // B-tree in key order, each leaf page filled once while it is in the page cache, instead of a
    // random leaf per file read back and encrypted again after the cache spilled it (measured: a
    // third more CPU for a package of many small files).
    const artifactIds = plan.files.map(() => newId('art-', random)).sort();
    for (const [i, file] of plan.files.entries()) {
      const writer = new ArtifactWriter(statements, artifactIds[i]!, caseId, file);
      progress(file.name);
      if (file === submissionFile) {
        // Already read and verified above; store the same bytes rather than reading them twice.
        writer.write(submissionBytes);
        bytesDone += submissionBytes.byteLength;
      } else {
        let sinceReport = 0;
        for await (const chunk of streamVerified(source, file)) {
          writer.write(chunk);
          bytesDone += chunk.byteLength;
          sinceReport += chunk.byteLength;
          if (sinceReport >= CHUNK_BYTES) {
            sinceReport = 0;
            progress(file.name);
          }
        }
      }
      writer.finish();
      // Tables get their row index now, so they open at once (table-rows.ts).
      await indexImportedTable(db, writer.summary(), options.clock());
      progress(file.name);
    }
    // Indexed in the same transaction: the case is searchable exactly when it exists.
    await indexCaseArtifacts(db, caseId, {
      indexers: options.indexers ?? appIndexers(),
      clock: options.clock,
      onProgress: (p) => options.onProgress?.({ ...p, entry: '', phase: 'indexing' }),
    });
    const previous = previousVersion(db, caseId);
    db.exec('COMMIT');
    inTransaction = false;
    return {
      caseId,
      artifactCount: plan.files.length,
      totalBytes: plan.totalBytes,
      packageDigest,
      submitterKey,
      model: submission.model,
      developer: submission.developer,
      version: submission.version,
      previous,
    };
  } catch (error) {
    if (inTransaction) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // SQLite may already have rolled back (e.g. on a full disk); the journal guarantees atomicity.
      }
    }
    if (isRwError(error)) throw error;
    throw new RwError('INTERNAL', 'The package could not be stored.');
  } finally {
    await source.close();
  }
}
