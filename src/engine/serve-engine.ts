/**
 * The body of an engine worker script (worker.ts, sketch-worker.ts): wait for
 * `init`, create the kernel and the engine, expose it with Comlink, serve the
 * record batches that arrive beside Comlink's messages (record-channel.ts) and
 * answer `ready` (or `failed`). See worker-protocol.ts for the handshake.
 */
import { expose } from 'comlink';
import type { Endpoint } from 'comlink';
import type { WorkerSketchKernel } from '../kernel/kernel.js';
import type { EngineCore } from './engine-core.js';
import type { WorkerSketchService } from './sketch-service.js';
import { installErrorSender, serializeError } from './error-transfer.js';
import { serveRecords, type RecordPort } from './record-channel.js';
import { listenForInit } from './worker-endpoint.js';
import type { FailedMessage, KernelChoice, ReadyMessage } from './worker-protocol.js';

/** What a worker script creates for the kernel choice its caller sent. */
export interface ServedEngine {
  readonly kernel: WorkerSketchKernel;
  readonly engine: EngineCore<WorkerSketchKernel, WorkerSketchService>;
  /** Why `'auto'` fell back to the reference kernel, when it did. */
  readonly fallbackReason?: string | undefined;
}

async function start(
  endpoint: Endpoint,
  choice: KernelChoice,
  create: (choice: KernelChoice) => Promise<ServedEngine>,
): Promise<void> {
  try {
    const { kernel, engine, fallbackReason } = await create(choice);
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

/**
 * Runs this worker as an engine worker.
 *
 * @param create - creates the kernel and the engine for the caller's kernel choice;
 *   what it throws is sent back as the `failed` message.
 * @example serveEngine(async () => { const kernel = await createWasmWorkerKernel(); return { kernel, engine: new WorkerEngine(kernel, loadStatistics) }; });
 */
export function serveEngine(create: (choice: KernelChoice) => Promise<ServedEngine>): void {
  installErrorSender();
  listenForInit((endpoint, init) => void start(endpoint, init.kernel, create));
}
