/**
 * The layer rules of docs/ARCHITECTURE.md ("Layers") as one ESLint rule, the way VS Code enforces its
 * own layers with a local rule: each zone names the files it governs, what they may not import, and why.
 * Specifiers are resolved against the importing file, so `../../src-main/x` and `../vault/x` are judged
 * by where they land, not by how they are spelled.
 */
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';

const NODE_BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));

/** `node:fs`, `fs`, `fs/promises`: anything that exists only in Node. */
function isNodeBuiltin(specifier) {
  return specifier.startsWith('node:') || NODE_BUILTINS.has(specifier.split('/')[0]);
}

/** What an import refers to, as a repository-relative path (for relative specifiers) or the bare package name. */
export function importTarget(specifier, filename, root) {
  if (specifier.startsWith('.')) return { kind: 'path', path: relative(root, resolve(dirname(filename), specifier)).split(sep).join('/') };
  if (isNodeBuiltin(specifier)) return { kind: 'node', name: specifier };
  const parts = specifier.split('/');
  return { kind: 'package', name: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0] };
}

function under(path, folder) {
  return path === folder || path.startsWith(`${folder}/`);
}

/** Whether a zone's `from` entry matches a target: `node:*`, a package name, or a folder/file prefix. */
function forbids(entry, target) {
  if (entry === 'node:*') return target.kind === 'node';
  if (target.kind === 'path') return under(target.path.replace(/\.(tsx?|jsx?|mjs|cjs)$/, ''), entry.replace(/\.(tsx?|jsx?)$/, ''));
  return target.name === entry;
}

function governs(zone, file) {
  return zone.target.some((t) => under(file, t) || file === t) && !(zone.except ?? []).some((e) => under(file, e) || file === e);
}

export const layerBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the layer rules of docs/ARCHITECTURE.md' },
    schema: [{ type: 'object', properties: { zones: { type: 'array' } }, required: ['zones'], additionalProperties: false }],
  },
  create(context) {
    const root = context.cwd;
    const file = relative(root, context.filename).split(sep).join('/');
    const zones = context.options[0].zones.filter((zone) => governs(zone, file));
    if (zones.length === 0) return {};
    const check = (node, specifier, typeOnly) => {
      if (typeof specifier !== 'string') return;
      const target = importTarget(specifier, context.filename, root);
      for (const zone of zones) {
        if (typeOnly && zone.allowTypeImports) continue;
        if (zone.from.some((entry) => forbids(entry, target))) {
          context.report({ node, message: `${zone.name}: ${file} may not import '${specifier}'. ${zone.message}` });
        }
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value, node.importKind === 'type'),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(node, node.source.value, node.exportKind === 'type'),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value, false),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') check(node, node.arguments[0].value, false);
      },
    };
  },
};
