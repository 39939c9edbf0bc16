import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));

/** Vite config of the demo page (`npm run demo`, `npm run build:demo`, and the e2e test). */
export default defineConfig({
  root,
  // Relative asset paths: the static build opens from any folder or file server.
  base: './',
  cacheDir: `${repo}node_modules/.vite-demo`,
  server: { host: '127.0.0.1', fs: { allow: [repo] } },
  preview: { host: '127.0.0.1' },
  optimizeDeps: { include: ['uplot', 'comlink', 'idb'] },
  worker: { format: 'es' },
  build: { outDir: `${root}dist`, emptyOutDir: true, target: 'es2022' },
});
