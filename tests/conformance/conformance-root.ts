/** Where the published conformance data lives: ../shared/conformance beside the checkout (see its README). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const conformanceRoot = path.resolve(repoRoot, '../shared/conformance');

/** True when `sub` exists under the conformance root; otherwise warns, naming the missing folder, so a skip is never silent. */
export function conformancePresent(sub: string, suite: string): boolean {
  const dir = path.join(conformanceRoot, sub);
  const present = fs.existsSync(dir);
  if (!present) console.warn(`[${suite}] skipped: conformance data not found at ${dir} (expected ../shared/conformance beside the checkout).`);
  return present;
}

export function readConformanceJson(sub: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(conformanceRoot, sub), 'utf8')) as unknown;
}
