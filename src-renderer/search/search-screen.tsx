/**
 * The search screen: a modal dialog reachable from anywhere (Ctrl/Cmd+K, or the header's Search
 * button). A search runs on Enter (each one is an access-log leaf, so not on every keystroke); hits
 * come grouped by case and artifact with their snippets and counts; kinds and "only this case" are
 * chips that write their `kind:` or `case:` filter into the query (and a filter typed presses its chip,
 * so the box and the chips never disagree); Enter (or a
 * click) on a hit opens its artifact at the page, line, row or section with the matched words
 * highlighted. Arrow keys move between hits.
 */
import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { SearchHitView, SearchRequestInput } from '../../src-shared/ipc/channels-search';
import { SEARCH_RANK_WINDOW } from '../../src-shared/search/rank-window';
import { casesInText, describeTerm, kindsInText, onlyCaseInText, parseQuery, toggleKindInText, toggleOnlyCaseInText } from '../../src-shared/search/query-parser';
import { searchKindLabel, type SearchKind } from '../../src-shared/search/search-kinds';
import { useCases } from '../api/hooks';
import { useSearch } from '../api/search-hooks';
import { ErrorAlert } from '../components/error-alert';
import { useEvidenceStore } from '../state/evidence-store';
import { useSearchStore } from '../state/search-store';
import { useViewerPositionStore } from '../state/viewer-position-store';
import { useWorkspaceStore } from '../state/workspace-store';
import { anchorOfHit, groupHits, sampleOfHit } from './hit-place';

const KIND_CHIPS: readonly SearchKind[] = ['pdf', 'md', 'text', 'json', 'csv', 'jsonl', 'log', 'note', 'finding'];
const PAGE = 50;

function Snippet({ hit }: { hit: SearchHitView }) {
  return (
    <span className="search-snippet">
      {hit.segments.map((s, i) => (s.hit ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
    </span>
  );
}

export function SearchScreen() {
  const open = useSearchStore((s) => s.open);
  const shown = useSearchStore((s) => s.shown);
  const hide = useSearchStore((s) => s.hide);
  const dialog = useRef<HTMLDialogElement>(null);
  // Which show request the open dialog answers. The close event comes a task after the dialog closed: by
  // then Ctrl+K may have asked for it again, and that late event must neither close the new dialog nor
  // cancel the request before it is shown.
  const openedFor = useRef(0);
  const hideIfClosed = () => {
    if (dialog.current?.open || useSearchStore.getState().shown !== openedFor.current) return;
    hide();
  };
  const input = useRef<HTMLInputElement>(null);
  const results = useRef<HTMLDivElement>(null);
  const ids = useId();
  const openCaseId = useWorkspaceStore((s) => s.caseId);
  const openCase = useWorkspaceStore((s) => s.openCase);
  const openArtifact = useWorkspaceStore((s) => s.openArtifact);
  const showRecord = useWorkspaceStore((s) => s.showRecord);
  const requestGoTo = useViewerPositionStore((s) => s.requestGoTo);
  const setMode = useWorkspaceStore((s) => s.setMode);
  const selectLog = useEvidenceStore((s) => s.selectLog);
  const openSample = useEvidenceStore((s) => s.openSample);
  const cases = useCases();
  const [draft, setDraft] = useState('');
  const [submitted, setSubmitted] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);

  const request = useMemo<(SearchRequestInput & { limit: number }) | null>(() => {
    if (submitted === null) return null;
    // A search kept to exactly the open case (what its chip writes) also names the case, so its access-log
    // leaf is about that case, as an auditor filters leaves by object; the results are the same.
    const cases = casesInText(submitted);
    const aboutOpenCase = openCaseId !== null && cases.length === 1 && cases[0] === openCaseId.toLowerCase();
    return { query: submitted, limit: PAGE, ...(aboutOpenCase ? { caseId: openCaseId } : {}) };
  }, [submitted, openCaseId]);
  const search = useSearch(request);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      openedFor.current = shown;
      input.current?.focus();
      input.current?.select();
    } else if (!open && d.open) {
      d.close();
    }
  }, [open, shown]);

  const parsed = useMemo(() => (draft.trim() ? parseQuery(draft) : null), [draft]);
  const caseName = (id: string) => {
    const c = cases.data?.find((x) => x.id === id);
    return c ? `${c.model} ${c.version}` : id;
  };
  // A case: filter holds an id or its first characters: named by its case when it selects exactly one.
  const caseFilterName = (prefix: string) => {
    const matching = cases.data?.filter((c) => c.id.toLowerCase().startsWith(prefix)) ?? [];
    if (matching.length === 1) return caseName(matching[0]!.id);
    return matching.length === 0 ? `${prefix} (no such case)` : `${prefix} (${matching.length} cases)`;
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const check = parseQuery(draft);
    if (!check.ok) {
      setRefusal(check.message);
      return;
    }
    setRefusal(null);
    setSubmitted(draft);
  };

  // A chip writes its filter into the query (or takes it out), so the box and the chips say the same
  // thing; a search already made runs again with it.
  const kindsTyped = kindsInText(draft);
  const onlyOpenCase = openCaseId !== null && onlyCaseInText(draft, openCaseId);
  const editByChip = (next: string) => {
    setDraft(next);
    if (submitted !== null && parseQuery(next).ok) {
      setRefusal(null);
      setSubmitted(next);
    }
  };

  const openHit = (hit: SearchHitView) => {
    hide();
    openCase(hit.caseId);
    // A note or finding opens in its tab, scrolled to and focused (a note about an artifact opens that too).
    if (hit.kind === 'finding') {
      showRecord({ kind: 'finding', id: hit.sourceId });
      return;
    }
    if (hit.kind === 'note') showRecord({ kind: 'note', id: hit.sourceId });
    if (!hit.artifactId) return;
    // A log sample opens in the evidence review, at that sample's transcript.
    const sample = sampleOfHit(hit);
    if (sample) {
      setMode('evidence');
      selectLog(sample.artifactId);
      openSample(sample);
      return;
    }
    openArtifact(hit.artifactId);
    const anchor = anchorOfHit(hit);
    if (anchor) requestGoTo(hit.artifactId, anchor, hit.marks);
  };

  const hitButtons = () => Array.from(results.current?.querySelectorAll<HTMLButtonElement>('button.search-hit') ?? []);
  const onResultsKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const buttons = hitButtons();
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = e.key === 'ArrowDown' ? Math.min(buttons.length - 1, at + 1) : at - 1;
    e.preventDefault();
    if (next < 0) input.current?.focus();
    else buttons[next]?.focus();
  };
  const onInputKey = (e: KeyboardEvent) => {
    // A search field would spend Escape on clearing itself; here Escape closes the screen, as everywhere else in it.
    if (e.key === 'Escape') {
      e.preventDefault();
      hide();
      return;
    }
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      hitButtons()[0]?.focus();
    }
  };

  const pages = search.data?.pages ?? [];
  const hits = pages.flatMap((p) => p.hits);
  const last = pages.at(-1);
  const more = last?.more ?? false;
  // The results name the search they answer: the box may hold an edit not yet searched, or a refused one.
  // In curly quotes: a query often holds straight ones ("an exact phrase").
  const searched = `“${submitted ?? ''}”`;
  const grouped = groupHits(hits);
  const artifactCount = grouped.reduce((n, c) => n + c.groups.length, 0);

  return (
    <dialog ref={dialog} className="search-dialog" aria-labelledby={`${ids}-title`} onClose={hideIfClosed} onCancel={hide}>
      <div className="search-head">
        <h2 id={`${ids}-title`}>Search</h2>
        <button type="button" onClick={hide}>
          Close <kbd>Esc</kbd>
        </button>
      </div>
      <form role="search" onSubmit={onSubmit} className="search-form">
        <label htmlFor={`${ids}-q`}>Search every artifact, note and finding</label>
        <div className="search-row">
          <input
            ref={input}
            id={`${ids}-q`}
            type="search"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={onInputKey}
            aria-describedby={`${ids}-help`}
            autoComplete="off"
            spellCheck={false}
            maxLength={500}
          />
          <button type="submit" className="primary">
            Search
          </button>
        </div>
        <p id={`${ids}-help`} className="hint">
          Words, "exact phrases", prefix*, *part_of_identifier*, -leave_out, case:ID, kind:pdf. Press Enter to search, then the arrow keys and Enter to open a hit.
        </p>
      </form>
      <div className="search-chips" role="group" aria-label="Filters">
        {openCaseId ? (
          <button type="button" className="chip" aria-pressed={onlyOpenCase} onClick={() => editByChip(toggleOnlyCaseInText(draft, openCaseId))}>
            Only {caseName(openCaseId)}
          </button>
        ) : null}
        {KIND_CHIPS.map((kind) => (
          <button key={kind} type="button" className="chip" aria-pressed={kindsTyped.includes(kind)} onClick={() => editByChip(toggleKindInText(draft, kind))}>
            {searchKindLabel(kind)}
          </button>
        ))}
      </div>
      {parsed?.ok && (parsed.query.cases.length > 0 || parsed.query.kinds.length > 0 || parsed.query.terms.length > 0) ? (
        <p className="search-parsed hint">
          Looking for {parsed.query.terms.map(describeTerm).join(' · ')}
          {parsed.query.kinds.length > 0 ? ` · kind: ${parsed.query.kinds.map(searchKindLabel).join(', ')}` : ''}
          {parsed.query.cases.length > 0 ? ` · case: ${parsed.query.cases.map(caseFilterName).join(', ')}` : ''}
        </p>
      ) : null}
      {refusal ? (
        <div className="alert alert-error" role="alert">
          <strong className="alert-label">Cannot search:</strong> {refusal}
        </div>
      ) : null}
      <ErrorAlert error={search.error} />
      {last?.indexing ? <IndexingNotice done={last.indexing.bytesDone} total={last.indexing.bytesTotal} /> : null}
      <p className="search-status" role="status" aria-live="polite">
        {search.isFetchingNextPage
          ? 'Loading more hits…'
          : search.isFetching
            ? 'Searching…'
            : last
              ? hits.length === 0
                ? `No hits for ${searched}.`
                : `${hits.length}${more ? '+' : ''} hit${hits.length === 1 ? '' : 's'} in ${artifactCount} place${artifactCount === 1 ? '' : 's'} across ${grouped.length} case${grouped.length === 1 ? '' : 's'} for ${searched}${more ? (search.hasNextPage ? ' (more below: “Show more hits”)' : ` (the best of the newest ${SEARCH_RANK_WINDOW} matches; narrow the search to see the rest)`) : ''}.`
              : ''}
      </p>
      <div ref={results} className="search-results" onKeyDown={onResultsKey}>
        {grouped.map((c) => (
          <section key={c.caseId} aria-labelledby={`${ids}-${c.caseId}`}>
            <h3 id={`${ids}-${c.caseId}`}>
              {caseName(c.caseId)} <span className="count">({c.count})</span>
            </h3>
            {c.groups.map((g) => (
              <div key={g.key} className="search-group">
                <h4>
                  {g.title} <span className="count">({g.hits.length})</span>
                </h4>
                <ul>
                  {g.hits.map(({ hit, index }) => (
                    <li key={index}>
                      {/* The name is the button's own text (the group's title hidden in front), so what a
                          speech-input user reads aloud is always part of it. */}
                      <button type="button" className="search-hit" onClick={() => openHit(hit)}>
                        <span className="visually-hidden">{g.title}, </span>
                        <span className="search-where">{hit.where || searchKindLabel(hit.kind)}</span>
                        <Snippet hit={hit} />
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </section>
        ))}
        {/* The next page only when asked: each page is a search, and so an access-log leaf. */}
        {search.hasNextPage ? (
          <button type="button" className="search-more" onClick={() => void search.fetchNextPage()} disabled={search.isFetchingNextPage}>
            Show more hits
          </button>
        ) : null}
      </div>
    </dialog>
  );
}

/** Cases stored before the index existed are still being indexed (after sign-in): results may miss them. */
function IndexingNotice({ done, total }: { done: number; total: number }) {
  const id = useId();
  const percent = total > 0 ? Math.floor((done / total) * 100) : 0;
  return (
    <div className="search-indexing hint">
      <span id={id}>Indexing cases stored before search existed ({percent} %): results may be incomplete until it finishes.</span>
      <progress aria-labelledby={id} max={total} value={done} aria-valuetext={`${percent} percent indexed`} />
    </div>
  );
}
