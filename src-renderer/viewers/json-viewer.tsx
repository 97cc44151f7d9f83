/**
 * JSON as a collapsible tree (native <details>: keyboard and screen-reader support for free). Parsed
 * with the project's strict parser, so duplicate keys or lone surrogates — which make one document
 * mean different things to different readers — are reported instead of silently resolved; the raw
 * text stays one click away. Children render only when opened, so a large document stays light.
 */
import { useEffect, useMemo, useState } from 'react';
import { parseStrictJson, type JsonValue } from '../../src-shared/strict-json';
import { TextViewer } from './text-viewer';
import { useViewerPosition } from './viewer-position';

const MAX_CHILDREN_SHOWN = 1000;

function describe(value: JsonValue): string {
  if (Array.isArray(value)) return `array, ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value !== null && typeof value === 'object') {
    const n = Object.keys(value).length;
    return `object, ${n} key${n === 1 ? '' : 's'}`;
  }
  return '';
}

function Scalar({ value }: { value: JsonValue }) {
  if (typeof value === 'string') return <span className="json-string">{JSON.stringify(value)}</span>;
  if (value === null) return <span className="json-null">null</span>;
  return <span className="json-scalar">{String(value)}</span>;
}

function JsonNode({ label, value, depth }: { label: string | null; value: JsonValue; depth: number }) {
  const [open, setOpen] = useState(depth < 2);
  const isContainer = value !== null && typeof value === 'object';
  if (!isContainer) {
    return (
      <li>
        {label !== null ? <span className="json-key">{label}: </span> : null}
        <Scalar value={value} />
      </li>
    );
  }
  const entries: Array<[string, JsonValue]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  return (
    <li>
      <details open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
        <summary>
          {label !== null ? <span className="json-key">{label}</span> : <span className="json-key">(root)</span>}{' '}
          <span className="hint">{describe(value)}</span>
        </summary>
        {open ? (
          <ul className="json-tree">
            {entries.slice(0, MAX_CHILDREN_SHOWN).map(([k, v]) => (
              <JsonNode key={k} label={k} value={v} depth={depth + 1} />
            ))}
            {entries.length > MAX_CHILDREN_SHOWN ? <li className="hint">… {entries.length - MAX_CHILDREN_SHOWN} more (see the raw text)</li> : null}
          </ul>
        ) : null}
      </details>
    </li>
  );
}

export function JsonViewer({ bytes, name }: { bytes: Uint8Array; name: string }) {
  const parsed = useMemo(() => {
    try {
      return { ok: true as const, value: parseStrictJson(bytes, { maxDepth: 256 }) };
    } catch (error) {
      return { ok: false as const, message: error instanceof Error ? error.message : 'Not valid JSON.' };
    }
  }, [bytes]);
  const [raw, setRaw] = useState(false);
  // Line anchors point into the raw text: a note's "Go to" shows it (the text viewer then scrolls).
  const { pending } = useViewerPosition();
  useEffect(() => {
    if (pending?.anchor.kind === 'line') setRaw(true);
  }, [pending]);
  return (
    <div className="json-viewer">
      <div className="viewer-toolbar">
        <button type="button" aria-pressed={raw} onClick={() => setRaw((r) => !r)}>
          {raw ? 'Show as tree' : 'Show raw text'}
        </button>
      </div>
      {!parsed.ok ? (
        <div className="alert alert-error" role="alert">
          <strong className="alert-label">Not shown as a tree:</strong> {parsed.message}
        </div>
      ) : null}
      {raw || !parsed.ok ? (
        <TextViewer bytes={bytes} name={name} />
      ) : (
        <ul className="json-tree root" aria-label={`${name} as a tree`}>
          <JsonNode label={null} value={parsed.value} depth={0} />
        </ul>
      )}
    </div>
  );
}
