import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EvalArchive, type EvalArchiveLimits, DEFAULT_EVAL_LIMITS } from '../../../../src-main/evidence/eval-archive';
import { memorySource } from '../../../../src-main/evidence/log-source';
import { buildZip, zstdAvailable, zstdCompress } from '../../../helpers/eval-zip';

const text = (s: string) => new TextEncoder().encode(s);

async function open(bytes: Uint8Array, limits?: Partial<EvalArchiveLimits>) {
  return EvalArchive.open(memorySource(bytes), { ...DEFAULT_EVAL_LIMITS, ...limits });
}

function patchCentral(bytes: Uint8Array, offsetInRecord: number, value: number, width: 2 | 4): Uint8Array {
  const copy = Uint8Array.from(bytes);
  const view = Buffer.from(copy.buffer);
  const at = view.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  if (width === 2) view.writeUInt16LE(value, at + offsetInRecord);
  else view.writeUInt32LE(value >>> 0, at + offsetInRecord);
  return copy;
}

describe('EvalArchive', () => {
  it('reads stored and deflated entries and checks their CRC-32', async () => {
    const zip = buildZip([
      { name: 'a.json', data: text('{"a":1}'), method: 'stored' },
      { name: 'b.json', data: text('{"b":2}'), method: 'deflate' },
    ]);
    const archive = await open(zip);
    expect(new TextDecoder().decode(await archive.read('a.json'))).toBe('{"a":1}');
    expect(new TextDecoder().decode(await archive.read('b.json'))).toBe('{"b":2}');
  });

  it.skipIf(!zstdAvailable)('reads a large Zstandard frame (12 MiB, several blocks and a long window) made by the zstd tool', async () => {
    const big = Buffer.alloc(12 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 27 & 0x3f | 0x40;
    const zip = buildZip([{ name: 'samples/1_epoch_1.json', data: big, method: 'zstd' }]);
    const archive = await open(zip);
    const out = await archive.read('samples/1_epoch_1.json');
    expect(out.length).toBe(big.length);
    expect(zlib.crc32(out)).toBe(zlib.crc32(big));
  });

  it.skipIf(!zstdAvailable)('refuses a Zstandard entry that decompresses to more than it declares (CRC or size)', async () => {
    const data = text('x'.repeat(5000));
    const zip = buildZip([{ name: 'a.json', data, method: 'zstd' }]);
    const lying = patchCentral(zip, 24, 100, 4); // declared uncompressed size 100
    const archive = await open(lying);
    await expect(archive.read('a.json')).rejects.toThrow(/local header|CRC-32|declared|damaged/);
    expect(zstdCompress(data).length).toBeLessThan(data.length);
  });

  it.each([
    ['not a zip', () => text('hello world, not an archive'), /no end of central directory/],
    ['an encrypted entry', () => patchCentral(buildZip([{ name: 'a.json', data: text('{}') }]), 8, 0x801, 2), /encrypted/],
    ['an unknown compression method', () => patchCentral(buildZip([{ name: 'a.json', data: text('{}') }]), 10, 12, 2), /unsupported compression method 12/],
    ['a declared size above the limit', () => patchCentral(buildZip([{ name: 'a.json', data: text('{}') }]), 24, 0x7fffffff, 4), /declares/],
  ])('refuses %s before reading any data', async (_label, make, why) => {
    await expect(open(make())).rejects.toThrow(why);
  });

  it('refuses an entry beyond the compression-ratio limit (8 MiB of zeros deflate ~1000:1)', async () => {
    const zip = buildZip([{ name: 'a.json', data: new Uint8Array(8 * 1024 * 1024), method: 'deflate' }]);
    await expect(open(zip, { maxCompressionRatio: 100 })).rejects.toThrow(/ratio/);
  });

  it('refuses more entries than the limit', async () => {
    const zip = buildZip(Array.from({ length: 5 }, (_, i) => ({ name: `${i}.json`, data: text('{}') })));
    await expect(open(zip, { maxEntries: 4 })).rejects.toThrow(/5 entries/);
  });

  it('refuses overlapping entries (two names for the same bytes)', async () => {
    const zip = buildZip([
      { name: 'a.json', data: text('{"a":1}'), method: 'stored' },
      { name: 'b.json', data: text('{"b":2}'), method: 'stored' },
    ]);
    const copy = Uint8Array.from(zip);
    const view = Buffer.from(copy.buffer);
    const second = view.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    view.writeUInt32LE(0, second + 42); // b.json's record now points at a.json's local header
    await expect(open(copy)).rejects.toThrow(/overlap/);
  });

  it('refuses a local header that names another file than the central directory', async () => {
    const zip = Uint8Array.from(buildZip([{ name: 'a.json', data: text('{}'), method: 'stored' }]));
    zip[30] = 'b'.charCodeAt(0);
    const archive = await open(zip);
    await expect(archive.read('a.json')).rejects.toThrow(/names another file/);
  });

  it('refuses a damaged deflate stream', async () => {
    const zip = Uint8Array.from(buildZip([{ name: 'a.json', data: text('{"a":"' + 'abc'.repeat(100) + '"}'), method: 'deflate' }]));
    for (let i = 38; i < 48; i++) zip[i] = 0xff;
    const archive = await open(zip);
    await expect(archive.read('a.json')).rejects.toThrow(/damaged|declared|CRC/);
  });
});
