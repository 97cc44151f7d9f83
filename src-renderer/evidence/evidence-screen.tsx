/**
 * Evidence review of a case: its Inspect evaluation logs with a status chip each; for the chosen log
 * the facts of the run (task, model, dataset, config, provenance), the headline table reported vs
 * recomputed, every flag in plain words, the samples and a transcript; and a comparison with another
 * run of the same task (paired samples, the difference with its paired standard error, the flips).
 */
import { useEffect, useRef } from 'react';
import type { FlagCode } from '../../src-shared/evidence/evidence-report';
import { useComparison, useEvidenceCheck, useEvidenceLogs, useEvidenceProgressEvents, type EvidenceReportView } from '../api/evidence-hooks';
import { ErrorAlert } from '../components/error-alert';
import { useEvidenceStore } from '../state/evidence-store';
import { FLAG_EXPLANATIONS, FLAG_TITLES, formatMetric, formatValue, STATUS_WORDS, VERDICT_WORDS } from './evidence-words';
import { SamplesTable } from './samples-table';
import { TranscriptPanel } from './transcript-view';

export function EvidenceScreen({ caseId }: { caseId: string }) {
  const logs = useEvidenceLogs(caseId);
  const logId = useEvidenceStore((s) => s.logId);
  const selectLog = useEvidenceStore((s) => s.selectLog);
  useEvidenceProgressEvents();
  const selected = logs.data?.find((l) => l.artifactId === logId) ?? null;

  return (
    <div className="evidence">
      <nav className="evidence-logs" aria-label="Evaluation logs">
        <h2>Evaluation logs</h2>
        {logs.isPending ? (
          <p className="loading">Looking for evaluation logs…</p>
        ) : logs.isError ? (
          <ErrorAlert error={logs.error} />
        ) : logs.data.length === 0 ? (
          <p>This case has no Inspect evaluation logs (.eval or .json).</p>
        ) : (
          <ul className="artifact-list">
            {logs.data.map((log) => (
              <li key={log.artifactId}>
                <button type="button" aria-current={log.artifactId === logId ? 'true' : undefined} onClick={() => selectLog(log.artifactId)}>
                  <span>{log.path}</span>
                  <StatusChip status={log.status} flags={log.flagCount} />
                </button>
              </li>
            ))}
          </ul>
        )}
      </nav>
      <div className="evidence-main" role="region" aria-label={selected ? `Evidence: ${selected.path}` : 'Evidence'} tabIndex={0}>
        {selected ? (
          <LogReview key={selected.artifactId} artifactId={selected.artifactId} path={selected.path} others={(logs.data ?? []).filter((l) => l.artifactId !== selected.artifactId)} />
        ) : (
          <div className="empty-state">
            <p className="empty-title">Choose an evaluation log</p>
            <p>Each log is read in full and its headline metrics are recomputed from its own samples. Every reading is recorded in the access log.</p>
          </div>
        )}
      </div>
    </div>
  );
}

function StatusChip({ status, flags }: { status: 'clean' | 'flagged' | 'malformed' | null; flags: number | null }) {
  if (status === null) return <span className="status-chip unchecked">Not checked</span>;
  return (
    <span className={`status-chip ${status}`}>
      {STATUS_WORDS[status]}
      {status !== 'clean' && flags ? ` · ${flags} flag${flags === 1 ? '' : 's'}` : ''}
    </span>
  );
}

function Progress() {
  const progress = useEvidenceStore((s) => s.progress);
  return (
    <div className="evidence-progress">
      <p className="loading" id="evidence-progress-label">
        Reading the log and recomputing its metrics…
      </p>
      {progress.total > 0 ? (
        <progress aria-labelledby="evidence-progress-label" max={progress.total} value={progress.done} aria-valuetext={`${progress.done} of ${progress.total} samples read`} />
      ) : (
        <progress aria-labelledby="evidence-progress-label" />
      )}
    </div>
  );
}

function LogReview({ artifactId, path, others }: { artifactId: string; path: string; others: Array<{ artifactId: string; path: string }> }) {
  const check = useEvidenceCheck(artifactId);
  const sample = useEvidenceStore((s) => s.sample);
  const openSample = useEvidenceStore((s) => s.openSample);
  const compareWith = useEvidenceStore((s) => s.compareWith);
  const setCompareWith = useEvidenceStore((s) => s.setCompareWith);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (check.isSuccess) heading.current?.focus();
  }, [check.isSuccess]);

  if (check.isPending) return <Progress />;
  if (check.isError) return <ErrorAlert error={check.error} />;
  const report = check.data;
  return (
    <article className="log-review">
      <h2 ref={heading} tabIndex={-1}>
        {report.task ?? path} <StatusChip status={report.status} flags={report.flags.length} />
      </h2>
      <RunFacts report={report} path={path} />
      <Headline report={report} />
      <Flags report={report} />
      {report.samples.present > 0 ? <SamplesTable artifactId={artifactId} total={report.samples.present} /> : null}
      {sample && sample.artifactId === artifactId ? <TranscriptPanel sample={sample} onClose={() => openSample(null)} /> : null}
      <section className="compare" aria-labelledby="compare-h">
        <h3 id="compare-h">Compare with another run</h3>
        {others.length === 0 ? (
          <p>The case has no other evaluation log to compare with.</p>
        ) : (
          <p>
            <label htmlFor="compare-with">Other run</label>{' '}
            <select id="compare-with" value={compareWith ?? ''} onChange={(e) => setCompareWith(e.target.value || null)}>
              <option value="">Choose a log…</option>
              {others.map((o) => (
                <option key={o.artifactId} value={o.artifactId}>
                  {o.path}
                </option>
              ))}
            </select>
          </p>
        )}
        {compareWith ? <Comparison a={artifactId} b={compareWith} /> : null}
      </section>
    </article>
  );
}

function RunFacts({ report, path }: { report: EvidenceReportView; path: string }) {
  const config = report.config;
  const limits = ['limit', 'sample_id', 'epochs', 'epochs_reducer', 'message_limit', 'token_limit', 'time_limit', 'working_limit', 'fail_on_error'].filter((k) => config[k] !== undefined && config[k] !== null);
  const revision = report.revision ?? {};
  return (
    <dl className="run-facts" aria-label="About this run">
      <div>
        <dt>File</dt>
        <dd>{path}</dd>
      </div>
      <div>
        <dt>Model</dt>
        <dd>{report.model ?? '—'}</dd>
      </div>
      <div>
        <dt>Log status</dt>
        <dd>
          {report.logStatus ?? '—'}
          {report.headerSource === 'journal' ? ' (unfinished: read from the journal)' : ''}
        </dd>
      </div>
      <div>
        <dt>Dataset</dt>
        <dd>
          {report.dataset.name ?? '—'}
          {report.dataset.samples !== null ? ` · ${report.dataset.samples} samples` : ''}
        </dd>
      </div>
      <div>
        <dt>Samples in the log</dt>
        <dd>
          {report.samples.present}
          {report.samples.expected !== null ? ` of ${report.samples.expected} expected` : ''} · {report.samples.errored} errored · {report.samples.limitsHit} at a limit
        </dd>
      </div>
      <div>
        <dt>Config</dt>
        <dd>{limits.length ? limits.map((k) => `${k} ${formatValue(config[k])}`).join(' · ') : '—'}</dd>
      </div>
      <div>
        <dt>Generation</dt>
        <dd>
          {Object.entries(report.generation)
            .map(([k, v]) => `${k} ${formatValue(v)}`)
            .join(' · ') || '—'}
        </dd>
      </div>
      <div>
        <dt>Provenance</dt>
        <dd>
          run {report.runId ?? '—'}
          {report.created ? ` · ${report.created}` : ''}
          {revision.commit ? ` · revision ${formatValue(revision.commit)}` : ''}
          {Object.keys(report.packages).length ? ` · ${Object.entries(report.packages).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}
        </dd>
      </div>
    </dl>
  );
}

function Headline({ report }: { report: EvidenceReportView }) {
  const focus = useEvidenceStore((s) => s.focus);
  const focused = useRef<HTMLTableRowElement>(null);
  const isFocus = (s: { name: string; metric: string }) => focus !== null && s.metric === focus.metric && (focus.scorer === null || focus.scorer === s.name);
  const target = report.scores.find(isFocus) ?? null;
  useEffect(() => {
    focused.current?.scrollIntoView({ block: 'center' });
  }, [target]);
  return (
    <section aria-labelledby="headline-h">
      <h3 id="headline-h">Headline metrics: reported and recomputed</h3>
      {report.scores.length === 0 ? (
        <p>The log reports no headline metrics.</p>
      ) : (
        <table className="headline-table">
          <thead>
            <tr>
              <th scope="col">Score</th>
              <th scope="col">Metric</th>
              <th scope="col">Reducer</th>
              <th scope="col">Reported</th>
              <th scope="col">Recomputed</th>
              <th scope="col">Verdict</th>
            </tr>
          </thead>
          <tbody>
            {report.scores.map((s) => (
              <tr
                key={`${s.name}/${s.metric}/${s.reducer}`}
                ref={s === target ? focused : undefined}
                className={`verdict-${s.verdict}${s === target ? ' claim-focus' : ''}`}
                aria-current={s === target ? 'true' : undefined}
              >
                <th scope="row">
                  {s.name}
                  {s === target ? <span className="focus-note"> (the claim's metric)</span> : null}
                </th>
                <td>{s.metric}</td>
                <td>{s.reducer}</td>
                <td>{formatMetric(s.reported)}</td>
                <td>{formatMetric(s.recomputed)}</td>
                <td>
                  <span className={`verdict verdict-${s.verdict}`}>{VERDICT_WORDS[s.verdict]}</span>
                  {s.note ? <span className="muted"> ({s.note})</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Flags({ report }: { report: EvidenceReportView }) {
  return (
    <section aria-labelledby="flags-h">
      <h3 id="flags-h">What does not add up</h3>
      {report.flags.length === 0 ? (
        <p>Nothing: every metric the checker can recompute matches and no sample is missing, errored or cut short.</p>
      ) : (
        <ul className="flag-list" aria-label="Flags">
          {report.flags.map((f, i) => (
            <li key={i} className={`flag flag-${f.code}`}>
              <strong>{FLAG_TITLES[f.code as FlagCode]}.</strong> {f.message}
              <span className="flag-why">{FLAG_EXPLANATIONS[f.code as FlagCode]}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Comparison({ a, b }: { a: string; b: string }) {
  const comparison = useComparison(a, b, null);
  const pair = useEvidenceStore((s) => s.pair);
  const openPair = useEvidenceStore((s) => s.openPair);
  if (comparison.isPending) return <p className="loading">Reading both runs…</p>;
  if (comparison.isError) return <ErrorAlert error={comparison.error} />;
  const c = comparison.data;
  const flip = (p: { id: string | number; epoch: number }) => ({ a: { artifactId: a, sampleId: String(p.id), epoch: p.epoch }, b: { artifactId: b, sampleId: String(p.id), epoch: p.epoch } });
  return (
    <div className="comparison">
      {!c.sameTask ? <p className="warning-text">These logs are of different tasks ({c.a.task ?? '—'} and {c.b.task ?? '—'}): pairs by sample id may mean little.</p> : null}
      <table className="headline-table" aria-label="Run comparison">
        <thead>
          <tr>
            <th scope="col">Score</th>
            <th scope="col">{c.a.model ?? 'Run A'} (A)</th>
            <th scope="col">{c.b.model ?? 'Run B'} (B)</th>
            <th scope="col">Difference B − A</th>
            <th scope="col">Paired stderr</th>
            <th scope="col">Pairs</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{c.score}</th>
            <td>{formatMetric(c.meanA)}</td>
            <td>{formatMetric(c.meanB)}</td>
            <td>{formatMetric(c.difference)}</td>
            <td>{formatMetric(c.stderr)}</td>
            <td>
              {c.pairs}
              {c.onlyInA || c.onlyInB ? ` (${c.onlyInA} only in A, ${c.onlyInB} only in B)` : ''}
            </td>
          </tr>
        </tbody>
      </table>
      <div className="flips">
        <FlipList title={`Better in B (${c.improved.length})`} pairs={c.improved} onOpen={(p) => openPair(flip(p))} />
        <FlipList title={`Worse in B (${c.regressed.length})`} pairs={c.regressed} onOpen={(p) => openPair(flip(p))} />
      </div>
      {pair ? (
        <section className="side-by-side" aria-label={`Sample ${pair.a.sampleId} in both runs`}>
          <TranscriptPanel sample={pair.a} title={`A: ${c.a.model ?? c.a.path}`} headingLevel={4} />
          <TranscriptPanel sample={pair.b} title={`B: ${c.b.model ?? c.b.path}`} headingLevel={4} />
          <button type="button" onClick={() => openPair(null)}>
            Close both transcripts
          </button>
        </section>
      ) : null}
    </div>
  );
}

function FlipList({ title, pairs, onOpen }: { title: string; pairs: Array<{ id: string | number; epoch: number; a: number; b: number }>; onOpen(p: { id: string | number; epoch: number }): void }) {
  return (
    <div>
      <h4>{title}</h4>
      {pairs.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul className="flip-list">
          {pairs.slice(0, 200).map((p) => (
            <li key={`${String(p.id)}#${p.epoch}`}>
              <button type="button" onClick={() => onOpen(p)}>
                Sample {String(p.id)} · epoch {p.epoch}: {formatMetric(p.a)} → {formatMetric(p.b)}
              </button>
            </li>
          ))}
          {pairs.length > 200 ? <li>and {pairs.length - 200} more</li> : null}
        </ul>
      )}
    </div>
  );
}
