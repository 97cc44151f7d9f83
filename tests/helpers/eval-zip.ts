/**
 * Builds `.eval` archives in tests: entries stored, deflated or Zstandard-compressed (the Debian
 * `zstd` tool, as Inspect's writer produces method 93), with hooks to damage them (a wrong CRC).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { EvalArchive } from '../../src-main/evidence/eval-archive';
import { memorySource } from '../../src-main/evidence/log-source';

export const ZSTD_CLI = '/usr/bin/zstd';
export const zstdAvailable = fs.existsSync(ZSTD_CLI);

export type Method = 'stored' | 'deflate' | 'zstd';

export interface ZipInput {
  name: string;
  data: Uint8Array;
  method?: Method;
  /** Written instead of the true CRC-32 (damage). */
  crc?: number;
  /** Already compressed with `method` (batch compression). */
  compressed?: Uint8Array;
}

export function zstdCompress(data: Uint8Array, level = 3): Uint8Array {
  return new Uint8Array(execFileSync(ZSTD_CLI, [`-${level}`, '-q', '-c', '--no-check'], { input: data, maxBuffer: 1 << 30 }));
}

function compress(data: Uint8Array, method: Method): { code: number; bytes: Uint8Array } {
  if (method === 'stored') return { code: 0, bytes: data };
  if (method === 'deflate') return { code: 8, bytes: zlib.deflateRawSync(data) };
  return { code: 93, bytes: zstdCompress(data) };
}

export function buildZip(entries: ZipInput[], defaultMethod: Method = 'deflate'): Uint8Array {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const method = e.method ?? defaultMethod;
    const { code, bytes } = e.compressed ? { code: method === 'zstd' ? 93 : method === 'deflate' ? 8 : 0, bytes: e.compressed } : compress(e.data, method);
    const crc = e.crc ?? zlib.crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(code === 93 ? 63 : 20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(code, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(bytes.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(0x031e, 4);
    cd.writeUInt16LE(code === 93 ? 63 : 20, 6);
    cd.writeUInt16LE(0x800, 8);
    cd.writeUInt16LE(code, 10);
    cd.writeUInt32LE(crc >>> 0, 16);
    cd.writeUInt32LE(bytes.length, 20);
    cd.writeUInt32LE(e.data.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    cd.writeUInt32LE(offset, 42);
    parts.push(local, name, Buffer.from(bytes));
    central.push(cd, name);
    offset += 30 + name.length + bytes.length;
  }
  const cdBytes = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cdBytes.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, cdBytes, eocd]));
}

/** Every entry of an existing archive, in order, decompressed (read with the reader under test's own zip code). */
export async function readEntries(file: string): Promise<ZipInput[]> {
  const archive = await EvalArchive.open(memorySource(new Uint8Array(fs.readFileSync(file))));
  const out: ZipInput[] = [];
  for (const name of archive.entries.keys()) out.push({ name, data: Uint8Array.from(await archive.read(name)) });
  return out;
}

export function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

export function parseEntry(entries: ZipInput[], name: string): Record<string, unknown> {
  const e = entries.find((x) => x.name === name);
  if (!e) throw new Error(`no ${name}`);
  return JSON.parse(new TextDecoder().decode(e.data)) as Record<string, unknown>;
}

/** A copy of the entries with `name` replaced by `edit(parsed)` (or removed when edit returns undefined). */
export function editEntry(entries: ZipInput[], name: string, edit: (doc: Record<string, unknown>) => unknown): ZipInput[] {
  return entries.flatMap((e) => {
    if (e.name !== name) return [e];
    const next = edit(JSON.parse(new TextDecoder().decode(e.data)) as Record<string, unknown>);
    return next === undefined ? [] : [{ ...e, data: jsonBytes(next) }];
  });
}
