/**
 * One sample's transcript: input, the conversation by role (tool calls and their results), the
 * output, the scores with the scorer's explanation, and the events timeline. Images from attachments
 * are shown through blob: URLs (the page's CSP allows no data: images).
 */
import { useEffect, useMemo } from 'react';
import { useTranscript, type TranscriptView } from '../api/evidence-hooks';
import { ErrorAlert } from '../components/error-alert';
import type { OpenSample } from '../state/evidence-store';

type Message = TranscriptView['messages'][number];

function dataUrlToBlobUrl(dataUrl: string): string | null {
  const match = /^data:(image\/(?:png|jpeg|gif|webp));base64,(.*)$/s.exec(dataUrl);
  if (!match) return null;
  try {
    const binary = atob(match[2]!.replace(/\s+/g, ''));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return URL.createObjectURL(new Blob([bytes], { type: match[1] }));
  } catch {
    return null;
  }
}

function InlineImage({ dataUrl, index }: { dataUrl: string; index: number }) {
  const url = useMemo(() => dataUrlToBlobUrl(dataUrl), [dataUrl]);
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  if (!url) return <p className="muted">[an image that could not be shown]</p>;
  return <img className="transcript-image" src={url} alt={`Image ${index + 1} in this message`} />;
}

function MessageView({ message }: { message: Message }) {
  return (
    <li className={`transcript-message role-${message.role}`}>
      <p className="transcript-role">
        {message.role}
        {message.toolCallId ? <span className="muted"> · result of {message.toolCallId}</span> : null}
      </p>
      {message.parts.map((part, i) =>
        part.kind === 'image' ? (
          <InlineImage key={i} dataUrl={part.text} index={i} />
        ) : (
          <pre key={i} className={`transcript-text ${part.kind === 'reasoning' ? 'reasoning' : ''}`}>
            {part.kind === 'reasoning' ? `Reasoning: ${part.text}` : part.text}
          </pre>
        ),
      )}
      {message.toolCalls.map((call) => (
        <pre key={call.id} className="transcript-tool-call">
          Tool call {call.function}({call.arguments})
        </pre>
      ))}
      {message.error ? <p className="error-text">Error: {message.error}</p> : null}
    </li>
  );
}

export function TranscriptBody({ transcript, headingLevel = 3 }: { transcript: TranscriptView; headingLevel?: 3 | 4 }) {
  const H = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <div className="transcript">
      {transcript.error ? (
        <p className="error-text" role="note">
          This sample ended in an error: {transcript.error}
        </p>
      ) : null}
      <H>Scores</H>
      <ul className="transcript-scores">
        {transcript.scores.length === 0 ? <li>No score.</li> : null}
        {transcript.scores.map((s) => (
          <li key={s.name}>
            <strong>{s.name}</strong>: {s.value}
            {s.answer ? ` (answer: ${s.answer})` : ''}
            {s.explanation ? <p className="muted">{s.explanation}</p> : null}
          </li>
        ))}
      </ul>
      <p>
        <strong>Target:</strong> {transcript.target || '—'}
      </p>
      <H>Input</H>
      <ol className="transcript-messages">
        {transcript.input.map((m, i) => (
          <MessageView key={i} message={m} />
        ))}
      </ol>
      <H>Conversation</H>
      <ol className="transcript-messages">
        {transcript.messages.map((m, i) => (
          <MessageView key={i} message={m} />
        ))}
      </ol>
      <H>Output</H>
      <pre className="transcript-text">{transcript.output || '—'}</pre>
      <H>Events</H>
      <ol className="transcript-events">
        {transcript.events.map((e, i) => (
          <li key={i}>
            <span className="event-kind">{e.event}</span> {e.timestamp ? <time className="muted">{e.timestamp}</time> : null} {e.summary}
          </li>
        ))}
      </ol>
    </div>
  );
}

export function TranscriptPanel({ sample, title, onClose, headingLevel = 3 }: { sample: OpenSample; title?: string; onClose?: () => void; headingLevel?: 3 | 4 }) {
  const transcript = useTranscript(sample.artifactId, sample.sampleId, sample.epoch);
  const H = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <section className="transcript-panel" aria-label={`Transcript of sample ${sample.sampleId}, epoch ${sample.epoch}`}>
      <div className="transcript-head">
        <H>{title ?? `Sample ${sample.sampleId} · epoch ${sample.epoch}`}</H>
        {onClose ? (
          <button type="button" onClick={onClose}>
            Close transcript
          </button>
        ) : null}
      </div>
      {transcript.isPending ? <p className="loading">Reading the sample…</p> : transcript.isError ? <ErrorAlert error={transcript.error} /> : <TranscriptBody transcript={transcript.data} headingLevel={headingLevel === 3 ? 4 : 4} />}
    </section>
  );
}
