/** Said plainly in the browser preview, so nobody mistakes it for a protected session. */
export function PreviewBanner() {
  return (
    <div className="preview-banner" role="note" aria-label="Browser preview notice">
      <strong>Browser preview:</strong> Electron-only controls (content protection, the watermark overlay window) are
      not in force.
    </div>
  );
}
