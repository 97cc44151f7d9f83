/**
 * The contract scripts read from every bench: with `--json`, the last line printed is one JSON object
 * (`{"bench": NAME, ...figures}`), numbers rounded to three significant decimals, `null` where a
 * figure could not be measured (no database configured, say). Without `--json` nothing extra prints.
 */

export function wantsJson(argv: readonly string[] = process.argv): boolean {
  return argv.includes('--json');
}

/** `--name value` as a positive number, else the fallback (the flag `--json` is never a value). */
export function numberOption(name: string, fallback: number, argv: readonly string[] = process.argv): number {
  const at = argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

function round(value: number | string | null): number | string | null {
  if (typeof value !== 'number') return value;
  if (!Number.isFinite(value)) return null;
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 1000) / 1000;
}

/** Prints the bench's figures as its last line when `--json` was given. Call it last. */
export function printJsonResult(bench: string, figures: Record<string, number | string | null>): void {
  if (!wantsJson()) return;
  const out: Record<string, number | string | null> = { bench };
  for (const [key, value] of Object.entries(figures)) out[key] = round(value);
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
