import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import * as yazl from 'yazl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPair, publicKeyOf, sha256, type PrivateKey } from '../../../../src-shared/node/crypto';
import { toHex, utf8 } from '../../../../src-shared/encoding';
import { CHUNK_BYTES, importPackageDetailed, submitterKeyId, type ImportProgress } from '../../../../src-main/artifacts/import-package';
import { isPackageRefusal, type RefusalReason } from '../../../../src-main/artifacts/package-refusal';
import type { PackageLimits } from '../../../../src-main/artifacts/package-limits';
import { signPackage } from '../../../../src-main/artifacts/sign-package';
import { writeContent } from '../../../../src-main/vault/content-writer';
import { createNote, listNotes } from '../../../../src-main/workspace/notes-service';
import type { Note } from '../../../../src-shared/ipc/channels-workspace';
import { actorFor } from '../../../../src-main/workspace/workspace-actor';
import {
  anyFileContains,
  countRows,
  handZip,
  listFilesRecursive,
  openTestContentDb,
  signatureFor,
  submissionBytes,
  tempDir,
  writeFiles,
  type FileMap,
  type HandEntry,
  type TestContentDb,
} from '../../../helpers/package-fixtures';

const MARKER = 'KESTREL-MARKER-7f3a9c1e';
const key: PrivateKey = generateKeyPair('ecdsa-p384');
const trusted = [publicKeyOf(key)];
const clock = () => Date.parse('2026-11-28T12:00:00Z');

let vault: TestContentDb;
let scratchTmp: string;
let savedTmp: string | undefined;

beforeEach(() => {
  vault = openTestContentDb();
  // Any temporary file the importer might write would land here: the tests assert it stays empty.
  scratchTmp = tempDir('rw-tmpwatch-');
  savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = scratchTmp;
});

afterEach(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  vault.db.close();
});

function baseFiles(): FileMap {
  return {
    'submission.json': submissionBytes(),
    'model-card.md': `# Model card\n\n${MARKER}\n`,
    'eval/results.csv': 'task,score\nqa,0.91\n',
  };
}

function writeZip(bytes: Buffer): string {
  const file = path.join(tempDir(), 'package.zip');
  fs.writeFileSync(file, bytes);
  return file;
}

/** A zip holding model.sig (over `signed`) and the given entries; the defaults are the base files. */
function signedZip(entries: HandEntry[], signed: FileMap, signer: PrivateKey = key): string {
  return writeZip(handZip([{ name: 'model.sig', data: signatureFor(signed, signer) }, ...entries]));
}

function entriesOf(files: FileMap): HandEntry[] {
  return Object.entries(files).map(([name, data]) => ({ name, data }));
}

function importFrom(source: string, limits?: Partial<PackageLimits>) {
  return importPackageDetailed({ contentDb: vault.db, source, trustedKeys: trusted, clock, limits });
}

function expectUnchanged(): void {
  expect(countRows(vault.db, 'cases')).toBe(0);
  expect(countRows(vault.db, 'artifacts')).toBe(0);
  expect(countRows(vault.db, 'artifact_chunks')).toBe(0);
  expect(listFilesRecursive(scratchTmp)).toEqual([]);
  for (const f of fs.readdirSync(vault.dir)) expect(f).toMatch(/^content\.db(-wal|-shm)?$/);
}

describe('importPackage: a sound package', () => {
  it('indexes the rows of table artifacts in the same transaction, and only of tables', async () => {
    const dir = tempDir();
    writeFiles(dir, { ...baseFiles(), 'eval/runs.jsonl': '{"a":1}\n{"b":2}\n' });
    await signPackage(dir, key);
    await importPackageDetailed({ contentDb: vault.db, source: dir, trustedKeys: trusted, clock });
    const indexed = vault.db.prepare('SELECT a.path, i.row_count, i.columns_json FROM artifact_row_index i JOIN artifacts a ON a.id = i.artifact_id ORDER BY a.path').all();
    expect(indexed).toEqual([
      { path: 'eval/results.csv', row_count: 1, columns_json: '["task","score"]' },
      { path: 'eval/runs.jsonl', row_count: 2, columns_json: '["a","b"]' },
    ]);
  });

  it('leaves no row index behind when the import is refused after a table was stored', async () => {
    const dir = tempDir();
    writeFiles(dir, { ...baseFiles(), 'z-last.txt': 'signed content' });
    await signPackage(dir, key);
    // Changed after signing: refused when its digest is checked, after the CSV was written and indexed.
    writeFiles(dir, { 'z-last.txt': 'tampered content' });
    await expect(importPackageDetailed({ contentDb: vault.db, source: dir, trustedKeys: trusted, clock })).rejects.toMatchObject({ code: 'PACKAGE_REFUSED' });
    expect(vault.db.prepare('SELECT count(*) AS n FROM artifact_row_index').get()).toEqual({ n: 0 });
    expect(vault.db.prepare('SELECT count(*) AS n FROM artifact_row_chunks').get()).toEqual({ n: 0 });
  });

  it('imports a signed folder into one case with chunked, digest-checked artifacts', async () => {
    const dir = tempDir();
    const big = new Uint8Array(CHUNK_BYTES * 2 + 12345).map((_, i) => (i * 31) & 0xff);
    writeFiles(dir, { ...baseFiles(), 'logs/big.bin': big });
    await signPackage(dir, key);
    const progress: ImportProgress[] = [];
    const { caseId } = await importPackageDetailed({ contentDb: vault.db, source: dir, trustedKeys: trusted, clock, onProgress: (p) => progress.push(p) });
    expect(caseId).toMatch(/^case-[0-9a-f]{32}$/);

    const row = vault.db.prepare('SELECT * FROM cases WHERE id = ?').get([caseId]);
    expect(row).toMatchObject({ model: 'Test-1', developer: 'Example Lab', review_deadline: '2026-12-20', imported_at: clock() });
    expect(row?.submitter_key).toBe(submitterKeyId(trusted[0]!));
    const artifacts = vault.db.prepare('SELECT path, size, sha256, media_type, chunk_count FROM artifacts ORDER BY path').all();
    expect(artifacts.map((a) => a.path)).toEqual(['eval/results.csv', 'logs/big.bin', 'model-card.md', 'submission.json']);
    const bigRow = artifacts.find((a) => a.path === 'logs/big.bin');
    expect(bigRow).toMatchObject({ size: big.byteLength, sha256: toHex(sha256(big)), media_type: 'application/octet-stream', chunk_count: 3 });
    expect(artifacts.find((a) => a.path === 'model-card.md')?.media_type).toBe('text/markdown');
    expect(artifacts.find((a) => a.path === 'eval/results.csv')?.media_type).toBe('text/csv');
    // Ids ascend in the order the files are stored, so chunk rows go into the B-tree in key order.
    const ids = vault.db.prepare('SELECT id FROM artifacts ORDER BY rowid').all().map((a) => String(a.id));
    expect(ids.every((id) => /^art-[0-9a-f]{32}$/.test(id))).toBe(true);
    expect(ids).toEqual([...ids].sort());

    // Reassembling the chunks gives back exactly the signed bytes.
    const chunks = vault.db
      .prepare('SELECT c.data FROM artifact_chunks c JOIN artifacts a ON a.id = c.artifact_id WHERE a.path = ? ORDER BY c.seq')
      .all(['logs/big.bin'])
      .map((r) => r.data as Uint8Array);
    expect(chunks.map((c) => c.byteLength)).toEqual([CHUNK_BYTES, CHUNK_BYTES, 12345]);
    expect(toHex(sha256(...chunks))).toBe(toHex(sha256(big)));

    const last = progress.at(-1);
    expect(last?.bytesDone).toBe(last?.bytesTotal);
    expect(progress.some((p) => p.entry === 'logs/big.bin' && p.bytesDone < p.bytesTotal)).toBe(true);
    expect(listFilesRecursive(scratchTmp)).toEqual([]);
  });

  it('imports the same package from a yazl-made zip, streaming entries from the archive', async () => {
    const files = baseFiles();
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from(signatureFor(files, key)), 'model.sig');
    for (const [name, data] of Object.entries(files)) zip.addBuffer(Buffer.from(data), name, { compress: true });
    zip.end();
    const out = path.join(tempDir(), 'p.zip');
    await new Promise<void>((resolve, reject) => zip.outputStream.pipe(fs.createWriteStream(out)).on('close', resolve).on('error', reject));
    const result = await importFrom(out);
    expect(result.artifactCount).toBe(3);
    expect(countRows(vault.db, 'cases')).toBe(1);
  });

  it('leaves no readable trace of the content anywhere in the vault folder (SQLCipher pages, WAL included)', async () => {
    const dir = tempDir();
    writeFiles(dir, baseFiles());
    await signPackage(dir, key);
    await importFrom(dir);
    expect(anyFileContains(dir, MARKER)).not.toBeNull(); // the marker really is in the package
    expect(anyFileContains(vault.dir, MARKER)).toBeNull();
    vault.db.close();
    vault.db = vault.reopen();
    expect(anyFileContains(vault.dir, MARKER)).toBeNull();
    expect(countRows(vault.db, 'cases')).toBe(1);
  });

  it('skips files under the signed ignore_paths without reading them', async () => {
    const dir = tempDir();
    writeFiles(dir, { ...baseFiles(), '.git/HEAD': 'ref: refs/heads/main\n' });
    await signPackage(dir, key);
    await importFrom(dir);
    const paths = vault.db.prepare('SELECT path FROM artifacts').all().map((r) => r.path);
    expect(paths).not.toContain('.git/HEAD');
  });
});

interface ZipCase {
  name: string;
  reason: RefusalReason;
  build(): string;
  limits?: Partial<PackageLimits>;
}

const base = baseFiles();
const tenMiBZeros = new Uint8Array(10 * 1024 * 1024);
const longPath = `${Array.from({ length: 6 }, () => 'd'.repeat(200)).join('/')}/f.txt`;

/** Adds one hostile entry to the base package, listing it in the signature too. */
function withEntry(entry: HandEntry, data: string | Uint8Array = 'hostile'): string {
  const name = typeof entry.name === 'string' ? entry.name : Buffer.from(entry.name).toString('latin1');
  return signedZip([...entriesOf(base), { data, ...entry }], { ...base, [name]: data });
}

function withEntries(extra: HandEntry[]): string {
  const signed: FileMap = { ...base };
  for (const e of extra) signed[String(e.name)] = e.data ?? '';
  return signedZip([...entriesOf(base), ...extra], signed);
}

const zipCases: ZipCase[] = [
  { name: 'an absolute name', reason: 'absolute-path', build: () => withEntry({ name: '/etc/cron.d/evil' }) },
  { name: 'a Windows drive name', reason: 'absolute-path', build: () => withEntry({ name: 'C:/evil.txt' }) },
  { name: 'a name that climbs out with ../', reason: 'traversal', build: () => withEntry({ name: '../evil.txt' }) },
  { name: 'a name that climbs out in the middle', reason: 'traversal', build: () => withEntry({ name: 'docs/../../evil.txt' }) },
  { name: 'a "." component', reason: 'traversal', build: () => withEntry({ name: 'docs/./x.txt' }) },
  { name: 'backslash traversal', reason: 'backslash', build: () => withEntry({ name: '..\\..\\evil.txt' }) },
  { name: 'a NUL in a name', reason: 'control-character', build: () => withEntry({ name: 'report.md\u0000.exe' }) },
  { name: 'an escape sequence in a name', reason: 'control-character', build: () => withEntry({ name: 'a\u001b[2Jb.txt' }) },
  { name: 'a bidi override disguising an extension', reason: 'control-character', build: () => withEntry({ name: 'report\u202Efdp.exe' }) },
  { name: 'an empty path component', reason: 'empty-name', build: () => withEntry({ name: 'docs//x.txt' }) },
  { name: 'a component over 255 bytes', reason: 'component-too-long', build: () => withEntry({ name: `${'é'.repeat(128)}.txt` }) },
  { name: 'a path over 1024 bytes', reason: 'path-too-long', build: () => withEntry({ name: longPath }) },
  { name: 'a name that is not UTF-8', reason: 'name-encoding', build: () => withEntry({ name: new Uint8Array([0x66, 0xff, 0xfe, 0x2e, 0x74]) }) },
  {
    name: 'a second name in an Info-ZIP Unicode path field',
    reason: 'name-ambiguous',
    build: () => withEntry({ name: 'safe.txt', extra: new Uint8Array([0x75, 0x70, 9, 0, 1, 0, 0, 0, 0, 0x2e, 0x2e, 0x2f, 0x78]) }),
  },
  {
    name: 'a duplicate name',
    reason: 'duplicate',
    build: () => signedZip([...entriesOf(base), { name: 'model-card.md', data: 'second copy' }], base),
  },
  { name: 'names equal after case folding', reason: 'case-collision', build: () => withEntries([{ name: 'Notes.txt', data: 'a' }, { name: 'notes.txt', data: 'b' }]) },
  { name: 'names equal after folding ß to SS', reason: 'case-collision', build: () => withEntries([{ name: 'STRASSE.txt', data: 'a' }, { name: 'straße.txt', data: 'b' }]) },
  { name: 'names equal after NFC', reason: 'unicode-collision', build: () => withEntries([{ name: 'caf\u00e9.txt', data: 'a' }, { name: 'cafe\u0301.txt', data: 'b' }]) },
  { name: 'names equal after NFKC', reason: 'unicode-collision', build: () => withEntries([{ name: 'file.txt', data: 'a' }, { name: '\ufb01le.txt', data: 'b' }]) },
  { name: 'a name used as a file and a folder', reason: 'file-directory-conflict', build: () => withEntries([{ name: 'x', data: 'a' }, { name: 'x/y.txt', data: 'b' }]) },
  { name: 'a symlink entry', reason: 'symlink', build: () => withEntry({ name: 'link', mode: 0o120777 }, '/etc/passwd') },
  { name: 'a character-device entry', reason: 'special-file', build: () => withEntry({ name: 'dev', mode: 0o020644 }) },
  { name: 'a FIFO entry', reason: 'special-file', build: () => withEntry({ name: 'fifo', mode: 0o010644 }) },
  { name: 'an encrypted entry', reason: 'encrypted', build: () => withEntry({ name: 'secret.txt', flags: 0x1 }) },
  { name: 'a local header naming another file than the central directory', reason: 'name-ambiguous', build: () => withEntry({ name: 'safe.txt', localName: '../../evil.sh' }) },
  { name: 'an encrypted flag in the local header only', reason: 'encrypted', build: () => withEntry({ name: 'sneaky.txt', localFlags: 0x1 }) },
  { name: 'an unknown compression method', reason: 'unsupported-compression', build: () => withEntry({ name: 'x.bz2', methodNumber: 12 }) },
  { name: 'a 100:1+ compression ratio (zip bomb)', reason: 'compression-ratio', build: () => withEntry({ name: 'zeros.bin', method: 8 }, tenMiBZeros) },
  {
    name: 'entries sharing compressed data (overlapping bomb)',
    reason: 'overlapping-entries',
    build: () => {
      const files: HandEntry[] = [...entriesOf(base), { name: 'a.txt', data: 'shared' }, { name: 'b.txt', data: 'shared', sameDataAs: 4 }];
      return signedZip(files, { ...base, 'a.txt': 'shared', 'b.txt': 'shared' });
    },
  },
  {
    name: 'an entry with more data than it declares',
    reason: 'size-mismatch',
    build: () => withEntry({ name: 'liar.txt', method: 8, declaredSize: 10 }, 'x'.repeat(5000)),
  },
  {
    name: 'an entry with less data than it declares',
    reason: 'size-mismatch',
    build: () => withEntry({ name: 'short.txt', method: 8, declaredSize: 9000 }, 'y'.repeat(5000)),
  },
  {
    name: 'a truncated archive',
    reason: 'malformed-archive',
    build: () => {
      const whole = handZip([{ name: 'model.sig', data: signatureFor(base, key) }, ...entriesOf(base)]);
      return writeZip(whole.subarray(0, Math.floor(whole.byteLength * 0.7)));
    },
  },
  { name: 'bytes that are not a zip', reason: 'malformed-archive', build: () => writeZip(Buffer.from('%PDF-1.7 not a zip at all')) },
  { name: 'a file over the file limit', reason: 'file-too-large', build: () => withEntry({ name: 'big.txt' }, 'z'.repeat(5000)), limits: { maxFileBytes: 4000 } },
  {
    name: 'a package over the package limit',
    reason: 'package-too-large',
    build: () => withEntries([1, 2, 3].map((i) => ({ name: `p${i}.txt`, data: 'q'.repeat(3000) }))),
    limits: { maxPackageBytes: 8000 },
  },
  { name: 'more files than allowed', reason: 'too-many-files', build: () => withEntries([1, 2, 3].map((i) => ({ name: `n${i}.txt`, data: 'n' }))), limits: { maxFiles: 4 } },
  { name: 'a file the signature does not list', reason: 'not-listed', build: () => signedZip([...entriesOf(base), { name: 'extra.txt', data: 'unsigned' }], base) },
  { name: 'a signed file that is absent', reason: 'missing', build: () => signedZip(entriesOf(base), { ...base, 'appendix.pdf': '%PDF-1.4' }) },
  {
    name: 'content that differs from its signed digest',
    reason: 'digest-mismatch',
    build: () => signedZip([...entriesOf({ ...base, 'model-card.md': `# Tampered ${MARKER}\n` })], base),
  },
  { name: 'a signature by an untrusted key', reason: 'signature-invalid', build: () => signedZip(entriesOf(base), base, generateKeyPair('ecdsa-p384')) },
  { name: 'no model.sig at all', reason: 'signature-missing', build: () => writeZip(handZip(entriesOf(base))) },
  { name: 'a model.sig that is not a bundle', reason: 'signature-malformed', build: () => writeZip(handZip([{ name: 'model.sig', data: '{"hello":1}' }, ...entriesOf(base)])) },
  {
    name: 'no submission.json',
    reason: 'submission-invalid',
    build: () => {
      const { 'submission.json': _omit, ...rest } = base;
      return signedZip(entriesOf(rest), rest);
    },
  },
  {
    name: 'a submission.json without a review deadline',
    reason: 'submission-invalid',
    build: () => {
      const { review_deadline: _omit, ...rest } = JSON.parse(Buffer.from(base['submission.json'] as Uint8Array).toString('utf8'));
      const files = { ...base, 'submission.json': JSON.stringify(rest) };
      return signedZip(entriesOf(files), files);
    },
  },
  {
    name: 'a submission.json with a duplicate key',
    reason: 'submission-invalid',
    build: () => {
      const text = Buffer.from(base['submission.json'] as Uint8Array).toString('utf8').replace('{', '{"model":"Other",');
      const files = { ...base, 'submission.json': text };
      return signedZip(entriesOf(files), files);
    },
  },
];

describe('importPackage refuses hostile zip packages signed by a trusted key', () => {
  it.each(zipCases.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
    const source = testCase.build();
    const before = fs.readdirSync(path.dirname(source));
    const error = await importFrom(source, testCase.limits).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).not.toBeNull();
    expect(isPackageRefusal(error, testCase.reason), `expected ${testCase.reason}, got ${String((error as Error)?.message)}`).toBe(true);
    const refusal = error as { message: string; detail: { entry: string; reason: string } };
    expect(refusal.message).toContain(JSON.stringify(refusal.detail.entry).slice(1, 20));
    expect(typeof refusal.detail.entry).toBe('string');
    expectUnchanged();
    expect(fs.readdirSync(path.dirname(source))).toEqual(before);
  });
});

describe('importPackage refuses hostile folders signed by a trusted key', () => {
  function signedFolder(extra: FileMap, signedExtra: FileMap = extra): string {
    const dir = tempDir();
    writeFiles(dir, { ...base, ...extra });
    fs.writeFileSync(path.join(dir, 'model.sig'), signatureFor({ ...base, ...signedExtra }, key));
    return dir;
  }

  const outsideSecret = path.join(tempDir('rw-outside-'), 'secret.txt');
  fs.writeFileSync(outsideSecret, `outside ${MARKER}`);

  const folderCases: { name: string; reason: RefusalReason; build(): string }[] = [
    {
      name: 'a symlink to a file outside the package',
      reason: 'symlink',
      build: () => {
        const dir = signedFolder({}, { 'secret.txt': `outside ${MARKER}` });
        fs.symlinkSync(outsideSecret, path.join(dir, 'secret.txt'));
        return dir;
      },
    },
    {
      name: 'a symlinked folder',
      reason: 'symlink',
      build: () => {
        const dir = signedFolder({}, { 'linked/secret.txt': `outside ${MARKER}` });
        fs.symlinkSync(path.dirname(outsideSecret), path.join(dir, 'linked'));
        return dir;
      },
    },
    {
      name: 'a hard link',
      reason: 'hard-link',
      build: () => {
        const dir = signedFolder({}, { 'hard.txt': `outside ${MARKER}` });
        const source = path.join(tempDir('rw-outside-'), 'hard-source.txt');
        fs.writeFileSync(source, `outside ${MARKER}`);
        fs.linkSync(source, path.join(dir, 'hard.txt'));
        return dir;
      },
    },
    {
      name: 'a FIFO',
      reason: 'special-file',
      build: () => {
        const dir = signedFolder({}, { pipe: '' });
        execFileSync('mkfifo', [path.join(dir, 'pipe')]);
        return dir;
      },
    },
    { name: 'a backslash in a file name', reason: 'backslash', build: () => signedFolder({ 'a\\b.txt': 'x' }) },
    { name: 'a control character in a file name', reason: 'control-character', build: () => signedFolder({ 'bell\u0007.txt': 'x' }) },
    { name: 'names equal after case folding', reason: 'case-collision', build: () => signedFolder({ 'A.txt': 'x', 'a.txt': 'y' }) },
    { name: 'names equal after NFC', reason: 'unicode-collision', build: () => signedFolder({ 'caf\u00e9.txt': 'x', 'cafe\u0301.txt': 'y' }) },
    {
      name: 'a file name that is not UTF-8',
      reason: 'name-encoding',
      build: () => {
        const dir = signedFolder({});
        fs.writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), Buffer.from([0x62, 0xff, 0x2e, 0x74])]), 'x');
        return dir;
      },
    },
    { name: 'an unlisted file', reason: 'not-listed', build: () => signedFolder({ 'extra.txt': 'x' }, {}) },
    { name: 'a missing file', reason: 'missing', build: () => signedFolder({}, { 'gone.txt': 'x' }) },
    { name: 'tampered content', reason: 'digest-mismatch', build: () => signedFolder({ 'notes.txt': 'tampered' }, { 'notes.txt': 'original' }) },
  ];

  it.each(folderCases.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
    const source = testCase.build();
    const error = await importFrom(source).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isPackageRefusal(error, testCase.reason), `expected ${testCase.reason}, got ${String((error as Error)?.message)}`).toBe(true);
    expectUnchanged();
  });
});

describe('importPackage is one transaction', () => {
  it('keeps earlier cases intact and adds nothing when a later file fails its digest', async () => {
    const good = tempDir();
    writeFiles(good, base);
    await signPackage(good, key);
    await importFrom(good);
    // Another version (a different signed manifest, so not refused as a duplicate) whose CSV lies.
    const next = { ...base, 'submission.json': submissionBytes({ version: '1.0.1' }) };
    const bad = signedZip(entriesOf({ ...next, 'eval/results.csv': 'task,score\nqa,1.00\n' }), next);
    await expect(importFrom(bad)).rejects.toSatisfy((e) => isPackageRefusal(e, 'digest-mismatch'));
    expect(countRows(vault.db, 'cases')).toBe(1);
    expect(countRows(vault.db, 'artifacts')).toBe(3);
  });

  it('reports the entry and reason in the message and detail', async () => {
    const source = withEntry({ name: '../../etc/passwd' });
    await expect(importFrom(source)).rejects.toMatchObject({
      code: 'PACKAGE_REFUSED',
      detail: { entry: '../../etc/passwd', reason: 'traversal' },
      message: expect.stringContaining('../../etc/passwd'),
    });
  });
});

describe('importPackage memory', () => {
  it('sniffs media types from content, not names', async () => {
    const dir = tempDir();
    writeFiles(dir, { ...base, 'fake.pdf': 'not a pdf', 'real.bin': utf8('%PDF-1.7\n') });
    await signPackage(dir, key);
    await importFrom(dir);
    const types = Object.fromEntries(vault.db.prepare('SELECT path, media_type FROM artifacts').all().map((r) => [r.path, r.media_type]));
    expect(types['fake.pdf']).toBe('text/plain');
    expect(types['real.bin']).toBe('application/pdf');
  });
});

// Keep os referenced for platforms where TMPDIR is not honoured (documented assumption: Linux/macOS).
void os;

describe('importPackage and what the vault already holds', () => {
  it('refuses the same signed manifest a second time before reading content, and stores nothing more', async () => {
    const dir = tempDir();
    writeFiles(dir, base);
    await signPackage(dir, key);
    const first = await importFrom(dir);
    expect(first.previous).toBeNull();
    await expect(importFrom(dir)).rejects.toMatchObject({ code: 'CONFLICT', detail: { reason: 'duplicate', caseId: first.caseId } });
    expect(countRows(vault.db, 'cases')).toBe(1);
    expect(countRows(vault.db, 'artifacts')).toBe(3);
  });

  it('links a new version of the same model and developer to the one before it, not to another model', async () => {
    const versions = ['1.0.0', '1.1.0'].map((version) => ({ ...base, 'submission.json': submissionBytes({ version }) }));
    const other = { ...base, 'submission.json': submissionBytes({ model: 'Other-2', version: '9' }) };
    const results = [];
    for (const files of [versions[0]!, other, versions[1]!]) {
      const dir = tempDir();
      writeFiles(dir, files);
      await signPackage(dir, key);
      results.push(await importFrom(dir));
    }
    expect(results[1]!.previous).toBeNull();
    expect(results[2]!.previous).toEqual({ caseId: results[0]!.caseId, model: 'Test-1', version: '1.0.0' });
  });
});

describe('importPackage concurrency', () => {
  it('makes a note saved mid-import wait for it, so the note survives the import being refused; a second import meanwhile is refused', async () => {
    const good = tempDir();
    writeFiles(good, base);
    await signPackage(good, key);
    const { caseId } = await importFrom(good);
    const bad = tempDir();
    const next = { ...base, 'submission.json': submissionBytes({ version: '1.0.1' }), 'z-last.txt': 'signed content' };
    writeFiles(bad, next);
    await signPackage(bad, key);
    writeFiles(bad, { 'z-last.txt': 'tampered content' });
    let note: Promise<Note> | null = null;
    let second: Promise<unknown> | null = null;
    const refused = importPackageDetailed({
      contentDb: vault.db,
      source: bad,
      trustedKeys: trusted,
      clock,
      onProgress: () => {
        // The reviewer saves a note and starts another import while this one holds its transaction.
        note ??= writeContent(vault.db, (db) => createNote(db, actorFor('alice', clock), { caseId, body: 'written during the import' }));
        second ??= importFrom(good).then(() => 'imported', (error: unknown) => error);
      },
    });
    await expect(refused).rejects.toMatchObject({ code: 'PACKAGE_REFUSED' });
    expect(await second).toMatchObject({ code: 'CONFLICT' });
    expect((await note!).body).toBe('written during the import');
    expect(listNotes(vault.db, { caseId }).map((n) => n.body)).toEqual(['written during the import']);
    expect(countRows(vault.db, 'cases')).toBe(1);
  });

  it('refuses to import on a connection that is already in a transaction (CONFLICT) and leaves that transaction alone', async () => {
    const dir = tempDir();
    writeFiles(dir, base);
    await signPackage(dir, key);
    // Another writer (or a running import) holds this connection's transaction.
    vault.db.exec('BEGIN IMMEDIATE');
    vault.db.prepare("INSERT INTO cases VALUES ('case-other', 'm', 'd', 'v', 's', 'r', 'x', 'p', 'k', 0, '{}')").run();
    await expect(importFrom(dir)).rejects.toMatchObject({ code: 'CONFLICT' });
    // The import did not roll back someone else's work: the outer transaction still holds its row.
    expect(countRows(vault.db, 'cases')).toBe(1);
    vault.db.exec('COMMIT');
    expect(countRows(vault.db, 'cases')).toBe(1);
    expect(countRows(vault.db, 'artifacts')).toBe(0);
  });
});
