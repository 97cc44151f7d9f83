/** Artifact bytes as text for display: UTF-8, with U+FFFD for bytes that are not (never throws). */
export function decodeForDisplay(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes);
  return text;
}

/** Splits on LF, CRLF or CR, without keeping a trailing empty line after the final newline. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
