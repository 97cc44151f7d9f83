/**
 * Long audit work (verifying or scanning a million leaves) written once as a generator that yields
 * between batches, and run either in one go (the CLI, tests) or in turns with the event loop (the main
 * process, which must keep answering the window and running the lock timer meanwhile).
 */
export type Steps<T> = Generator<void, T>;

export function runAll<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

export async function runInTurns<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
