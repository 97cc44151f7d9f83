import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// Three bundles: main (ESM, Node), preload (CommonJS: sandboxed preloads cannot be ES modules),
// renderer (browser, served from app://). Nothing is fetched at run time; every asset is bundled.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The audit, tally and search extraction workers are entries of their own: a worker thread loads each by file (start-thread.ts).
      rollupOptions: {
        input: {
          index: resolve('src-main/index.ts'),
          'audit-worker': resolve('src-main/audit/audit-worker.ts'),
          'tally-worker': resolve('src-main/audit/tally-worker.ts'),
          'search-extract-worker': resolve('src-main/search/extract-worker.ts'),
        },
      },
      externalizeDeps: true,
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
      externalizeDeps: { exclude: ['zod'] },
    },
  },
  renderer: {
    root: 'src-renderer',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      // overlay.html is the watermark overlay's page (code in src-overlay/): an HTML input must sit under
      // the renderer root, so only its shell lives here; main loads it into its own overlay window.
      rollupOptions: { input: { index: resolve('src-renderer/index.html'), overlay: resolve('src-renderer/overlay.html') } },
      // Inline nothing: the CSP forbids inline script and data: URLs for scripts.
      assetsInlineLimit: 0,
      sourcemap: false,
    },
  },
});
