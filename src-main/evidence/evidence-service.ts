/**
 * The evidence screen's service: which artifacts of a case are Inspect logs, each checked once per
 * unlocked session (the check reads every sample, so its rows are kept in memory for paging and
 * dropped when the vault locks), samples paged with sort and filter, a sample's transcript, and two
 * runs compared. Logs are always read in place from content.db through vaultLogSource.
 */
import type { Database } from '@signalapp/sqlcipher';
import type { EvidenceCheck, EvidenceReport, SampleRow } from '../../src-shared/evidence/evidence-report';
import { compareRuns } from '../../src-shared/evidence/compare-runs';
import type { Transcript } from '../../src-shared/evidence/transcript';
import { RwError } from '../../src-shared/errors';
import type { EvidenceLogSummary, RunComparisonView, SampleRowView, SAMPLE_SHOW, SAMPLE_SORT_COLUMNS } from '../../src-shared/ipc/channels-evidence';
import { getArtifact, listArtifacts } from '../artifacts/case-queries';
import { checkEvidenceLog, type CheckOptions } from './check-log';
import { isZip } from './eval-archive';
import { openInspectLog } from './inspect-log';
import type { LogSource } from './log-source';
import { readTranscript } from './sample-texts';
import { vaultLogSource } from './vault-log-source';

const SNIFF_BYTES = 64 * 1024;
const MAX_CACHED_LOGS = 8;

/** An `.eval` archive, or a `.json` document that starts as an EvalLog does (version, status, eval…). */
export async function looksLikeInspectLog(path: string, source: LogSource): Promise<boolean> {
  if (source.size === 0) return false;
  const head = await source.read(0, Math.min(SNIFF_BYTES, source.size));
  if (/\.eval$/i.test(path)) return isZip(head);
  if (!/\.json$/i.test(path)) return false;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  return /^\s*\{\s*"version"\s*:/.test(text) && text.includes('"eval"');
}

export interface SampleQuery {
  offset: number;
  limit: number;
  sort: (typeof SAMPLE_SORT_COLUMNS)[number];
  descending: boolean;
  show: (typeof SAMPLE_SHOW)[number];
  text: string;
}

function primaryScore(check: EvidenceCheck): string | null {
  return check.report.scores[0]?.name ?? Object.keys(check.rows[0]?.scores ?? {})[0] ?? null;
}

function view(row: SampleRow, score: string | null): SampleRowView {
  return {
    id: row.id,
    epoch: row.epoch,
    score: score === null ? null : (row.scores[score] ?? null),
    displayScore: row.displayScore,
    target: row.target,
    answer: row.answer,
    error: row.error,
    limit: row.limit,
    tokens: row.tokens,
    time: row.time,
  };
}

function compareIds(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

export class EvidenceService {
  /** Checked logs of this session, most recent last (a few, each up to its row list). */
  readonly #checked = new Map<string, EvidenceCheck>();

  constructor(private readonly contentDb: () => Database) {}

  /** Forget every checked log: called when the vault locks. */
  clear(): void {
    this.#checked.clear();
  }

  async list(caseId: string): Promise<EvidenceLogSummary[]> {
    const db = this.contentDb();
    const out: EvidenceLogSummary[] = [];
    for (const artifact of listArtifacts(db, caseId)) {
      if (!(await looksLikeInspectLog(artifact.path, vaultLogSource(db, artifact.id)))) continue;
      const report = this.#checked.get(artifact.id)?.report;
      out.push({
        artifactId: artifact.id,
        path: artifact.path,
        size: artifact.size,
        status: report?.status ?? null,
        task: report?.task ?? null,
        model: report?.model ?? null,
        flagCount: report ? report.flags.length : null,
      });
    }
    return out;
  }

  async check(artifactId: string, options: CheckOptions = {}): Promise<EvidenceCheck> {
    const hit = this.#checked.get(artifactId);
    if (hit) {
      this.#checked.delete(artifactId);
      this.#checked.set(artifactId, hit);
      return hit;
    }
    const db = this.contentDb();
    const result = await checkEvidenceLog(vaultLogSource(db, artifactId), options);
    // A lock during the read: the session that asked is gone, and so is the answer.
    if (this.contentDb() !== db) throw new RwError('VAULT_LOCKED', 'The vault was locked while the log was read.');
    this.#checked.set(artifactId, result);
    while (this.#checked.size > MAX_CACHED_LOGS) this.#checked.delete(this.#checked.keys().next().value as string);
    return result;
  }

  async samples(artifactId: string, query: SampleQuery): Promise<{ total: number; scoreName: string | null; rows: SampleRowView[] }> {
    const check = await this.check(artifactId);
    const score = primaryScore(check);
    const needle = query.text.trim().toLowerCase();
    let rows = check.rows.filter((row) => {
      const value = score === null ? null : row.scores[score];
      if (query.show === 'errored' && row.error === null) return false;
      if (query.show === 'limited' && row.limit === null) return false;
      if (query.show === 'failed' && !(value !== null && value !== undefined && value < 1)) return false;
      if (query.show === 'passed' && !(value !== null && value !== undefined && value >= 1)) return false;
      if (needle && ![String(row.id), row.target, row.answer, row.error ?? '', row.displayScore].some((t) => t.toLowerCase().includes(needle))) return false;
      return true;
    });
    const key = (row: SampleRow): number | string => {
      switch (query.sort) {
        case 'epoch':
          return row.epoch;
        case 'score':
          return score === null ? -Infinity : (row.scores[score] ?? -Infinity);
        case 'tokens':
          return row.tokens ?? -1;
        case 'time':
          return row.time ?? -1;
        case 'error':
          return row.error ?? '';
        default:
          return 0;
      }
    };
    rows = [...rows].sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      let c = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : String(ka).localeCompare(String(kb));
      if (c === 0 || query.sort === 'id') c = compareIds(a.id, b.id) || a.epoch - b.epoch;
      return query.descending ? -c : c;
    });
    return { total: rows.length, scoreName: score, rows: rows.slice(query.offset, query.offset + query.limit).map((r) => view(r, score)) };
  }

  async transcript(artifactId: string, sampleId: string, epoch: number): Promise<{ transcript: Transcript; row: SampleRow }> {
    const check = await this.check(artifactId);
    const row = check.rows.find((r) => String(r.id) === sampleId && r.epoch === epoch);
    if (!row) throw new RwError('NOT_FOUND', 'No such sample in this log.');
    const log = await openInspectLog(vaultLogSource(this.contentDb(), artifactId));
    try {
      return { transcript: await readTranscript(log, row.ref), row };
    } finally {
      await log.close();
    }
  }

  async compare(a: string, b: string, score?: string): Promise<RunComparisonView> {
    const ca = await this.check(a);
    const cb = await this.check(b);
    const names = [...new Set([...ca.report.scores.map((s) => s.name), ...Object.keys(ca.rows[0]?.scores ?? {})])].filter((n) => cb.rows.some((r) => n in r.scores));
    const chosen = score ?? names[0];
    if (chosen === undefined || !names.includes(chosen)) throw new RwError('INVALID_INPUT', 'The two logs share no score to compare.');
    const side = (id: string, report: EvidenceReport) => ({ artifactId: id, path: getArtifact(this.contentDb(), id).path, task: report.task, model: report.model });
    return {
      ...compareRuns(ca.rows, cb.rows, chosen),
      scores: names,
      a: side(a, ca.report),
      b: side(b, cb.report),
      sameTask: ca.report.task !== null && ca.report.task === cb.report.task,
    };
  }
}
