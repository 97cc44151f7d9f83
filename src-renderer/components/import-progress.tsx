/**
 * The import's progress bar, from the bytes main reports as it verifies and stores each file: a native
 * <progress> (role progressbar; value and max are its valuenow and valuemax) with a spoken value text.
 * Indeterminate only while the signature is checked, before the package total is known.
 */
import { useImportProgressStore, type ImportSubject } from '../state/import-progress-store';
import { formatBytes } from '../viewers/viewer-kind';

const LABEL_ID = 'import-progress-label';

/** The bar for imports of `subject` only, so the demo's and a chosen package's sections each show their own. */
export function ImportProgress({ subject: shown = 'demo' }: { subject?: ImportSubject }) {
  const phase = useImportProgressStore((s) => s.phase);
  const bytesDone = useImportProgressStore((s) => s.bytesDone);
  const bytesTotal = useImportProgressStore((s) => s.bytesTotal);
  const subject = useImportProgressStore((s) => s.subject);
  // A failure is shown by the error alert; nothing is running before the first import.
  if (phase === 'idle' || phase === 'failed' || subject !== shown) return null;
  const label =
    phase === 'done'
      ? subject === 'demo'
        ? 'Demo submission imported'
        : 'Package imported'
      : phase === 'verifying'
        ? 'Checking the package signature…'
        : phase === 'indexing'
          ? 'Indexing the text for search…'
          : 'Verifying and storing every file…';
  const known = bytesTotal > 0;
  const text = known ? `${formatBytes(bytesDone)} of ${formatBytes(bytesTotal)}` : 'Checking the signature';
  return (
    <div className="import-progress">
      <span id={LABEL_ID}>{label}</span>
      {known ? <progress aria-labelledby={LABEL_ID} value={bytesDone} max={bytesTotal} aria-valuetext={text} /> : <progress aria-labelledby={LABEL_ID} aria-valuetext={text} />}
      <span className="import-progress-text" aria-hidden="true">
        {text}
      </span>
    </div>
  );
}

/** Said once at the start and once at the end (not at every tick): a polite, always-mounted status. */
export function ImportAnnouncement() {
  const phase = useImportProgressStore((s) => s.phase);
  const demo = useImportProgressStore((s) => s.subject) === 'demo';
  const message =
    phase === 'verifying' || phase === 'storing' || phase === 'indexing'
      ? `Importing the ${demo ? 'demo submission' : 'package'}: checking its signature and every file digest.`
      : phase === 'done'
        ? demo
          ? 'The demo submission was imported and verified.'
          : 'The package was imported and verified.'
        : phase === 'failed'
          ? demo
            ? 'The demo import failed.'
            : 'The package import failed.'
          : '';
  return (
    <p className="visually-hidden" role="status" aria-live="polite">
      {message}
    </p>
  );
}
