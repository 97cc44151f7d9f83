/**
 * The pdf.js `getDocument` options every PDF is opened with, in the viewer and in the main process's
 * search indexer alike, because every PDF is treated as hostile (DESIGN §2, malicious artifact content):
 * - `isEvalSupported: false`: pdf.js never compiles font programs or functions with `new Function`
 *   (the FontMatrix injection, CVE-2024-4367, ran through that path);
 * - `enableXfa: false`: XFA forms (XML with their own scripts) are not built;
 * - no fetching: the data is in memory; no range, stream or worker fetches, no auto-fetch.
 * Scripting (a PDF's /OpenAction and /AA JavaScript) needs pdf.js's viewer scripting manager and a
 * sandbox, which this app never loads; `tests/unit/src-shared/pdf-options.test.ts` pins both.
 */
export const HOSTILE_PDF_OPTIONS = {
  isEvalSupported: false,
  enableXfa: false,
  useWorkerFetch: false,
  disableAutoFetch: true,
  disableStream: true,
  disableRange: true,
  stopAtErrors: false,
} as const;
