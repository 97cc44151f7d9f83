import type { SessionStatus } from '../../src-shared/ipc/channels-session';
import { useAppNavStore, type AppScreen } from '../state/app-nav-store';

const SCREENS: Array<[AppScreen, string]> = [
  ['home', 'Home'],
  ['admin', 'Administration'],
  ['settings', 'Settings'],
];

/** The top-level screens; the current one is marked for assistive technology and in bold. */
function AppNav({ role }: { role: SessionStatus['role'] }) {
  const screen = useAppNavStore((s) => s.screen);
  const show = useAppNavStore((s) => s.show);
  return (
    <nav className="app-nav" aria-label="Screens">
      {SCREENS.map(([id, label]) => (
        <button key={id} type="button" aria-current={screen === id ? 'page' : undefined} onClick={() => show(id)}>
          {id === 'home' ? (role === 'auditor' ? 'Audit console' : 'Submissions') : label}
        </button>
      ))}
    </nav>
  );
}

export function AppHeader({ status, onLock, onSearch }: { status: SessionStatus; onLock(): void; onSearch?: () => void }) {
  return (
    <header className="app-header">
      <span className="app-name">Reviewer Workstation</span>
      <span className="classification-chip" aria-label={`Classification: ${status.classification}`}>
        {status.classification}
      </span>
      <AppNav role={status.role} />
      {/* One group: when the window is too narrow for one row it moves to the next row whole, at the right. */}
      <div className="header-tools">
        {onSearch ? (
          <button type="button" className="search-button" onClick={onSearch} aria-keyshortcuts="Control+K Meta+K" title="Search (Ctrl+K)">
            Search <kbd>Ctrl+K</kbd>
          </button>
        ) : null}
        <span className="signed-in">
          <span className="visually-hidden">Signed in as </span>
          <strong>{status.user}</strong> ({status.role})
        </span>
        <button type="button" className="lock-button" onClick={onLock} aria-keyshortcuts="Control+L" title="Lock (Ctrl+L)">
          Lock <kbd>Ctrl+L</kbd>
        </button>
      </div>
    </header>
  );
}
