import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_READ_AHEAD, openFileSource, type LogSource } from '../../../../src-main/evidence/log-source';

describe('file source with read-ahead', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-log-source-'));
  const file = path.join(dir, 'log.bin');
  // Every byte differs from its neighbours' so a read from a wrong offset cannot pass.
  const bytes = new Uint8Array(FILE_READ_AHEAD * 3 + 777).map((_, i) => (i * 31 + (i >>> 8)) & 0xff);
  let source: LogSource;

  beforeAll(async () => {
    fs.writeFileSync(file, bytes);
    source = await openFileSource(file, 'log.eval');
  });
  afterAll(async () => {
    await source.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const expectRange = (got: Uint8Array, offset: number, length: number) => expect(Buffer.from(got).equals(Buffer.from(bytes.subarray(offset, offset + length)))).toBe(true);

  it('serves sequential, backward, straddling and oversized reads with the right bytes', async () => {
    expect(source.size).toBe(bytes.length);
    expect(source.label).toBe('log.eval');
    for (const [offset, length] of [
      [0, 30],
      [30, 5000],
      [FILE_READ_AHEAD - 10, 40], // crosses the first window's end
      [12, 3], // back before the current window
      [FILE_READ_AHEAD * 2 + 5, FILE_READ_AHEAD + 100], // larger than a window
      [bytes.length - 50, 50],
    ] as const) {
      expectRange(await source.read(offset, length), offset, length);
    }
  });

  it('keeps earlier views valid after the window moves on', async () => {
    const first = await source.read(100, 64);
    const copy = Uint8Array.from(first);
    await source.read(FILE_READ_AHEAD * 2, 64);
    await source.read(FILE_READ_AHEAD + 3, 64);
    expect(Buffer.from(first).equals(Buffer.from(copy))).toBe(true);
    expectRange(first, 100, 64);
  });

  it('returns fewer bytes only past the end, and none from the end on', async () => {
    expectRange(await source.read(bytes.length - 10, 100), bytes.length - 10, 10);
    expect((await source.read(bytes.length, 10)).length).toBe(0);
  });
});
