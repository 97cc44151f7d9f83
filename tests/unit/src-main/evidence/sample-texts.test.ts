import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openInspectLog } from '../../../../src-main/evidence/inspect-log';
import { openFileSource } from '../../../../src-main/evidence/log-source';
import { iterateSampleTexts, readTranscript } from '../../../../src-main/evidence/sample-texts';
import { resolveSample } from '../../../../src-shared/evidence/transcript';
import { conformancePresent, conformanceRoot } from '../../../conformance/conformance-root';

const present = conformancePresent('inspect-logs', 'evidence transcripts');
const file = (name: string) => path.join(conformanceRoot, 'inspect-logs', name);

describe.skipIf(!present)('transcripts and sample texts', () => {
  it('expands message-pool input references of model events (log version 3)', async () => {
    const log = await openInspectLog(await openFileSource(file('log_message_deduplication.eval')));
    const raw = await log.readSample(log.sampleRefs[0]!);
    const resolved = resolveSample(raw);
    const models = (resolved.events as Array<Record<string, unknown>>).filter((e) => e.event === 'model');
    const pool = raw.message_pool as unknown[];
    expect(models.map((e) => (e.input as unknown[]).length)).toEqual([1, 3, 5, 7, 9, 11]);
    expect((models[1]!.input as unknown[])[2]).toEqual(pool[2]);
    // The raw sample is not changed.
    expect(((raw.events as Array<Record<string, unknown>>).find((e) => e.event === 'model')!.input as unknown[]).length).toBe(0);
    const transcript = await readTranscript(log, log.sampleRefs[0]!);
    expect(transcript.messages.some((m) => m.toolCalls.some((c) => c.function === 'bash'))).toBe(true);
    expect(transcript.events.filter((e) => e.event === 'model')).toHaveLength(6);
    await log.close();
  });

  it('resolves attachment:// references: the image becomes an inline data URL', async () => {
    const log = await openInspectLog(await openFileSource(file('log_images.json')));
    const raw = JSON.stringify(await log.readSample(log.sampleRefs[0]!));
    expect(raw).toContain('attachment://');
    const transcript = await readTranscript(log, log.sampleRefs[0]!);
    const images = [...transcript.input, ...transcript.messages].flatMap((m) => m.parts).filter((p) => p.kind === 'image');
    expect(images.length).toBeGreaterThan(0);
    expect(images[0]!.text).toMatch(/^data:image\/(png|jpeg);base64,/);
    expect(JSON.stringify(transcript)).not.toContain('attachment://');
    await log.close();
  });

  it('iterates every sample with its text: input, messages, output and the scorer explanation', async () => {
    const texts = [];
    for await (const t of iterateSampleTexts(await openFileSource(file('2024-11-05T13-31-45-05-00_input-task_8zXjbRzCWrL9GXiXo2vus9.json')))) texts.push(t);
    expect(texts).toHaveLength(1);
    expect(texts[0]!.input.length).toBeGreaterThan(0);
    expect(texts[0]!.output).toMatch(/St\. Paul/);
    expect(texts[0]!.explanations.length).toBeGreaterThan(50);
    expect(texts[0]!.ref).toMatchObject({ kind: 'range' });
  });
});
