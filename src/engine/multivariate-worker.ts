/**
 * The multivariate worker: the multivariate statistics (CBPE, PCA, logistic
 * regression, MMD, drifted components) exposed with Comlink in a worker of
 * their own, so their O(n²·d) and O(n·d²) loops never run on the caller's
 * thread and the engine worker of a page that does not use them stays small.
 * Pure TypeScript: no kernel is loaded.
 *
 * Handshake as the engine worker's (worker-protocol.ts): wait for `init`,
 * expose the service, answer `ready` (kernel `'reference'`: pure TS).
 */
import { expose } from 'comlink';
import { installErrorTransfer, serializeError } from './error-transfer.js';
import { MultivariateService } from './multivariate-service.js';
import { listenForInit } from './worker-endpoint.js';
import type { FailedMessage, ReadyMessage } from './worker-protocol.js';

installErrorTransfer();

listenForInit((endpoint) => {
  try {
    expose(new MultivariateService(), endpoint);
    const ready: ReadyMessage = { edgewatch: 'ready', kernel: 'reference' };
    endpoint.postMessage(ready);
  } catch (error) {
    const failed: FailedMessage = { edgewatch: 'failed', error: serializeError(error) };
    endpoint.postMessage(failed);
  }
});
