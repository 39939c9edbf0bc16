/**
 * The Node side of worker-spawn.ts: a worker script started as a
 * `worker_threads` worker (from the TypeScript sources through tsx's loader).
 * The published package imports it through `#node-worker`, which resolves to
 * `node-worker.browser.ts` outside Node, so a page's bundle leaves it (and
 * Comlink's node adapter) out.
 */
import type * as WorkerThreads from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { KernelError } from '../errors.js';
import { importNodeBuiltin } from '../platform/node-builtins.js';
import type { RawWorker } from './worker-spawn.js';

/**
 * Starts a worker script as a Node `worker_threads` worker, reached through
 * Comlink's node adapter.
 *
 * @param workerUrl - the script to start instead of the one next to this module.
 * @param base - the script's file name next to this module, without extension (`worker`, `sketch-worker`, …).
 * @returns the worker, before its handshake.
 * @example const raw = await nodeWorker(undefined, 'worker');
 */
export async function nodeWorker(
  workerUrl: string | URL | undefined,
  base: string,
): Promise<RawWorker> {
  const threads = await importNodeBuiltin('node:worker_threads');
  const here = import.meta.url;
  let worker: WorkerThreads.Worker;
  if (workerUrl !== undefined) {
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
    worker = new threads.Worker(new URL(workerUrl, here), { execArgv });
  } else if (here.endsWith('.ts')) {
    // From the TypeScript sources (tests, dev): load worker.ts through tsx's
    // loader, registered inside the worker (`--import` in execArgv is not honoured there).
    const target = JSON.stringify(new URL(`${base}.ts`, here).href);
    const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${target}); });`;
    worker = new threads.Worker(boot, { eval: true });
  } else {
    const file = `${base}.js`;
    // Inherit the parent's flags except those only valid for a main script
    // (`node --input-type=module -e …` would otherwise kill the worker).
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
    worker = new threads.Worker(new URL(file, here), { execArgv });
  }
  let handler: (error: Error) => void = () => {};
  let terminated = false;
  worker.on('error', (error: Error) =>
    handler(new KernelError(`engine worker failed: ${error.message}`, 'KERNEL', { cause: error })),
  );
  worker.on('exit', (code: number) => {
    if (!terminated)
      handler(new KernelError(`engine worker exited unexpectedly with code ${code}`));
  });
  return {
    endpoint: nodeEndpoint(worker as unknown as Parameters<typeof nodeEndpoint>[0]),
    terminate: () => {
      if (terminated) return;
      terminated = true;
      void worker.terminate();
    },
    onFailure: (h) => (handler = h),
  };
}
