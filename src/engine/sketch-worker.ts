/**
 * The sketch worker: an engine with the sketches only ({@link EngineCore}) on
 * the WASM sketch kernel (the sketch-only module: no sort, selection or drift
 * kernels). It reaches neither the drift statistics nor the reference
 * kernel, so a bundler that inlines every `import()` into a worker file (Vite's
 * default `iife` worker format) still leaves them out: the shared engine of a
 * page that only records latencies and metrics starts this worker (see
 * client.ts), and drift calls on such an engine go to the engine workers with
 * the drift statistics (wasm-core-worker.ts, and wasm-worker.ts for methods
 * outside the core), started when first needed.
 *
 * It refuses the reference kernel (`failed`), and so does a failing WASM
 * kernel: the caller then starts the full worker, which falls back.
 *
 * Like wasm-worker.ts it carries no sketch byte format: sketches move in and
 * out as their stats and buckets, and the caller encodes and decodes
 * (worker-sketch-bytes.ts), loading the codec only when a page serializes.
 */
import { transfer } from 'comlink';
import { KernelError } from '../errors.js';
import { createWasmWorkerSketchKernel } from '../kernel/wasm-sketch-kernel.js';
import { EngineCore } from './engine-core.js';
import { serveEngine } from './serve-engine.js';
import { WorkerSketchService } from './sketch-service.js';

serveEngine(async (choice) => {
  if (choice === 'reference')
    throw new KernelError("expected kernel 'wasm' or 'auto' in the sketch worker, got 'reference'");
  const kernel = await createWasmWorkerSketchKernel();
  return { kernel, engine: new EngineCore(kernel, new WorkerSketchService(kernel, transfer)) };
});
