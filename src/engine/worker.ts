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
import { createWasmKernel } from '../kernel/wasm-kernel.js';
import { installErrorTransfer, serializeError } from './error-transfer.js';
import { chooseKernel } from './kernel-choice.js';
import { serveRecords, type RecordPort } from './record-channel.js';
import { listenForInit } from './worker-endpoint.js';
import { WorkerEngine } from './worker-engine.js';
import type { FailedMessage, ReadyMessage } from './worker-protocol.js';

installErrorTransfer();

async function start(endpoint: Endpoint, choice: 'wasm' | 'reference' | 'auto'): Promise<void> {
  try {
    const { kernel, fallbackReason } = await chooseKernel(choice, {
      wasm: createWasmKernel,
      // Only a fallback: loaded when asked for, so the common path skips it.
      reference: async () => (await import('../kernel/reference/index.js')).createReferenceKernel(),
    });
    const engine = new WorkerEngine(kernel);
    expose(engine, endpoint);
    serveRecords(endpoint as unknown as RecordPort, (id, values) =>
      engine.sketches.record(id, values),
    );
    const ready: ReadyMessage = { edgewatch: 'ready', kernel: kernel.kind, fallbackReason };
    endpoint.postMessage(ready);
  } catch (error) {
    const failed: FailedMessage = { edgewatch: 'failed', error: serializeError(error) };
    endpoint.postMessage(failed);
  }
}

listenForInit((endpoint, init) => void start(endpoint, init.kernel));
