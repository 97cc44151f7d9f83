/**
 * IPC handlers for the workspace channels. The router has already checked sender, schema and role
 * (reviewer, content channel); these bind the caller to the services and name the touched object
 * for the access log. Writes wait for an import holding the content store (vault/content-writer.ts).
 * Only ids and enumerations go into the log entry, never note text or finding
 * titles: audit bundles leave the laptop, review content must not (DESIGN §1).
 */
import type { Database } from '@signalapp/sqlcipher';
import { RwError } from '../../src-shared/errors';
import type { workspaceChannels } from '../../src-shared/ipc/channels-workspace';
import type { CallContext, Handler } from '../ipc/router';
import { allCaseProgress, caseProgress } from './case-progress';
import { getChecklist, setChecklistItem } from './checklist-service';
import { createFinding, deleteFinding, editFinding, findingHistory, listFindings } from './findings-service';
import { createNote, deleteNote, editNote, listNotes, noteHistory } from './notes-service';
import { defaultRubric, type Rubric } from './rubric';
import { randomRecordId, type WorkspaceActor } from './workspace-actor';
import { writeContent } from '../vault/content-writer';

type WorkspaceChannels = typeof workspaceChannels;

const FINDING_EDIT_FIELDS = ['title', 'severity', 'status', 'category', 'cvssVector', 'description', 'artifactIds', 'evidence'] as const;
export type WorkspaceHandlers = { [K in keyof WorkspaceChannels]: Handler<WorkspaceChannels[K]> };

export interface WorkspaceHandlerDeps {
  clock?: () => number;
  newId?: () => string;
  rubric?: Rubric;
}

export function workspaceHandlers(getContentDb: () => Database, deps: WorkspaceHandlerDeps = {}): WorkspaceHandlers {
  const clock = deps.clock ?? (() => Date.now());
  const newId = deps.newId ?? randomRecordId;
  const rubric = deps.rubric ?? defaultRubric();

  const actor = (ctx: CallContext): WorkspaceActor => {
    // The router admits only reviewers here; a session without a user name is a wiring bug, refuse it.
    if (ctx.session.role !== 'reviewer' || !ctx.session.user) throw new RwError('DENIED', 'Your role does not allow this operation.');
    return { user: ctx.session.user, clock, newId };
  };

  return {
    'notes.list': async (req, ctx) => {
      actor(ctx);
      ctx.describe({ kind: 'case', id: req.caseId }, req.artifactId ? { artifactId: req.artifactId } : undefined);
      return { notes: listNotes(getContentDb(), req) };
    },
    'notes.create': async (req, ctx) => {
      const who = actor(ctx);
      const note = await writeContent(getContentDb(), (db) => createNote(db, who, req));
      ctx.describe({ kind: 'note', id: note.id }, { caseId: note.caseId, ...(note.artifactId ? { artifactId: note.artifactId } : {}) });
      return note;
    },
    'notes.edit': async (req, ctx) => {
      const who = actor(ctx);
      ctx.describe({ kind: 'note', id: req.id });
      const note = await writeContent(getContentDb(), (db) => editNote(db, who, req));
      ctx.describe({ kind: 'note', id: note.id }, { caseId: note.caseId, revision: note.revision });
      return note;
    },
    'notes.delete': async (req, ctx) => {
      const who = actor(ctx);
      ctx.describe({ kind: 'note', id: req.id });
      const note = await writeContent(getContentDb(), (db) => deleteNote(db, who, req));
      ctx.describe({ kind: 'note', id: note.id }, { caseId: note.caseId, revision: note.revision });
      return note;
    },
    'notes.history': async (req, ctx) => {
      actor(ctx);
      ctx.describe({ kind: 'note', id: req.id });
      return { entries: noteHistory(getContentDb(), req.id) };
    },
    'findings.list': async (req, ctx) => {
      actor(ctx);
      ctx.describe({ kind: 'case', id: req.caseId });
      return { findings: listFindings(getContentDb(), req) };
    },
    'findings.create': async (req, ctx) => {
      const who = actor(ctx);
      const finding = await writeContent(getContentDb(), (db) => createFinding(db, who, req));
      ctx.describe({ kind: 'finding', id: finding.id }, { caseId: finding.caseId, severity: finding.severity, status: finding.status });
      return finding;
    },
    'findings.edit': async (req, ctx) => {
      const who = actor(ctx);
      ctx.describe({ kind: 'finding', id: req.id });
      const finding = await writeContent(getContentDb(), (db) => editFinding(db, who, req));
      // Which fields were sent (names only, never their text) and the resulting standing.
      const fields = FINDING_EDIT_FIELDS.filter((f) => req[f] !== undefined).join(',');
      ctx.describe({ kind: 'finding', id: finding.id }, { caseId: finding.caseId, severity: finding.severity, status: finding.status, revision: finding.revision, fields });
      return finding;
    },
    'findings.delete': async (req, ctx) => {
      const who = actor(ctx);
      ctx.describe({ kind: 'finding', id: req.id });
      const finding = await writeContent(getContentDb(), (db) => deleteFinding(db, who, req));
      ctx.describe({ kind: 'finding', id: finding.id }, { caseId: finding.caseId, revision: finding.revision });
      return finding;
    },
    'findings.history': async (req, ctx) => {
      actor(ctx);
      ctx.describe({ kind: 'finding', id: req.id });
      return { entries: findingHistory(getContentDb(), req.id) };
    },
    'checklist.get': async (req, ctx) => {
      actor(ctx);
      ctx.describe({ kind: 'case', id: req.caseId }, { rubricVersion: rubric.version });
      return getChecklist(getContentDb(), rubric, req.caseId);
    },
    'checklist.set': async (req, ctx) => {
      const who = actor(ctx);
      ctx.describe({ kind: 'checklist-item', id: `${req.caseId}/${req.itemId}` }, { caseId: req.caseId, status: req.status });
      const item = await writeContent(getContentDb(), (db) => setChecklistItem(db, who, rubric, req));
      ctx.describe({ kind: 'checklist-item', id: `${req.caseId}/${req.itemId}` }, { caseId: req.caseId, status: item.status, revision: item.revision });
      return item;
    },
    'case.progress': async (req, ctx) => {
      actor(ctx);
      ctx.describe({ kind: 'case', id: req.caseId });
      return caseProgress(getContentDb(), rubric, req.caseId);
    },
    'cases.progress': async (_req, ctx) => {
      actor(ctx);
      const all = allCaseProgress(getContentDb(), rubric);
      ctx.describe(undefined, { cases: all.length });
      return all;
    },
  };
}
