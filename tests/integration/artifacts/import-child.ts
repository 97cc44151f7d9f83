/**
 * Child process for the SIGKILL test: imports a package into an existing content.db and, once a given
 * number of bytes is stored inside the open transaction, says "MID" and blocks so the parent can kill it
 * at a known point mid-import.
 */
import { fromHex } from '../../../src-shared/encoding';
import { parsePublicKeyPem } from '../../../src-shared/node/crypto';
import { importPackageDetailed } from '../../../src-main/artifacts/import-package';
import { openEncryptedDb } from '../../../src-main/vault/encrypted-db';

const [dbFile, keyHex, source, publicPem, threshold] = process.argv.slice(2) as [string, string, string, string, string];
const db = openEncryptedDb(dbFile, fromHex(keyHex));
// A small page cache makes the open transaction spill pages into the WAL early, whatever the vault's
// default cache size: the kill then provably lands after uncommitted pages reached the disk.
db.exec('PRAGMA cache_size = -2048');
let signalled = false;
await importPackageDetailed({
  contentDb: db,
  source,
  trustedKeys: [parsePublicKeyPem(publicPem)],
  clock: () => Date.now(),
  onProgress: (p) => {
    if (!signalled && p.bytesDone >= Number(threshold)) {
      signalled = true;
      process.stdout.write('MID\n');
      // Block the thread (no event loop turns, no commit) until the parent kills us.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
    }
  },
});
process.stdout.write('DONE\n');
