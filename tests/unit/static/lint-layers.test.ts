/**
 * The layer rules are lint rules (docs/ARCHITECTURE.md, "Layers"): each planted file below breaks one
 * rule and `eslint` must refuse it with that rule's zone named; the allowed twin of each passes.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'rw/layer-boundaries').map((m) => m.message);
}

describe('layer rules in the linter', () => {
  it.each([
    ['a renderer file importing a service', 'src-renderer/planted.ts', "import { unlockVault } from '../src-main/vault/vault';\nexport const x = unlockVault;\n", 'ui-imports-shared-only'],
    ['a renderer file importing node:fs', 'src-renderer/screens/planted.tsx', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'ui-imports-shared-only'],
    ['the overlay importing Node crypto code', 'src-overlay/planted.ts', "import { sha256 } from '../src-shared/node/crypto';\nexport const x = sha256;\n", 'ui-imports-shared-only'],
    ['a renderer file importing electron', 'src-renderer/planted.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n", 'ui-no-electron'],
    ['node:fs in src-shared', 'src-shared/planted.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'shared-is-pure'],
    ['a bare Node built-in in src-shared', 'src-shared/ipc/planted.ts', "import { createHash } from 'crypto';\nexport const x = createHash;\n", 'shared-is-pure'],
    ['pure shared code reaching into src-shared/node', 'src-shared/planted.ts', "export { sha256 } from './node/crypto';\n", 'shared-is-pure'],
    ['a service importing electron', 'src-main/vault/planted.ts', "import { app } from 'electron';\nexport const x = app;\n", 'services-no-electron'],
    ['a service importing electron types', 'src-main/controls/planted.ts', "import type { Clipboard } from 'electron';\nexport type X = Clipboard;\n", 'services-no-electron'],
    ['a service importing the server', 'src-main/attest/planted.ts', "import { startServer } from '../../src-server/main';\nexport const x = startServer;\n", 'main-is-one-root'],
    ['main importing rwctl', 'src-main/planted.ts', "export { runCli } from '../src-cli/main';\n", 'main-is-one-root'],
    ['main loading the preview lazily', 'src-main/planted.ts', "export const load = () => import('../src-preview/preview-app');\n", 'main-is-one-root'],
    ['the server importing a main-process service', 'src-server/planted.ts', "import { openVault } from '../src-main/vault/vault';\nexport const x = openVault;\n", 'server-stands-alone'],
    ['a page taking a value from an IPC schema (it bundles zod)', 'src-renderer/api/planted.ts', "import { SEARCH_PAGE_MAX } from '../../src-shared/ipc/channels-search';\nexport const x = SEARCH_PAGE_MAX;\n", 'ui-types-only-from-schemas'],
    ['a page importing zod', 'src-renderer/planted.ts', "import { z } from 'zod';\nexport const x = z;\n", 'ui-types-only-from-schemas'],
    ['rwctl importing electron', 'src-cli/planted.ts', "import { app } from 'electron';\nexport const x = app;\n", 'node-roots-no-electron'],
  ])('refuses %s', async (_name, filePath, code, zone) => {
    const errors = await layerErrors(filePath, code);
    expect(errors.length).toBe(1);
    expect(errors[0]).toContain(`${zone}:`);
  });

  it.each([
    ['the renderer importing pure shared code', 'src-renderer/planted.ts', "import { RwError } from '../src-shared/errors';\nexport const x = RwError;\n"],
    ['a page taking a type from an IPC schema', 'src-renderer/planted.ts', "import type { SearchHitView } from '../src-shared/ipc/channels-search';\nexport type X = SearchHitView;\n"],
    ['a page taking the pre-sign-in channel list (no zod)', 'src-renderer/planted.ts', "import { PRE_SIGN_IN_CHANNELS } from '../src-shared/ipc/pre-sign-in-channels';\nexport const x = PRE_SIGN_IN_CHANNELS;\n"],
    ['the preload entry importing electron', 'src-preload/index.ts', "import { contextBridge } from 'electron';\nexport const x = contextBridge;\n"],
    ['a service importing shared Node code', 'src-main/vault/planted.ts', "import { sha256 } from '../../src-shared/node/crypto';\nexport const x = sha256;\n"],
    ['the window factory importing electron', 'src-main/window/planted.ts', "import { BrowserWindow } from 'electron';\nexport const x = BrowserWindow;\n"],
    ['rwctl importing the server and main services', 'src-cli/planted.ts', "import { startServer } from '../src-server/main';\nimport { openVault } from '../src-main/vault/vault';\nexport const x = [startServer, openVault];\n"],
    ['shared Node code importing node:crypto', 'src-shared/node/planted.ts', "import { createHash } from 'node:crypto';\nexport const x = createHash;\n"],
  ])('allows %s', async (_name, filePath, code) => {
    expect(await layerErrors(filePath, code)).toEqual([]);
  });
});
