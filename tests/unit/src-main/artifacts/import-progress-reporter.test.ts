import { describe, expect, it } from 'vitest';
import type { ImportProgressEvent } from '../../../../src-shared/ipc/events';
import { createImportProgressReporter, IMPORT_PROGRESS_INTERVAL_MS } from '../../../../src-main/artifacts/import-progress-reporter';

function setup() {
  let now = 1_000;
  const sent: ImportProgressEvent[] = [];
  const reporter = createImportProgressReporter((e) => sent.push(e), () => now);
  return { reporter, sent, advance: (ms: number) => (now += ms) };
}

describe('import progress reporter', () => {
  it('sends the start and the first storing event at once, then at most one per interval, the latest counts each time', () => {
    const { reporter, sent, advance } = setup();
    reporter.start();
    // Progress every 10 ms for 1 s: an import reports once per MiB, much faster than a bar can show.
    for (let i = 1; i <= 100; i++) {
      advance(10);
      reporter.progress({ bytesDone: i * 1000, bytesTotal: 100_000 });
    }
    expect(sent[0]).toEqual({ bytesDone: 0, bytesTotal: 0, phase: 'verifying' });
    const storing = sent.slice(1);
    expect(storing).toHaveLength(1000 / IMPORT_PROGRESS_INTERVAL_MS);
    expect(storing.map((e) => e.bytesDone)).toEqual([1_000, 11_000, 21_000, 31_000, 41_000, 51_000, 61_000, 71_000, 81_000, 91_000]);
    expect(storing.every((e) => e.phase === 'storing' && e.bytesTotal === 100_000)).toBe(true);
  });

  it('always ends with done at the total, however soon after the last event, and sends nothing after it', () => {
    const { reporter, sent, advance } = setup();
    reporter.start();
    reporter.progress({ bytesDone: 10, bytesTotal: 50 });
    reporter.done(50);
    advance(10_000);
    reporter.progress({ bytesDone: 50, bytesTotal: 50 });
    reporter.failed();
    reporter.done(50);
    expect(sent).toEqual([
      { bytesDone: 0, bytesTotal: 0, phase: 'verifying' },
      { bytesDone: 10, bytesTotal: 50, phase: 'storing' },
      { bytesDone: 50, bytesTotal: 50, phase: 'done' },
    ]);
  });

  it('ends with failed at the last counts it was told, once', () => {
    const { reporter, sent, advance } = setup();
    reporter.start();
    advance(5);
    reporter.progress({ bytesDone: 300, bytesTotal: 900 });
    reporter.failed();
    reporter.failed();
    reporter.done(900);
    expect(sent).toEqual([
      { bytesDone: 0, bytesTotal: 0, phase: 'verifying' },
      { bytesDone: 300, bytesTotal: 900, phase: 'storing' },
      { bytesDone: 300, bytesTotal: 900, phase: 'failed' },
    ]);
  });

  it('fails before any total is known (a signature refusal) with zero counts', () => {
    const { reporter, sent } = setup();
    reporter.start();
    reporter.failed();
    expect(sent.at(-1)).toEqual({ bytesDone: 0, bytesTotal: 0, phase: 'failed' });
  });
});
