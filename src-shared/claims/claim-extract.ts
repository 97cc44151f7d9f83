/**
 * Numeric claims in a model card or evaluation report: every percentage, every decimal that stands
 * next to a metric word, every "x of y" and every pass@k figure, with the sentence it stands in, where
 * it stands (file and line, or file and page), the metric it names (accuracy when it names none) and
 * the task it names. Pure: the caller hands in the text (Markdown, plain text, or PDF pages already
 * turned into text) and, when known, the task names the evidence measures, so a task written in words
 * ("cyber ctf easy") is recognised as `cyber_ctf_easy`.
 *
 * The precision a claim states decides what supports it: "45%" is [44.5, 45.5), "45.0%" is
 * [44.95, 45.05) — the interval of values that round to what was written (half-open, as rounding
 * half up would print them).
 */

export type ClaimKind = 'percent' | 'decimal' | 'ratio' | 'pass-at-k';

export interface ClaimValue {
  /** The number as written, in the claim's own units (45 for "45%", 0.45 for "0.45", 9 for "9 of 20"). */
  written: number;
  /** Digits after the decimal point as written: the claim's stated precision. */
  decimals: number;
  /** What a metric value is multiplied by to be in the claim's units (100 for a percentage, y for "x of y"). */
  scale: number;
}

export interface ExtractedClaim {
  /** Stable within one document: the character offset of the number. */
  offset: number;
  /** The number as it stands in the text ("45%", "0.62", "9 of 20"). */
  text: string;
  sentence: string;
  file: string;
  line: number | null;
  page: number | null;
  /** "model-card.md:7" or "report.pdf:p3". */
  where: string;
  kind: ClaimKind;
  /** The claimed value as a metric value (0.45 for "45%", 9/20 for "9 of 20"). */
  claimed: number;
  value: ClaimValue;
  metric: string;
  /** The epoch reducer a pass@k claim implies (Inspect writes it as pass_at_<k>). */
  reducer: string | null;
  /** The task as the evidence names it when known, else as the text names it; null when none. */
  task: string | null;
  /** Scorer named in the sentence, when one of the known scorers is. */
  scorer: string | null;
}

export interface ExtractSource {
  file: string;
  /** Plain text or Markdown, located by line. */
  text?: string;
  /** PDF text, one string per page (1-based in the result), located by page. */
  pages?: readonly string[];
}

export interface ExtractOptions {
  /** Task names the evidence measures: matched in backticks or in words (`_`, `-`, spaces alike). */
  tasks?: readonly string[];
  /** Scorer names the evidence reports, so a sentence naming one picks it. */
  scorers?: readonly string[];
}

/** Words that name a metric, to the metric name Inspect writes in its results. */
const METRIC_WORDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bstandard errors?\b|\bstderr\b|\bs\.e\.(?=\s|$)/i, 'stderr'],
  [/\bstandard deviation\b|\bstd\b|\bstdev\b/i, 'std'],
  [/\bvariance\b|\bvar\b/i, 'var'],
  [/\bf1\b|\bf-1\b/i, 'f1'],
  [/\bprecision\b/i, 'precision'],
  [/\brecall\b/i, 'recall'],
  [/\bmean\b|\baverage\b/i, 'mean'],
  [/\baccuracy\b|\bsuccess rate\b|\bsolve rate\b|\bpass rate\b|\bsolves?\b|\bsolved\b|\bscores?\b|\bcorrect\b/i, 'accuracy'],
];

/** Words that make a bare decimal a claim (a metric word within the same clause). */
const DECIMAL_METRIC = /\b(accuracy|mean|average|score[sd]?|stderr|standard (error|deviation)|std|variance|f1|precision|recall|success rate|solve rate|pass rate)\b|pass@\d+/i;

const PASS_AT_K = /\bpass@(\d{1,3})\b/i;

/** A task name as the logs write it, compared with `_`, `-` and spaces alike, case-insensitive. */
export function normalizeTaskName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[_\-\s]+/g, ' ')
    .trim();
}

interface Sentence {
  text: string;
  start: number;
  /** For a Markdown table row: the header row's cells, which name the metric of each column. */
  header?: string[];
}

function cellsOf(row: string): string[] {
  return row.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
}

/** The header cell above the column the character at `index` of a table row stands in. */
function headerAt(sentence: Sentence, index: number): string {
  if (!sentence.header) return '';
  const column = (sentence.text.slice(0, index).match(/\|/g) ?? []).length - (sentence.text.trimStart().startsWith('|') ? 1 : 0);
  return sentence.header[column] ?? '';
}

/**
 * Blocks are paragraphs, list items, headings and table rows (a Markdown table row is its own
 * sentence, so a number in one row never borrows the task of another); blocks split into sentences at
 * ". " before an upper-case letter, a backtick or a bracket, never inside a decimal like "0.45".
 */
function sentencesOf(text: string): Sentence[] {
  const out: Sentence[] = [];
  const pushBlock = (start: number, end: number): void => {
    const block = text.slice(start, end);
    const ender = /[.!?](?=\s+[A-Z`"'(*\d])/g;
    let s = 0;
    let m: RegExpExecArray | null;
    while ((m = ender.exec(block))) {
      // "e.g. The" and "Fig. 3" are abbreviations, not sentence ends.
      const before = block.slice(Math.max(0, m.index - 4), m.index + 1);
      if (/\b(e\.g|i\.e|vs|Fig|fig|Sec|sec|No|cf|al)\.$/.test(before)) continue;
      out.push({ text: block.slice(s, m.index + 1), start: start + s });
      s = m.index + 1;
    }
    out.push({ text: block.slice(s), start: start + s });
  };
  let blockStart = -1;
  let pos = 0;
  const lines = text.split('\n');
  let header: string[] | undefined;
  lines.forEach((line, i) => {
    const lineEnd = pos + line.length;
    const blank = line.trim() === '';
    const standalone = /^\s*(#|\|)/.test(line);
    const opensBlock = standalone || /^\s*([-*+]|\d+[.)])\s/.test(line);
    if (blockStart !== -1 && (blank || opensBlock)) {
      pushBlock(blockStart, pos - 1);
      blockStart = -1;
    }
    const isRow = /^\s*\|/.test(line);
    if (!isRow) header = undefined;
    else if (/^\s*\|?[\s:|-]+\|?\s*$/.test(line)) {
      // The separator row: the row above it is the header.
    } else if (/^\s*\|?[\s:|-]+\|?\s*$/.test(lines[i + 1] ?? '')) header = cellsOf(line);
    if (!blank) {
      if (standalone) {
        const before = out.length;
        pushBlock(pos, lineEnd);
        if (isRow && header) for (const s of out.slice(before)) s.header = header;
      } else if (blockStart === -1) blockStart = pos;
    }
    pos = lineEnd + 1;
  });
  if (blockStart !== -1) pushBlock(blockStart, text.length);
  return out
    .map((s) => {
      const lead = s.text.length - s.text.trimStart().length;
      return { ...s, text: s.text.trim(), start: s.start + lead };
    })
    .filter((s) => s.text.length > 0);
}

function decimalsOf(numeral: string): number {
  const dot = numeral.indexOf('.');
  return dot === -1 ? 0 : numeral.length - dot - 1;
}

function metricOf(sentence: string, near: string): string {
  // The metric word nearest the number wins; the sentence as a whole is the fallback.
  for (const scope of [near, sentence]) for (const [re, name] of METRIC_WORDS) if (re.test(scope)) return name;
  return 'accuracy';
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A known name found in the sentence in backticks or in words, longest name first. */
function findKnownName(sentence: string, names: readonly string[]): string | null {
  const plain = ` ${normalizeTaskName(sentence.replace(/[`*"'“”‘’(),;:]/g, ' '))} `;
  const sorted = [...names].sort((a, b) => normalizeTaskName(b).length - normalizeTaskName(a).length);
  for (const name of sorted) {
    const n = normalizeTaskName(name);
    if (!n) continue;
    if (new RegExp(`(^|[^a-z0-9])${escapeRe(n)}([^a-z0-9]|$)`).test(plain)) return name;
  }
  return null;
}

/**
 * The task a sentence names. Known tasks first (in words or backticks); else a name in backticks, or
 * an identifier with an underscore (a hyphenated word alone is English, not a task name).
 */
export function taskNamedIn(sentence: string, tasks: readonly string[] = []): string | null {
  const known = findKnownName(sentence, tasks);
  if (known) return known;
  const ticked = /`([A-Za-z0-9][A-Za-z0-9_./:-]{0,119})`/.exec(sentence);
  if (ticked?.[1] && !/^pass@\d+$/i.test(ticked[1]) && !/^[\d.]+%?$/.test(ticked[1])) return ticked[1];
  const ident = /\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b/.exec(sentence);
  return ident ? ident[0] : null;
}

interface RawNumber {
  index: number;
  length: number;
  text: string;
  kind: ClaimKind;
  value: ClaimValue;
  k: number | null;
}

/** Numbers inside these are not claims: versions, dates, identifiers, citations, section numbers. */
function insideNonClaim(sentence: string, index: number, length: number): boolean {
  const before = sentence.slice(Math.max(0, index - 1), index);
  const after = sentence.slice(index + length, index + length + 1);
  if (/[A-Za-z_@\-/]/.test(before) && before !== '(') return true; // GPT-4, v1.2, arXiv:2508, pass@1
  if (/[A-Za-z_]/.test(after) && after !== '%') return true; // 7B, 3rd
  // Inside backticks: an identifier, not a claim.
  const ticksBefore = (sentence.slice(0, index).match(/`/g) ?? []).length;
  return ticksBefore % 2 === 1;
}

function numbersIn(whole: Sentence): RawNumber[] {
  const sentence = whole.text;
  const out: RawNumber[] = [];
  const taken: Array<[number, number]> = [];
  const free = (i: number, n: number): boolean => taken.every(([a, b]) => i + n <= a || i >= b);
  const take = (r: RawNumber): void => {
    out.push(r);
    taken.push([r.index, r.index + r.length]);
  };
  // "9 of 20", "9 out of 20": counts, so [8.5, 9.5) of 20.
  for (const m of sentence.matchAll(/\b(\d{1,7}) (?:out )?of (?:the |all )?(\d{1,7})\b/g)) {
    const x = Number(m[1]);
    const y = Number(m[2]);
    if (y === 0 || x > y || insideNonClaim(sentence, m.index, m[0].length)) continue;
    take({ index: m.index, length: m[0].length, text: m[0], kind: 'ratio', value: { written: x, decimals: 0, scale: y }, k: null });
  }
  for (const m of sentence.matchAll(/(\d{1,3}(?:\.\d{1,6})?)\s?(%|percent\b)/g)) {
    if (!free(m.index, m[0].length) || insideNonClaim(sentence, m.index, m[1]?.length ?? 0)) continue;
    // "±2.1%" and "+3%" are uncertainties or differences, not levels.
    if (/[±+]\s?$/.test(sentence.slice(Math.max(0, m.index - 2), m.index))) continue;
    const numeral = m[1] as string;
    take({ index: m.index, length: m[0].length, text: m[0], kind: 'percent', value: { written: Number(numeral), decimals: decimalsOf(numeral), scale: 100 }, k: null });
  }
  for (const m of sentence.matchAll(/(?<![\d.])(\d{1,4}\.\d{1,6}|[01])(?![\d.]*\d)/g)) {
    if (!free(m.index, m[0].length) || insideNonClaim(sentence, m.index, m[0].length)) continue;
    if (/[±+]\s?$/.test(sentence.slice(Math.max(0, m.index - 2), m.index))) continue;
    if (/^[01]$/.test(m[0])) continue; // a bare 0 or 1 is a count or an ordinal far more often than a score
    const near = sentence.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40) + ' ' + headerAt(whole, m.index);
    if (!DECIMAL_METRIC.test(near)) continue;
    take({ index: m.index, length: m[0].length, text: m[0], kind: 'decimal', value: { written: Number(m[0]), decimals: decimalsOf(m[0]), scale: 1 }, k: null });
  }
  return out.sort((a, b) => a.index - b.index);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function claimsInText(text: string, file: string, page: number | null, pageBase: number, options: ExtractOptions): ExtractedClaim[] {
  const starts = lineStarts(text);
  const out: ExtractedClaim[] = [];
  for (const sentence of sentencesOf(text)) {
    const numbers = numbersIn(sentence);
    if (numbers.length === 0) continue;
    const task = taskNamedIn(sentence.text, options.tasks);
    const scorer = options.scorers?.length ? findKnownName(sentence.text, options.scorers) : null;
    for (const n of numbers) {
      const column = headerAt(sentence, n.index);
      const near = `${sentence.text.slice(Math.max(0, n.index - 30), n.index + n.length + 30)} ${column}`;
      const passAtK = PASS_AT_K.exec(column) ?? PASS_AT_K.exec(sentence.text);
      const k = passAtK ? Number(passAtK[1]) : null;
      const kind: ClaimKind = k !== null && n.kind !== 'ratio' ? 'pass-at-k' : n.kind;
      const offset = pageBase + sentence.start + n.index;
      const line = page === null ? lineAt(starts, sentence.start + n.index) : null;
      out.push({
        offset,
        text: n.text,
        sentence: sentence.text.replace(/\s+/g, ' '),
        file,
        line,
        page,
        where: page === null ? `${file}:${line}` : `${file}:p${page}`,
        kind,
        claimed: n.value.written / n.value.scale,
        value: n.value,
        metric: k !== null ? 'accuracy' : metricOf(`${sentence.text} ${column}`, near),
        reducer: k !== null ? `pass_at_${k}` : null,
        task,
        scorer,
      });
    }
  }
  return out;
}

export function extractClaims(source: ExtractSource, options: ExtractOptions = {}): ExtractedClaim[] {
  if (source.pages) {
    const out: ExtractedClaim[] = [];
    let base = 0;
    source.pages.forEach((pageText, i) => {
      out.push(...claimsInText(pageText, source.file, i + 1, base, options));
      base += pageText.length + 1;
    });
    return out;
  }
  return claimsInText(source.text ?? '', source.file, null, 0, options);
}

/** Rounded to 12 significant digits so 0.455 × 100 is 45.5, not 45.50000000000001. */
function tidy(x: number): number {
  return Number(x.toPrecision(12));
}

/** The half-open interval of metric values the claim's stated precision admits. */
export function claimInterval(value: ClaimValue): { lo: number; hi: number } {
  const half = 0.5 * 10 ** -value.decimals;
  return { lo: tidy((value.written - half) / value.scale), hi: tidy((value.written + half) / value.scale) };
}

/** True when `metricValue` rounds to the number as written: lo ≤ v·scale < hi in the claim's units. */
export function withinStatedPrecision(value: ClaimValue, metricValue: number): boolean {
  if (!Number.isFinite(metricValue)) return false;
  const half = 0.5 * 10 ** -value.decimals;
  const x = tidy(metricValue * value.scale);
  return x >= tidy(value.written - half) && x < tidy(value.written + half);
}
