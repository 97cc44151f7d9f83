import { useEffect } from 'react';
import { useThemeStore, type ThemeChoice } from '../state/theme-store';

/** Applies the theme as a data attribute on <html>: the stylesheet does the rest (no inline styles). */
export function useApplyTheme(): void {
  const choice = useThemeStore((s) => s.choice);
  useEffect(() => {
    if (choice === 'system') document.documentElement.removeAttribute('data-theme');
    else document.documentElement.setAttribute('data-theme', choice);
  }, [choice]);
}

export function ThemeSelect() {
  const choice = useThemeStore((s) => s.choice);
  const setChoice = useThemeStore((s) => s.setChoice);
  return (
    <label className="theme-select">
      <span>Theme</span>
      <select value={choice} onChange={(e) => setChoice(e.target.value as ThemeChoice)}>
        <option value="system">Follow system</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}
