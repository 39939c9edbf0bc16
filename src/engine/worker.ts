/**
 * The engine worker: a {@link WorkerEngine} exposed with Comlink: the
 * sketches and the full drift statistics, on the WASM kernel or the reference one.
 *
 * One file serves both a browser module Worker (started by worker-spawn.ts with
 * `new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })`,
 * which Vite/webpack/esbuild bundle as their own chunk) and a Node
 * `worker_threads` worker (through Comlink's node adapter). It is also the
 * `edgewatch/worker` export that sites serving the worker themselves bundle.
 * The WASM kernel is imported statically; the reference kernel (a fallback)
 * and the drift statistics (see lazy-drift-service.ts) are lazy chunks where
 * the bundler splits a worker (an `iife` worker bundle inlines them: see
 * sketch-worker.ts for the worker a page that only sketches starts).
 */
import { createWasmWorkerKernel } from '../kernel/wasm-batch-kernel.js';
import { chooseKernel } from './kernel-choice.js';
import { serveEngine } from './serve-engine.js';
import { WorkerEngine } from './worker-engine.js';

serveEngine(async (choice) => {
  const { kernel, fallbackReason } = await chooseKernel(choice, {
    wasm: createWasmWorkerKernel,
    // Only a fallback: loaded when asked for, so the common path skips it.
    reference: async () =>
      (await import('../kernel/reference/reference-kernel.js')).createReferenceWorkerKernel(),
  });
  const engine = new WorkerEngine(
    kernel,
    async () => (await import('../stats/drift/full-statistics.js')).fullStatistics,
  );
  return { kernel, engine, fallbackReason };
});
