import { buildRwctlForTests } from './rwctl-child';

/** vitest runs this once per run, before any test file. */
export function setup(): void {
  buildRwctlForTests();
}
