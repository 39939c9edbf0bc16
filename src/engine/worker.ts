/**
 * The engine worker: `new WorkerEngine(kernel)` exposed with Comlink.
 *
 * One file serves both a browser module Worker (started by client.ts with
 * `new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })`,
 * which Vite/webpack/esbuild bundle as their own chunk) and a Node
 * `worker_threads` worker (through Comlink's node adapter). The WASM kernel is
 * imported statically; the reference kernel (a fallback) and the drift
 * statistics (see lazy-drift-service.ts) are lazy chunks.
 *
 * Handshake (see worker-protocol.ts): wait for `init`, create the kernel,
 * expose the engine, answer `ready` (or `failed`). Record batches from
 * staging buffers arrive beside Comlink's messages (see record-channel.ts).
 */
import { expose } from 'comlink';
import type { Endpoint } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createWasmKernel } from '../kernel/wasm-kernel.js';
import { importNodeBuiltin } from '../platform/node-builtins.js';
import { installErrorTransfer, serializeError } from './error-transfer.js';
import { chooseKernel } from './kernel-choice.js';
import { serveRecords, type RecordPort } from './record-channel.js';
import { WorkerEngine } from './worker-engine.js';
import type { FailedMessage, HandshakeMessage, ReadyMessage } from './worker-protocol.js';

installErrorTransfer();

/** True inside a Node `worker_threads` worker (not a browser/Electron Web Worker). */
function isNodeThread(): boolean {
  return (
    typeof process === 'object' &&
    typeof process.versions === 'object' &&
    typeof process.versions.node === 'string' &&
    typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'undefined'
  );
}

async function nodeParentEndpoint(): Promise<Endpoint> {
  const threads = await importNodeBuiltin('node:worker_threads');
  if (threads.parentPort === null) throw new Error('edgewatch worker.ts must run as a worker');
  return nodeEndpoint(threads.parentPort as unknown as Parameters<typeof nodeEndpoint>[0]);
}

function listen(endpoint: Endpoint): void {
  const onInit = (event: MessageEvent): void => {
    const data = event.data as HandshakeMessage | undefined;
    if (data === undefined || data === null || data.edgewatch !== 'init') return;
    endpoint.removeEventListener('message', onInit as EventListener);
    void start(endpoint, data.kernel);
  };
  endpoint.addEventListener('message', onInit as EventListener);
  // A Node MessagePort only delivers after start(); a browser scope has no start.
  endpoint.start?.();
}

async function start(endpoint: Endpoint, choice: 'wasm' | 'reference' | 'auto'): Promise<void> {
  try {
    const { kernel, fallbackReason } = await chooseKernel(choice, {
      wasm: createWasmKernel,
      // Only a fallback: loaded when asked for, so the common path skips it.
      reference: async () => (await import('../kernel/reference/index.js')).createReferenceKernel(),
    });
    const engine = new WorkerEngine(kernel);
    expose(engine, endpoint);
    serveRecords(endpoint as unknown as RecordPort, (id, values) => engine.sketches.record(id, values));
    const ready: ReadyMessage = { edgewatch: 'ready', kernel: kernel.kind, fallbackReason };
    endpoint.postMessage(ready);
  } catch (error) {
    const failed: FailedMessage = { edgewatch: 'failed', error: serializeError(error) };
    endpoint.postMessage(failed);
  }
}

if (isNodeThread()) {
  nodeParentEndpoint().then(listen, (error: unknown) => {
    throw error;
  });
} else {
  listen(globalThis as unknown as Endpoint);
}
