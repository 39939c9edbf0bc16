/**
 * The body of the engine worker scripts on the WASM kernel only
 * (wasm-worker.ts with the full drift statistics, wasm-core-worker.ts with
 * the core ones): they refuse the reference kernel (`failed`), and so does a
 * failing WASM kernel; the caller then starts worker.ts, which falls back.
 */
import { KernelError } from '../errors.js';
import { createWasmEngineWorkerKernel } from '../kernel/wasm-batch-kernel.js';
import type { DriftStatistics } from '../stats/drift/statistic.js';
import { serveEngine } from './serve-engine.js';
import { WorkerEngine } from './worker-engine.js';

/**
 * Runs this worker as a WASM-only engine worker.
 *
 * @param name - the worker's name in messages (`'WASM engine worker'`).
 * @param statistics - loads the drift statistics set the worker computes with.
 * @example serveWasmEngine('WASM engine worker', async () => (await import('../stats/drift/full-statistics.js')).fullStatistics);
 */
export function serveWasmEngine(name: string, statistics: () => Promise<DriftStatistics>): void {
  serveEngine(async (choice) => {
    if (choice === 'reference')
      throw new KernelError(`expected kernel 'wasm' or 'auto' in the ${name}, got 'reference'`);
    const kernel = await createWasmEngineWorkerKernel();
    return { kernel, engine: new WorkerEngine(kernel, statistics) };
  });
}
