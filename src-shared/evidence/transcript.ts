/**
 * One sample of an Inspect log made readable: the stored forms resolved, then reduced to a transcript
 * of plain values for the viewer and to text for search.
 * - `attachment://<hash>` strings (large text and images moved out of line) are replaced from the
 *   sample's `attachments`;
 * - log version 3 deduplicates model-event inputs: `input_refs: [[start, end)]` ranges into the
 *   sample's `message_pool` stand for the `input` list.
 */

type Json = Record<string, unknown>;

const ATTACHMENT = 'attachment://';
const MAX_DEPTH = 200;

function obj(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

function resolveRefs(value: unknown, attachments: Json, depth: number): unknown {
  if (depth > MAX_DEPTH) return value;
  if (typeof value === 'string') {
    if (value.startsWith(ATTACHMENT)) {
      const hit = attachments[value.slice(ATTACHMENT.length)];
      return typeof hit === 'string' ? hit : value;
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, attachments, depth + 1));
  const o = obj(value);
  if (!o) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) out[k] = resolveRefs(v, attachments, depth + 1);
  return out;
}

/** The sample with attachments inlined and pooled inputs expanded (a new object; the input is not changed). */
export function resolveSample(sample: Json): Json {
  const attachments = obj(sample.attachments) ?? {};
  const { attachments: _dropped, ...rest } = sample;
  void _dropped;
  const resolved = resolveRefs(rest, attachments, 0) as Json;
  const pool = Array.isArray(resolved.message_pool) ? resolved.message_pool : null;
  if (pool && Array.isArray(resolved.events)) {
    resolved.events = resolved.events.map((e) => {
      const event = obj(e);
      if (!event || !Array.isArray(event.input_refs)) return e;
      const input: unknown[] = [];
      for (const range of event.input_refs) {
        if (Array.isArray(range) && typeof range[0] === 'number' && typeof range[1] === 'number') input.push(...pool.slice(range[0], range[1]));
      }
      return { ...event, input };
    });
  }
  return resolved;
}

export interface TranscriptPart {
  kind: 'text' | 'image' | 'reasoning' | 'other';
  /** Text, or a data: URL for an image. */
  text: string;
}

export interface TranscriptMessage {
  role: string;
  parts: TranscriptPart[];
  toolCalls: Array<{ id: string; function: string; arguments: string }>;
  toolCallId: string | null;
  error: string | null;
}

export interface TranscriptEvent {
  event: string;
  timestamp: string | null;
  summary: string;
}

export interface Transcript {
  id: string | number;
  epoch: number;
  input: TranscriptMessage[];
  target: string;
  messages: TranscriptMessage[];
  output: string;
  scores: Array<{ name: string; value: string; answer: string; explanation: string }>;
  error: string | null;
  events: TranscriptEvent[];
  metadata: string;
}

const SAFE_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$/;
const EVENT_SUMMARY = 300;

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value, null, 1) ?? '';
}

function parts(content: unknown): TranscriptPart[] {
  if (typeof content === 'string') return [{ kind: 'text', text: content }];
  if (!Array.isArray(content)) return [];
  return content.map((c): TranscriptPart => {
    const item = obj(c);
    if (!item) return { kind: 'other', text: text(c) };
    if (item.type === 'text') return { kind: 'text', text: text(item.text) };
    if (item.type === 'reasoning') return { kind: 'reasoning', text: text(item.reasoning) };
    // Only inline raster images in base64 are shown; anything else (a URL, SVG) is described, not loaded.
    if (item.type === 'image' && typeof item.image === 'string' && SAFE_IMAGE.test(item.image)) return { kind: 'image', text: item.image };
    return { kind: 'other', text: `[${text(item.type) || 'content'}]` };
  });
}

function message(m: unknown): TranscriptMessage {
  const o = obj(m) ?? {};
  const calls = Array.isArray(o.tool_calls) ? o.tool_calls : [];
  return {
    role: typeof o.role === 'string' ? o.role : 'unknown',
    parts: parts(o.content),
    toolCalls: calls.map((c) => {
      const call = obj(c) ?? {};
      return { id: text(call.id), function: text(call.function), arguments: text(call.arguments) };
    }),
    toolCallId: typeof o.tool_call_id === 'string' ? o.tool_call_id : null,
    error: obj(o.error) ? text(obj(o.error)!.message) : null,
  };
}

function eventSummary(e: Json): string {
  const kind = text(e.event);
  let s = '';
  if (kind === 'model') s = `${text(e.model)}: ${text(obj(e.output)?.completion ?? obj(obj(e.output)?.choices)?.message ?? '')}`;
  else if (kind === 'tool') s = `${text(e.function)}(${text(e.arguments)})${e.error ? ' failed' : ''}`;
  else if (kind === 'score') s = text(obj(e.score)?.value);
  else if (kind === 'error') s = text(obj(e.error)?.message);
  else if (kind === 'sample_limit') s = `${text(e.type)} limit ${text(e.limit)}`;
  else if (kind === 'info' || kind === 'logger') s = text(e.data ?? obj(e.message)?.message);
  else if (kind === 'state' || kind === 'store') s = `${Array.isArray(e.changes) ? e.changes.length : 0} change(s)`;
  else s = text(e.name ?? e.type ?? '');
  return s.length > EVENT_SUMMARY ? `${s.slice(0, EVENT_SUMMARY - 1)}…` : s;
}

/** ModelOutput.completion, or the text of its first choice when the writer left completion out. */
function outputText(output: Json | null): string {
  if (!output) return '';
  if (typeof output.completion === 'string' && output.completion !== '') return output.completion;
  const first = Array.isArray(output.choices) ? obj(output.choices[0]) : null;
  return parts(obj(first?.message)?.content)
    .filter((p) => p.kind === 'text')
    .map((p) => p.text)
    .join('\n');
}

/** A resolved sample as a transcript (call resolveSample first). */
export function toTranscript(sample: Json): Transcript {
  const input = typeof sample.input === 'string' ? [{ role: 'user', parts: [{ kind: 'text' as const, text: sample.input }], toolCalls: [], toolCallId: null, error: null }] : Array.isArray(sample.input) ? sample.input.map(message) : [];
  const scores = Object.entries(obj(sample.scores) ?? {}).map(([name, s]) => {
    const score = obj(s) ?? {};
    return { name, value: text(score.value), answer: text(score.answer), explanation: text(score.explanation) };
  });
  const events = Array.isArray(sample.events) ? sample.events : Array.isArray(sample.transcript) ? [] : [];
  const oldEvents = obj(sample.transcript)?.events;
  const allEvents = (events.length > 0 ? events : Array.isArray(oldEvents) ? oldEvents : []).map((e) => obj(e)).filter((e): e is Json => e !== null);
  return {
    id: typeof sample.id === 'number' || typeof sample.id === 'string' ? sample.id : String(sample.id),
    epoch: typeof sample.epoch === 'number' ? sample.epoch : 1,
    input,
    target: Array.isArray(sample.target) ? sample.target.map(text).join(' | ') : text(sample.target),
    messages: Array.isArray(sample.messages) ? sample.messages.map(message) : [],
    output: outputText(obj(sample.output)),
    scores,
    error: obj(sample.error) ? text(obj(sample.error)!.message) : null,
    events: allEvents.map((e) => ({ event: text(e.event), timestamp: typeof e.timestamp === 'string' ? e.timestamp : null, summary: eventSummary(e) })),
    metadata: Object.keys(obj(sample.metadata) ?? {}).length > 0 ? text(sample.metadata) : '',
  };
}

/** The searchable text of one sample: inputs, messages and tool calls, output, scorer answers and explanations. */
export interface SampleText {
  id: string | number;
  epoch: number;
  input: string;
  messages: string;
  output: string;
  explanations: string;
}

function partsText(messages: TranscriptMessage[]): string {
  return messages
    .map((m) => [m.role + ':', ...m.parts.filter((p) => p.kind !== 'image').map((p) => p.text), ...m.toolCalls.map((c) => `${c.function}(${c.arguments})`)].join(' '))
    .join('\n');
}

export function sampleText(transcript: Transcript): SampleText {
  return {
    id: transcript.id,
    epoch: transcript.epoch,
    input: partsText(transcript.input),
    messages: partsText(transcript.messages),
    output: transcript.output,
    explanations: transcript.scores.map((s) => [s.answer, s.explanation].filter(Boolean).join(' ')).join('\n'),
  };
}
