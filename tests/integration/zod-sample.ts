/**
 * A valid sample value for a zod 4 schema, built from its definition and checked by the schema itself,
 * so a test can call every channel of the contract with a payload that passes validation (and so reaches
 * the role check) without a hand-written fixture per channel. Strings are taken from a list of shapes the
 * contract uses (hex ids, tokens, dates, CVSS vectors); a schema none fits makes the caller fail loudly.
 */
import type { z } from 'zod';

const HEX32 = '0123456789abcdef0123456789abcdef';
const STRINGS = [
  HEX32,
  `case-${HEX32}`,
  `art-${HEX32}`,
  'case-a',
  'alice',
  'a',
  'correct horse battery',
  '2026-11-01',
  'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
  `sha256:${'0'.repeat(64)}`,
  '0'.repeat(64),
];
const NUMBERS = [1, 0, 2, 100, 1000];

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string>;
  values?: unknown[];
  in?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  items?: z.ZodType[];
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function first(schema: z.ZodType, candidates: unknown[]): unknown {
  return candidates.find((c) => schema.safeParse(c).success) ?? candidates[0];
}

export function samplePayload(schema: z.ZodType): unknown {
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(def.shape ?? {})) {
        if (defOf(child).type === 'optional') continue;
        out[key] = samplePayload(child);
      }
      return out;
    }
    case 'string':
      return first(schema, STRINGS);
    case 'number':
    case 'int':
      return first(schema, NUMBERS);
    case 'boolean':
      return true;
    case 'enum':
      return Object.values(def.entries ?? {})[0];
    case 'literal':
      return def.values?.[0];
    case 'optional':
    case 'default':
      return samplePayload(def.innerType!);
    case 'nullable':
      return null;
    case 'array':
      return [];
    case 'record':
      return {};
    case 'tuple':
      return (def.items ?? []).map(samplePayload);
    case 'union':
      return first(schema, (def.options ?? []).map(samplePayload));
    case 'pipe':
      return samplePayload(def.in!);
    case 'custom':
      // z.instanceof(Uint8Array): the byte payloads (uploads) of the contract.
      return first(schema, [new Uint8Array([1])]);
    case 'intersection':
      return { ...(samplePayload(def.left!) as object), ...(samplePayload(def.right!) as object) };
    default:
      return undefined;
  }
}
