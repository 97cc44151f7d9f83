import { useAnnounceStore } from '../state/announce-store';

export function LiveRegion() {
  const message = useAnnounceStore((s) => s.message);
  return (
    <div className="visually-hidden" role="status" aria-live="polite">
      {message}
    </div>
  );
}
