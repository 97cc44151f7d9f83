/**
 * IPC handlers for the evidence channels. The router has checked sender, schema and role; these name
 * what was read for the access log: the log artifact (path and signed digest), and for a transcript
 * the sample's id and epoch, so an auditor sees which sample of which log was opened.
 */
import type { evidenceChannels } from '../../src-shared/ipc/channels-evidence';
import type { Handler } from '../ipc/router';
import { getArtifact } from '../artifacts/case-queries';
import type { Database } from '@signalapp/sqlcipher';
import type { EvidenceService } from './evidence-service';

type EvidenceChannels = typeof evidenceChannels;
export type EvidenceHandlers = { [K in keyof EvidenceChannels]: Handler<EvidenceChannels[K]> };

/** At most ~10 progress events a second. */
const PROGRESS_INTERVAL_MS = 100;

export function evidenceHandlers(service: EvidenceService, contentDb: () => Database, monotonic: () => number = () => performance.now()): EvidenceHandlers {
  const describeArtifact = (artifactId: string, detail: Record<string, string | number | boolean> = {}) => {
    const a = getArtifact(contentDb(), artifactId);
    return { object: { kind: 'artifact', id: a.id, name: a.path, digest: `sha256:${a.sha256}` }, detail: { caseId: a.caseId, ...detail } };
  };
  return {
    'evidence.list': async ({ caseId }, ctx) => {
      ctx.describe({ kind: 'case', id: caseId });
      const logs = await service.list(caseId);
      ctx.describe({ kind: 'case', id: caseId }, { logs: logs.length });
      return logs;
    },
    'evidence.check': async ({ artifactId }, ctx) => {
      ctx.describe({ kind: 'artifact', id: artifactId });
      let last = Number.NEGATIVE_INFINITY;
      const { report } = await service.check(artifactId, {
        onSamples(done, total) {
          if (monotonic() - last < PROGRESS_INTERVAL_MS && done < total) return;
          last = monotonic();
          ctx.emit('evidence.progress', { samplesDone: done, samplesTotal: total, phase: 'reading' });
        },
      });
      ctx.emit('evidence.progress', { samplesDone: report.samples.present, samplesTotal: report.samples.present, phase: 'done' });
      const d = describeArtifact(artifactId, { status: report.status, flags: report.flags.length });
      ctx.describe(d.object, d.detail);
      return report;
    },
    'evidence.samples': async (request, ctx) => {
      ctx.describe({ kind: 'artifact', id: request.artifactId });
      const { artifactId, ...query } = request;
      const page = await service.samples(artifactId, query);
      const d = describeArtifact(artifactId, { offset: query.offset, rows: page.rows.length });
      ctx.describe(d.object, d.detail);
      return page;
    },
    'evidence.sample': async ({ artifactId, sampleId, epoch }, ctx) => {
      ctx.describe({ kind: 'artifact', id: artifactId }, { sample: sampleId, epoch });
      const { transcript } = await service.transcript(artifactId, sampleId, epoch);
      const d = describeArtifact(artifactId, { sample: sampleId, epoch });
      ctx.describe(d.object, d.detail);
      return transcript;
    },
    'evidence.compare': async ({ a, b, score }, ctx) => {
      ctx.describe({ kind: 'artifact', id: a }, { compareWith: b });
      const comparison = await service.compare(a, b, score);
      const d = describeArtifact(a, { compareWith: b, score: comparison.score, pairs: comparison.pairs });
      ctx.describe(d.object, d.detail);
      return comparison;
    },
  };
}
