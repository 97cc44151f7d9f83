import { useAnnounceStore } from '../state/announce-store';

/** Visible and announced: the latest notice, with a way to dismiss it. */
export function LiveRegion() {
  const message = useAnnounceStore((s) => s.message);
  const serial = useAnnounceStore((s) => s.serial);
  const dismiss = useAnnounceStore((s) => s.dismiss);
  return (
    <div className="notice-region" role="status" aria-live="polite">
      {message ? (
        <div className="notice" key={serial}>
          <strong>Notice:</strong> {message}{' '}
          <button type="button" className="notice-dismiss" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      ) : null}
    </div>
  );
}
