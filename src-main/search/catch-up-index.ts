/**
 * Catch-up indexing: artifacts stored before the search index existed (a vault older than the index's
 * migration, or an index build that was interrupted) have no search_sources row. After sign-in they
 * are indexed one artifact at a time: its units are read with no transaction open (the indexers hand
 * the event loop back every few milliseconds, so the window stays responsive), then written in one
 * short synchronous transaction. Nothing else can run inside that transaction, so a note saved
 * meanwhile is never caught in it; while an import holds the connection's transaction, the write waits.
 * A lock stops the run between artifacts; the next sign-in resumes where it stopped.
 */
import type { Database } from '@signalapp/sqlcipher';
import { ARTIFACT_ROW_COLUMNS, Slicer, count, readArtifactUnits, type ArtifactRow, type IndexOptions, type IndexSummary } from './index-artifacts';
import { IMPORT_BATCH_UNITS, UnitWriter, unitText, type SourceRef, type UnitDraft } from './search-units';

export interface CatchUpOptions extends IndexOptions {
  /** Checked between artifacts: the vault is locking. */
  isCancelled?(): boolean;
  /** Waits before retrying when the connection is inside another transaction (an import). */
  wait?(): Promise<void>;
}

export interface CatchUpSummary extends IndexSummary {
  cancelled: boolean;
}

const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 100));

export function unindexedArtifacts(db: Database): ArtifactRow[] {
  return db
    .prepare(`SELECT ${ARTIFACT_ROW_COLUMNS} FROM artifacts a WHERE NOT EXISTS (SELECT 1 FROM search_sources s WHERE s.source_id = a.id) ORDER BY case_id, path`)
    .all() as ArtifactRow[];
}

/** Runs `write` in a transaction of its own; false when another transaction is open on the connection. */
function tryTransaction(db: Database, write: () => void): boolean {
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch {
    return false;
  }
  try {
    write();
    db.exec('COMMIT');
    return true;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

export async function catchUpIndex(db: Database, options: CatchUpOptions): Promise<CatchUpSummary> {
  const rows = unindexedArtifacts(db);
  const bytesTotal = rows.reduce((n, r) => n + Number(r.size), 0);
  const summary: CatchUpSummary = { artifacts: 0, units: 0, textChars: 0, unreadable: 0, cancelled: false };
  if (rows.length === 0) return summary;
  const writer = new UnitWriter(db, IMPORT_BATCH_UNITS);
  const slicer = new Slicer(options.sliceMs);
  let bytesDone = 0;
  options.onProgress?.({ bytesDone, bytesTotal });
  for (const row of rows) {
    if (options.isCancelled?.()) return { ...summary, cancelled: true };
    const units: Array<{ source: SourceRef; unit: UnitDraft }> = [];
    const read = await readArtifactUnits(db, row, options.indexers, slicer, (source, unit) => {
      const text = unitText(unit);
      if (text === null) return 0;
      units.push({ source, unit });
      return text.length;
    });
    const write = () => {
      writer.remove(String(row.id));
      for (const u of units) writer.add(u.source, u.unit);
      writer.finish(read.source, read.units, read.chars, read.status, options.clock());
    };
    while (!tryTransaction(db, write)) {
      if (options.isCancelled?.()) return { ...summary, cancelled: true };
      await (options.wait ?? pause)();
    }
    count(summary, read);
    bytesDone += Number(row.size);
    options.onProgress?.({ bytesDone, bytesTotal });
  }
  return summary;
}
