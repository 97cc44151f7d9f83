/**
 * rwctl sync export | import-receipts | status (see ARCHITECTURE: attestations and sync): the removable-media path. export writes the
 * pending outbox (signed Statements only), the witness request and a device-signed manifest to an empty
 * folder; import-receipts takes the server's answer back, verifying every receipt and the witness
 * cosignature against the key pinned at enrollment before anything is marked delivered.
 */
import { resolve } from 'node:path';
import { RwError } from '../src-shared/errors';
import { exportMediaBundle, importReceipts } from '../src-main/attest/media-bundle';
import { listWitnessedCheckpoints } from '../src-main/attest/receipts';
import { readEnrollment } from '../src-main/attest/enrollment';
import { policyInForce } from '../src-main/controls/signed-policy';
import { platformFetch, syncNow, type FetchFn } from '../src-main/attest/sync-client';
import { randomBytes } from '../src-shared/node/crypto';
import { listOutbox } from '../src-main/attest/outbox';
import { EXIT, type Command } from './command';
import { newOutPath, openCliSession, pathOf, vaultOptions, writeNewFile } from './attest-commands';
import { cliTrustRoot, recordRead } from './cli-vault';
import { attestChannels } from '../src-shared/ipc/channels-attest';

export interface SyncCommandOptions {
  /** Defaults to the platform fetch (Node 20 undici). */
  fetch?: FetchFn;
}

function jitter(): number {
  const b = randomBytes(4);
  return (((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!) / 2 ** 32;
}

export function createSyncCommands(options: SyncCommandOptions = {}): Command[] {
  return [
    {
      path: ['sync', 'now'],
      summary: 'Push pending attestations to the server the signed policy names, and get the log witnessed',
      positionals: [],
      options: { ...vaultOptions },
      async run(args, io) {
        const session = await openCliSession(args, io);
        try {
          const result = await syncNow({
            audit: session.vault.audit,
            keys: session.keys,
            policy: policyInForce(session.vault.audit, cliTrustRoot(io)),
            enrollment: readEnrollment(session.vault.audit),
            fetch: options.fetch ?? platformFetch,
            clock: io.clock,
            random: jitter,
            log: session.port,
          });
          if (result.mode === 'offline') {
            io.stdout('Offline: the signed policy names no server. Use `rwctl sync export` for removable media.\n');
            return EXIT.ok;
          }
          io.stdout(`Delivered ${result.delivered}, failed ${result.failed.length}, waiting for retry ${result.deferred}. Witness: ${result.witness}${result.witnessedSize !== null ? ` (size ${result.witnessedSize})` : ''}.\n`);
          for (const f of result.failed) io.stdout(`  ${f.envelopeSha256.slice(0, 16)}: ${f.error}\n`);
          return result.failed.length === 0 && result.witness !== 'refused' && result.witness !== 'unreachable' ? EXIT.ok : EXIT.refused;
        } finally {
          session.close();
        }
      },
    },
    {
      path: ['sync', 'export'],
      summary: 'Write a media bundle: pending attestations, the witness request and a signed manifest',
      positionals: [],
      options: { ...vaultOptions, out: { kind: 'string', description: 'An empty (or new) folder for the bundle', required: true } },
      async run(args, io) {
        const out = pathOf(args, io, 'out');
        const session = await openCliSession(args, io);
        try {
          const result = await exportMediaBundle({ audit: session.vault.audit, keys: session.keys, workstationId: session.vault.workstationId, log: session.port, clock: io.clock }, out);
          io.stdout(`Bundle written to ${args.strings['out']}: ${result.items} attestation(s)`);
          io.stdout(result.witness ? `, checkpoint at size ${result.witness.size} for the witness (from ${result.witness.oldSize}).\n` : ', no new checkpoint to witness.\n');
          for (const f of result.files) io.stdout(`  ${f.name.padEnd(28)} ${String(f.size).padStart(9)}  sha256:${f.sha256}\n`);
          return EXIT.ok;
        } finally {
          session.close();
        }
      },
    },
    {
      path: ['sync', 'import-receipts'],
      summary: "Verify the server's receipts and witness cosignature and mark attestations delivered",
      positionals: [{ name: 'DIR', description: 'The receipts folder from `rwctl server import-bundle`', required: true }],
      options: { ...vaultOptions },
      async run(args, io) {
        const dir = resolve(io.cwd, args.positionals[0] as string);
        const session = await openCliSession(args, io);
        try {
          const result = await importReceipts({ audit: session.vault.audit, keys: session.keys, log: session.port, clock: io.clock }, dir);
          io.stdout(`Receipts: ${result.delivered} delivered, ${result.alreadyDelivered} already delivered, ${result.problems.length} problem(s).\n`);
          for (const p of result.problems) io.stdout(`  ${p.line === 0 ? 'witness' : `line ${p.line}`}: ${p.code}: ${p.message}\n`);
          if (result.witnessed !== null) io.stdout(`Witness cosigned the access log at size ${result.witnessed}.\n`);
          if (result.witnessConflictSize !== null) io.stdout(`Witness holds size ${result.witnessConflictSize}; the next export starts from there.\n`);
          return result.problems.length === 0 ? EXIT.ok : EXIT.refused;
        } finally {
          session.close();
        }
      },
    },
    {
      path: ['sync', 'status'],
      summary: 'List the outbox: what awaits transfer and what was delivered',
      positionals: [],
      options: { ...vaultOptions, json: { kind: 'boolean', description: 'Print JSON' } },
      async run(args, io) {
        const session = await openCliSession(args, io);
        try {
          // The app's outbox read names the leaf, so both land under one event.
          return await recordRead(session.log, session.vault, { event: attestChannels['outbox.list'].event }, () => {
            const items = listOutbox(session.vault.audit, session.keys);
            return {
              detail: { results: items.length },
              print() {
                if (args.booleans['json']) {
                  io.stdout(`${JSON.stringify(items.map((i) => ({ envelopeSha256: i.envelopeSha256, label: i.label, state: i.state, attempts: i.attempts, lastError: i.lastError, logIndex: i.receipt?.logIndex ?? null })), null, 2)}\n`);
                } else if (items.length === 0) {
                  io.stdout('The outbox is empty.\n');
                } else {
                  for (const i of items) io.stdout(`${i.state.padEnd(9)} ${i.envelopeSha256.slice(0, 16)}  ${i.label}${i.receipt ? `  (server log index ${i.receipt.logIndex})` : ''}\n`);
                }
                return EXIT.ok;
              },
            };
          });
        } finally {
          session.close();
        }
      },
    },
    {
      path: ['sync', 'witnessed'],
      summary: 'Write the latest checkpoint the central witness cosigned (for `rwctl audit verify --checkpoint`)',
      positionals: [],
      options: { ...vaultOptions, out: { kind: 'string', description: 'Output file', required: true } },
      async run(args, io) {
        const out = newOutPath(args, io);
        const session = await openCliSession(args, io);
        try {
          return await recordRead(session.log, session.vault, { event: 'sync.witnessed' }, () => {
            const latest = listWitnessedCheckpoints(session.vault.audit)[0];
            if (!latest) throw new RwError('NOT_FOUND', 'No checkpoint of this workstation has been witnessed yet.');
            return {
              detail: { size: latest.size },
              print() {
                writeNewFile(out, latest.cosignedNote);
                io.stdout(`Witnessed checkpoint at size ${latest.size} written to ${args.strings['out']}.\n`);
                return EXIT.ok;
              },
            };
          });
        } finally {
          session.close();
        }
      },
    },
  ];
}

export const SYNC_COMMANDS: Command[] = createSyncCommands();
