import type { SessionStatus } from '../../src-shared/ipc/channels-session';
import { ThemeSelect } from './theme-select';

export function AppHeader({ status, onLock, onSearch }: { status: SessionStatus; onLock(): void; onSearch?: () => void }) {
  return (
    <header className="app-header">
      <span className="app-name">Reviewer Workstation</span>
      <span className="classification-chip" aria-label={`Classification: ${status.classification}`}>
        {status.classification}
      </span>
      <span className="spacer" />
      {onSearch ? (
        <button type="button" className="search-button" onClick={onSearch} aria-keyshortcuts="Control+K Meta+K" title="Search (Ctrl+K)">
          Search <kbd>Ctrl+K</kbd>
        </button>
      ) : null}
      <span className="signed-in">
        Signed in as <strong>{status.user}</strong> ({status.role})
      </span>
      <ThemeSelect />
      <button type="button" className="lock-button" onClick={onLock} aria-keyshortcuts="Control+L" title="Lock (Ctrl+L)">
        Lock <kbd>Ctrl+L</kbd>
      </button>
    </header>
  );
}
