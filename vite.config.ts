/**
 * The one Vite config of the repository:
 * - the demo page (`npm start`, `npm run build:demo`, and the demo's e2e test)
 *   is served and built from `demo/`;
 * - Vitest (mode `test`) runs three projects from the repository root: `unit`
 *   (Node), `browser` (real Chromium) and `e2e` (real servers, the demo).
 */
import { defineConfig, type ViteUserConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { redirectTestRoutes } from './test/browser/redirect-routes.js';

/** Flags for Debian's Chromium on a closed network, as root (see README). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const repo = fileURLToPath(new URL('.', import.meta.url));
const demo = `${repo}demo/`;

/** The demo page: served and built from `demo/`. */
const demoConfig: ViteUserConfig = {
  root: demo,
  // Relative asset paths: the static build opens from any folder or file server.
  base: './',
  cacheDir: `${repo}node_modules/.vite-demo`,
  server: { host: '127.0.0.1', fs: { allow: [repo] } },
  preview: { host: '127.0.0.1' },
  optimizeDeps: { include: ['uplot', 'comlink', 'idb'] },
  worker: { format: 'es' },
  build: { outDir: `${demo}dist`, emptyOutDir: true, target: 'es2022' },
};

/** The Vitest projects, run from the repository root. */
const testConfig: ViteUserConfig = {
  root: repo,
  // Examples import the package by name, as users do; in tests that is the sources.
  resolve: {
    alias: [
      { find: /^edgewatch\/(collector|serve)$/, replacement: `${repo}src/$1/index.ts` },
      { find: /^edgewatch\/(\w+)$/, replacement: `${repo}src/entry/$1.ts` },
      { find: /^edgewatch$/, replacement: `${repo}src/index.ts` },
    ],
  },
  test: {
    // Monitors created without a store write their outbox here, never into ~/.edgewatch.
    env: { EDGEWATCH_DATA_DIR: `${tmpdir()}/edgewatch-test-data` },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', 'test/e2e/**'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        plugins: [redirectTestRoutes()],
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 60_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: { executablePath: chromiumPath, args: CHROMIUM_ARGS },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
};

export default defineConfig(({ mode }) => (mode === 'test' ? testConfig : demoConfig));
