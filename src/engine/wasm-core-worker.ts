/**
 * The engine worker a page's engine starts: wasm-worker.ts with the core drift
 * statistics only (the methods `'auto'` picks, the count divergences: see the
 * `core` column of the method table), so the worker file a page downloads
 * carries neither the other statistics nor threshold calibration. Under an
 * `iife` worker bundle only what the script's import graph reaches is left
 * out, hence a script of its own. The engine's client sends a `drift.prepare`
 * that needs more to a wasm-worker.ts started on first need (see client.ts).
 *
 * It refuses the reference kernel (`failed`), and so does a failing WASM kernel.
 * It carries no sketch byte format (see sketch-worker.ts).
 */
import { serveWasmEngine } from './serve-wasm-engine.js';

serveWasmEngine(
  'core WASM engine worker',
  async () => (await import('../stats/drift/statistic.js')).coreStatistics,
);
