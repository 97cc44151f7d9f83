/**
 * The screen switch: status decides between the lock screen and the signed-in app. Ctrl+L locks from
 * anywhere; a lock (manual or reported by the main process) wipes query cache and UI stores.
 */
import { useEffect } from 'react';
import { useLock, useSessionStatus } from './api/hooks';
import { AppHeader } from './components/app-header';
import { ErrorAlert } from './components/error-alert';
import { LiveRegion } from './components/live-region';
import { PreviewBanner } from './components/preview-banner';
import { ThemeSelect, useApplyTheme } from './components/theme-select';
import { CaseWorkspace } from './screens/case-workspace';
import { CasesScreen } from './screens/cases-screen';
import { LockScreen } from './screens/lock-screen';
import { AuditorConsole } from './auditor/auditor-console';
import { useWorkspaceStore } from './state/workspace-store';
import { useSearchStore } from './state/search-store';
import { SearchScreen } from './search/search-screen';
import { useAppNavStore } from './state/app-nav-store';
import { AdminScreen } from './screens/admin-screen';
import { SettingsScreen } from './screens/settings-screen';

export function App() {
  useApplyTheme();
  const status = useSessionStatus();
  const lock = useLock();
  const unlocked = status.data?.vault === 'unlocked';
  const caseId = useWorkspaceStore((s) => s.caseId);
  const showSearch = useSearchStore((s) => s.show);
  // Auditors hold no content key: no search over content for them (the router refuses it too).
  const canSearch = unlocked && status.data?.role === 'reviewer';
  const screen = useAppNavStore((s) => s.screen);

  useEffect(() => {
    if (!unlocked) return;
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'l') {
        event.preventDefault();
        void lock('manual');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [unlocked, lock]);

  // Ctrl+K (Cmd+K on a Mac) opens search from anywhere, also from inside a text field.
  useEffect(() => {
    if (!canSearch) return;
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        showSearch();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canSearch, showSearch]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      {status.data?.preview ? <PreviewBanner /> : null}
      <LiveRegion />
      {status.isPending ? (
        <main id="main" className="loading" tabIndex={-1}>
          <p>Starting…</p>
        </main>
      ) : status.isError ? (
        <main id="main" tabIndex={-1}>
          <h1>Reviewer Workstation</h1>
          <ErrorAlert error={status.error} />
        </main>
      ) : !unlocked ? (
        <>
          <div className="lock-toolbar">
            <ThemeSelect />
          </div>
          <LockScreen status={status.data} />
        </>
      ) : (
        <>
          <AppHeader status={status.data} onLock={() => void lock('manual')} {...(canSearch ? { onSearch: showSearch } : {})} />
          {screen === 'admin' ? (
            <AdminScreen status={status.data} />
          ) : screen === 'settings' ? (
            <SettingsScreen status={status.data} />
          ) : status.data.role === 'auditor' ? (
            <AuditorConsole />
          ) : caseId ? (
            <CaseWorkspace caseId={caseId} />
          ) : (
            <CasesScreen />
          )}
          {canSearch ? <SearchScreen /> : null}
        </>
      )}
    </>
  );
}
