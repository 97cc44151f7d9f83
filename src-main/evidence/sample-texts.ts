/**
 * Samples of a log one at a time, resolved (attachments, message pool) into transcripts and text:
 * what the viewer shows and what a full-text index reads. Memory holds one sample at a time.
 */
import type { SampleRef } from '../../src-shared/evidence/evidence-report';
import { resolveSample, sampleText, toTranscript, type SampleText, type Transcript } from '../../src-shared/evidence/transcript';
import { openInspectLog, type InspectLog } from './inspect-log';
import type { LogSource } from './log-source';

export async function readTranscript(log: InspectLog, ref: SampleRef): Promise<Transcript> {
  return toTranscript(resolveSample(await log.readSample(ref)));
}

/**
 * Every sample's searchable text (inputs, messages, tool calls, output, scorer answers and
 * explanations), in log order. Unreadable samples are skipped: the checker reports them.
 */
export async function* iterateSampleTexts(source: LogSource): AsyncGenerator<SampleText & { ref: SampleRef }> {
  const log = await openInspectLog(source);
  try {
    for (const ref of log.sampleRefs) {
      let transcript: Transcript;
      try {
        transcript = await readTranscript(log, ref);
      } catch {
        continue;
      }
      yield { ...sampleText(transcript), ref };
    }
  } finally {
    await log.close();
  }
}
