/**
 * Where a worker script finds its caller: the Node `worker_threads` parent
 * port (platform/node-parent.ts) or the Web Worker's global scope.
 * Shared by the engine worker and the multivariate worker.
 */
import { expose, type Endpoint } from 'comlink';
import { nodeParentEndpoint } from '../platform/node-parent.js';
import { installErrorSender, serializeError } from './error-transfer.js';
import type {
  FailedMessage,
  HandshakeMessage,
  InitMessage,
  ReadyMessage,
} from './worker-protocol.js';

/**
 * True inside a Node `worker_threads` worker (not a browser/Electron Web Worker).
 *
 * @returns whether the parent is reached through `worker_threads`.
 */
function isNodeThread(): boolean {
  return (
    typeof process === 'object' &&
    typeof process.versions === 'object' &&
    typeof process.versions.node === 'string' &&
    typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'undefined'
  );
}

/**
 * Finds the caller (parent port or worker scope) and waits for its `init`
 * message, then calls `start` once.
 *
 * @param start - starts the worker's service on the endpoint.
 * @throws Error (uncaught in the worker) when a Node worker has no parent port.
 */
export function listenForInit(start: (endpoint: Endpoint, init: InitMessage) => void): void {
  const listen = (endpoint: Endpoint): void => {
    const onInit = (event: MessageEvent): void => {
      const data = event.data as HandshakeMessage | undefined;
      if (data === undefined || data === null || data.edgewatch !== 'init') return;
      endpoint.removeEventListener('message', onInit as EventListener);
      start(endpoint, data);
    };
    endpoint.addEventListener('message', onInit as EventListener);
    // A Node MessagePort only delivers after start(); a browser scope has no start.
    endpoint.start?.();
  };
  if (isNodeThread()) {
    nodeParentEndpoint().then(listen, (error: unknown) => {
      throw error;
    });
  } else {
    listen(globalThis as unknown as Endpoint);
  }
}

/**
 * The whole script of a pure-TypeScript service worker (the multivariate and
 * profile workers): on `init`, expose the service with Comlink and answer
 * `ready` (kernel `'reference'`: no WASM is loaded), or `failed` when
 * `create` throws.
 *
 * @param create - builds the service object.
 * @example serveWhenAsked(() => new ProfileService());
 */
export function serveWhenAsked(create: () => object): void {
  installErrorSender();
  listenForInit((endpoint) => {
    try {
      expose(create(), endpoint);
      const ready: ReadyMessage = { edgewatch: 'ready', kernel: 'reference' };
      endpoint.postMessage(ready);
    } catch (error) {
      const failed: FailedMessage = { edgewatch: 'failed', error: serializeError(error) };
      endpoint.postMessage(failed);
    }
  });
}
