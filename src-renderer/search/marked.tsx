/** Text with a search hit's matched words in <mark> (React elements only: nothing is parsed as HTML). */
import { markParts } from './hit-place';

export function Marked({ text, marks }: { text: string; marks: readonly string[] }) {
  return (
    <>
      {markParts(text, marks).map((p, i) =>
        p.mark ? (
          <mark key={i} className="search-mark">
            {p.text}
          </mark>
        ) : (
          p.text
        ),
      )}
    </>
  );
}
