import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

// rwctl and the central server run in plain Node: bundle our sources, keep every dependency external
// (the SQLCipher addon must be loaded from node_modules, never inlined).
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: false,
    minify: false,
    rollupOptions: {
      input: { rwctl: 'src-cli/entry.ts' },
      output: { format: 'es', entryFileNames: '[name].js' },
      external: [...builtinModules, ...builtinModules.map((m) => `node:${m}`), /^[^./]/],
    },
  },
});
