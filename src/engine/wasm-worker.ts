/**
 * The engine worker on the WASM kernel only: the same engine as worker.ts
 * (sketches and drift), without the reference kernel. Vite's default `iife`
 * worker format inlines every `import()` into the worker file, so worker.ts
 * ships its fallback kernel to every page; the page's engine starts this
 * worker instead (see client.ts), and only when WASM fails here (kernel
 * `'auto'`, e.g. a Content-Security-Policy without `wasm-unsafe-eval`) does it
 * start worker.ts, which falls back to the reference kernel.
 *
 * It refuses the reference kernel (`failed`), and so does a failing WASM kernel.
 * It carries no sketch byte format (see sketch-worker.ts).
 */
import { KernelError } from '../errors.js';
import { createWasmWorkerKernel } from '../kernel/wasm-batch-kernel.js';
import { serveEngine } from './serve-engine.js';
import { WorkerEngine } from './worker-engine.js';

serveEngine(async (choice) => {
  if (choice === 'reference')
    throw new KernelError(
      "expected kernel 'wasm' or 'auto' in the WASM engine worker, got 'reference'",
    );
  const kernel = await createWasmWorkerKernel();
  return { kernel, engine: new WorkerEngine(kernel) };
});
