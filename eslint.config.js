import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layerBoundaries } from './lint/layer-boundaries.js';

const UI = ['src-renderer', 'src-preload', 'src-overlay'];
const ROOTS = ['src-main', 'src-cli', 'src-preview', 'src-server'];

/** The layer rules of docs/ARCHITECTURE.md ("Layers"), one zone each, with the reason a reader is shown. */
export const LAYER_ZONES = [
  {
    name: 'ui-types-only-from-schemas',
    target: ['src-renderer', 'src-overlay'],
    // The IPC schemas and everything that loads them (the contract, the event schemas), and zod itself.
    from: ['zod', 'src-shared/ipc/channel', 'src-shared/ipc/contract', 'src-shared/ipc/events', ...readdirSync('src-shared/ipc').filter((f) => f.startsWith('channels-')).map((f) => `src-shared/ipc/${f}`)],
    allowTypeImports: true,
    message: "A page takes only types from the IPC schemas: a value import bundles zod, which probes for eval when it loads, and the page's CSP refuses that and reports it on every screen. Put a value the page needs in a zod-free module (as src-shared/search/rank-window.ts).",
  },
  {
    name: 'ui-imports-shared-only',
    target: UI,
    from: [...ROOTS, 'src-shared/node', 'node:*'],
    message: 'The renderer side runs sandboxed with no Node: it reaches privileged code only through window.rw (the IPC router) and shares only the pure part of src-shared.',
  },
  {
    name: 'ui-no-electron',
    target: UI,
    except: ['src-preload/index.ts'],
    from: ['electron'],
    message: 'Only the preload entry touches Electron (contextBridge, ipcRenderer); pages and createApi get window.rw and run in the browser harness too.',
  },
  {
    name: 'shared-is-pure',
    target: ['src-shared'],
    except: ['src-shared/node'],
    from: ['node:*', 'electron', 'src-shared/node', ...ROOTS, ...UI],
    allowTypeImports: false,
    message: 'src-shared runs in every process, the sandboxed renderer included: no Node, no Electron, no app code. Code that needs node:crypto lives in src-shared/node.',
  },
  {
    name: 'shared-node-serves-all',
    target: ['src-shared/node'],
    from: ['electron', ...ROOTS, ...UI],
    message: 'src-shared/node is used by main, rwctl and the server alike: it may use Node, never one of them (nor Electron).',
  },
  {
    name: 'services-no-electron',
    target: ['src-main'],
    except: ['src-main/index.ts', 'src-main/window', 'src-main/ipc/electron-ipc.ts'],
    from: ['electron'],
    message: 'Services are plain TypeScript that rwctl and the preview run too: Electron enters only through index.ts, window/ and the IPC adapter.',
  },
  {
    name: 'main-is-one-root',
    target: ['src-main'],
    from: ['src-cli', 'src-preview', 'src-server', ...UI],
    message: 'The app is one composition root of three (app, rwctl, server): main never depends on another root, nor on the server it only talks to over HTTP.',
  },
  {
    name: 'server-stands-alone',
    target: ['src-server'],
    from: ['src-main', 'src-cli', 'src-preview', ...UI, 'electron'],
    message: 'The central server is deployed apart from any workstation: it shares only src-shared.',
  },
  {
    name: 'node-roots-no-electron',
    target: ['src-cli', 'src-preview'],
    from: ['electron', 'src-renderer', 'src-overlay'],
    message: 'rwctl and the preview run in plain Node where no Electron exists; the preview serves the built renderer, it does not import it.',
  },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-output/**', 'server-data/**', 'assets/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      // Validators deliberately match control characters to refuse them.
      'no-control-regex': 'off',
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only (CONVENTIONS.md).' },
      ],
    },
  },
  {
    files: ['src-*/**/*.{ts,tsx}'],
    plugins: { rw: { rules: { 'layer-boundaries': layerBoundaries } } },
    rules: { 'rw/layer-boundaries': ['error', { zones: LAYER_ZONES }] },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['scripts/**', 'bin/**', 'bench/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' } },
  },
  {
    // Config files must default-export by their tools' contract.
    files: ['*.config.ts', '*.config.js', 'tests/**/vitest.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
