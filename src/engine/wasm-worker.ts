/**
 * The engine worker on the WASM kernel only: the same engine as worker.ts
 * (sketches and every drift statistic), without the reference kernel. Vite's
 * default `iife` worker format inlines every `import()` into the worker file,
 * so worker.ts ships its fallback kernel to every page; the page's engine
 * starts wasm-core-worker.ts (the core drift statistics) and this worker only
 * for a detector that needs a method outside the core or calibration (see
 * client.ts). Only when WASM fails (kernel `'auto'`, e.g. a
 * Content-Security-Policy without `wasm-unsafe-eval`) does it start worker.ts,
 * which falls back to the reference kernel.
 *
 * It refuses the reference kernel (`failed`), and so does a failing WASM kernel.
 * It carries no sketch byte format (see sketch-worker.ts).
 */
import { serveWasmEngine } from './serve-wasm-engine.js';

serveWasmEngine(
  'WASM engine worker',
  async () => (await import('../stats/drift/full-statistics.js')).fullStatistics,
);
