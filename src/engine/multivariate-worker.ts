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
import { MultivariateService } from './multivariate-service.js';
import { serveWhenAsked } from './worker-endpoint.js';

serveWhenAsked(() => new MultivariateService());
