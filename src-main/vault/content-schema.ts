/**
 * content.db schema (DESIGN §4): cases, artifacts in 1 MiB chunks, the reviewer workspace (notes,
 * findings, checklist, each with an append-only history) and the reviewers' signing keys. Append new
 * migrations at the end; never edit one that has shipped.
 */
import { CHECKLIST_STATUS_VALUES, FINDING_STATUS_VALUES, SEVERITY_VALUES } from '../../src-shared/ipc/channels-workspace';
import { CLAIM_STATUSES } from '../../src-shared/claims/claim-status';
import type { Migration } from './migrations';
import { createSearchIndex, explicitIndexWrites, tagWordIndex } from '../search/search-schema';

/** Artifact content is stored in chunks of this size (the last chunk may be shorter). */
export const ARTIFACT_CHUNK_SIZE = 1024 * 1024;

const severityList = SEVERITY_VALUES.map((s) => `'${s}'`).join(', ');
const statusList = CHECKLIST_STATUS_VALUES.map((s) => `'${s}'`).join(', ');
const findingStatusList = FINDING_STATUS_VALUES.map((s) => `'${s}'`).join(', ');
const claimStatusList = CLAIM_STATUSES.map((s) => `'${s}'`).join(', ');

export const CONTENT_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'cases-artifacts',
    // Shared with the package importer (src-main/artifacts): the column list is a contract.
    up: `
      CREATE TABLE cases(id TEXT PRIMARY KEY, model TEXT NOT NULL, developer TEXT NOT NULL, version TEXT NOT NULL, submitted_at TEXT NOT NULL, release_date TEXT NOT NULL, review_deadline TEXT NOT NULL, package_digest TEXT NOT NULL, submitter_key TEXT NOT NULL, imported_at INTEGER NOT NULL, metadata_json TEXT NOT NULL);
      CREATE TABLE artifacts(id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id), path TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, media_type TEXT NOT NULL, chunk_count INTEGER NOT NULL, UNIQUE(case_id, path));
      CREATE TABLE artifact_chunks(artifact_id TEXT NOT NULL REFERENCES artifacts(id), seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY(artifact_id, seq)) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'reviewer-keys',
    // The Ed25519 seed is sealed under a wrap key held only in that reviewer's key slot, so another
    // reviewer with content.db open cannot sign as them, and signing needs the passphrase again (step-up).
    up: `
      CREATE TABLE reviewer_keys(user TEXT PRIMARY KEY, public_key BLOB NOT NULL, sealed_private_key BLOB NOT NULL, created_at INTEGER NOT NULL);
    `,
  },
  {
    version: 3,
    name: 'workspace',
    up: `
      CREATE TABLE notes(
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        artifact_id TEXT REFERENCES artifacts(id),
        anchor_json TEXT,
        excerpt TEXT,
        body TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        revision INTEGER NOT NULL,
        deleted_at INTEGER
      );
      CREATE INDEX notes_case ON notes(case_id, artifact_id);
      CREATE TABLE note_history(
        note_id TEXT NOT NULL REFERENCES notes(id),
        revision INTEGER NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('create', 'edit', 'delete')),
        anchor_json TEXT,
        excerpt TEXT,
        body TEXT NOT NULL,
        author TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY(note_id, revision)
      ) WITHOUT ROWID;

      CREATE TABLE findings(
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        title TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN (${severityList})),
        category TEXT NOT NULL,
        cvss_vector TEXT,
        description TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        revision INTEGER NOT NULL,
        deleted_at INTEGER
      );
      CREATE INDEX findings_case ON findings(case_id);
      CREATE TABLE finding_artifacts(
        finding_id TEXT NOT NULL REFERENCES findings(id),
        artifact_id TEXT NOT NULL REFERENCES artifacts(id),
        PRIMARY KEY(finding_id, artifact_id)
      ) WITHOUT ROWID;
      CREATE TABLE finding_history(
        finding_id TEXT NOT NULL REFERENCES findings(id),
        revision INTEGER NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('create', 'edit', 'delete')),
        title TEXT NOT NULL,
        severity TEXT NOT NULL,
        category TEXT NOT NULL,
        cvss_vector TEXT,
        description TEXT NOT NULL,
        artifact_ids_json TEXT NOT NULL,
        author TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY(finding_id, revision)
      ) WITHOUT ROWID;

      CREATE TABLE checklist_items(
        case_id TEXT NOT NULL REFERENCES cases(id),
        item_id TEXT NOT NULL,
        rubric_version TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN (${statusList})),
        comment TEXT NOT NULL,
        artifact_ids_json TEXT NOT NULL,
        author TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        revision INTEGER NOT NULL,
        PRIMARY KEY(case_id, item_id)
      ) WITHOUT ROWID;
      CREATE TABLE checklist_history(
        case_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        rubric_version TEXT NOT NULL,
        status TEXT NOT NULL,
        comment TEXT NOT NULL,
        artifact_ids_json TEXT NOT NULL,
        author TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY(case_id, item_id, revision),
        FOREIGN KEY(case_id, item_id) REFERENCES checklist_items(case_id, item_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: 'search-index',
    // FTS5 over artifacts, notes and findings (search/search-schema.ts); artifacts are indexed by the
    // importer, existing notes and findings by migration 8 (this one used to, through its trigger).
    up: createSearchIndex,
  },
  {
    version: 5,
    name: 'claims-ledger',
    // The reviewer's hand on the claims ledger (a link to a log, an unlink, an override with its
    // reason) keyed by the document and the claim's offset in it: artifacts never change, so the key
    // stays put. Every change appends to the history in the same transaction. Findings gain evidence
    // references (claims, samples, artifact pages) beside their artifact links.
    up: `
      CREATE TABLE claim_decisions(
        case_id TEXT NOT NULL REFERENCES cases(id),
        claim_key TEXT NOT NULL,
        link_kind TEXT NOT NULL CHECK (link_kind IN ('auto', 'log', 'none')),
        link_artifact_id TEXT REFERENCES artifacts(id),
        override_status TEXT CHECK (override_status IS NULL OR override_status IN (${claimStatusList})),
        override_reason TEXT,
        author TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        revision INTEGER NOT NULL,
        PRIMARY KEY(case_id, claim_key),
        CHECK ((link_kind = 'log') = (link_artifact_id IS NOT NULL)),
        CHECK ((override_status IS NULL) = (override_reason IS NULL))
      ) WITHOUT ROWID;
      CREATE TABLE claim_decision_history(
        case_id TEXT NOT NULL,
        claim_key TEXT NOT NULL,
        revision INTEGER NOT NULL,
        link_kind TEXT NOT NULL,
        link_artifact_id TEXT,
        override_status TEXT,
        override_reason TEXT,
        author TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY(case_id, claim_key, revision),
        FOREIGN KEY(case_id, claim_key) REFERENCES claim_decisions(case_id, claim_key)
      ) WITHOUT ROWID;
      CREATE TABLE finding_evidence(
        finding_id TEXT NOT NULL REFERENCES findings(id),
        seq INTEGER NOT NULL,
        ref TEXT NOT NULL,
        PRIMARY KEY(finding_id, seq)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 6,
    name: 'finding-status',
    // A finding's standing (open, confirmed, mitigated, withdrawn), and its evidence references in each
    // history snapshot so the history shows every change. Revisions written before this carry NULL
    // evidence ("not recorded"), never an invented empty list.
    up: `
      ALTER TABLE findings ADD COLUMN status TEXT NOT NULL DEFAULT 'open' CHECK (status IN (${findingStatusList}));
      ALTER TABLE finding_history ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
      ALTER TABLE finding_history ADD COLUMN evidence_json TEXT;
    `,
  },
  {
    version: 7,
    name: 'table-row-index',
    // Where each row of a table artifact starts, so its viewer pages rows instead of reading the whole
    // file (src-main/artifacts/table-rows.ts). Offsets only, derived from the stored chunks; kept per
    // chunk (Uint32 little-endian offsets of the rows that start in it, relative to byte_start; NULL when no row starts there).
    up: `
      CREATE TABLE artifact_row_index(artifact_id TEXT PRIMARY KEY REFERENCES artifacts(id), version INTEGER NOT NULL, format TEXT NOT NULL, row_count INTEGER NOT NULL, columns_json TEXT NOT NULL, warnings_json TEXT NOT NULL, built_at INTEGER NOT NULL);
      CREATE TABLE artifact_row_chunks(artifact_id TEXT NOT NULL REFERENCES artifacts(id), chunk INTEGER NOT NULL, byte_start INTEGER NOT NULL, first_row INTEGER NOT NULL, offsets BLOB, PRIMARY KEY(artifact_id, chunk)) WITHOUT ROWID;
    `,
  },
  {
    version: 8,
    name: 'search-explicit-index-writes',
    // The search index is written by the unit writer, not an insert trigger (search/search-units.ts:
    // the trigger made FTS5 flush a segment per unit); notes and findings are indexed again by 9.
    up: explicitIndexWrites,
  },
  {
    version: 9,
    name: 'search-tagged-words',
    // The word index gets each unit's kind and case as tokens, so kind: and case: filters are index
    // intersections (search/search-schema.ts); rebuilt from the units table, nothing is read again;
    // live notes and findings indexed again by the unit writer.
    up: tagWordIndex,
  },
];
