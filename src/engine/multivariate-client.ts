/**
 * Starting the multivariate statistics: in their own worker (browsers by
 * default) or in-process (Node by default, or on request), behind the same
 * awaited API (`handle.api.prepareDrift(…)`, `compareDrift`, `prepareCbpe`,
 * `estimate`, `release`, `size`).
 */
import type { MultivariateService } from './multivariate-service.js';
import type { AsyncApi } from './remote-api.js';
import { startServiceEngine } from './service-client.js';

/** Options of {@link createMultivariateEngine}. */
export interface MultivariateEngineOptions {
  /**
   * `'worker'` (its own Web Worker or `worker_threads` worker), `'inline'` (this
   * thread), or `'auto'` (default: a worker in browsers, inline in Node; inline
   * when the worker cannot start).
   */
  readonly mode?: 'auto' | 'worker' | 'inline';
  /** How long to wait for the worker (default 15 000 ms). */
  readonly startTimeoutMs?: number;
}

/** A started multivariate engine. */
export interface MultivariateEngine {
  /** Where the statistics run. */
  readonly mode: 'worker' | 'inline';
  /** The service's methods, awaited. */
  readonly api: AsyncApi<MultivariateService>;
  /** Whether {@link MultivariateEngine.close} was called (or the worker died). */
  readonly closed: boolean;
  /** Stops the worker and rejects calls in flight. Idempotent. */
  close(): void;
}

/**
 * Starts the multivariate statistics.
 *
 * @param options - mode and start timeout.
 * @returns the handle.
 * @throws ConfigError for bad options; KernelError when `mode: 'worker'` cannot start its worker.
 * @example
 * const mv = await createMultivariateEngine();
 * const id = await mv.api.prepareDrift('mmd', referenceEmbeddings);
 * (await mv.api.compareDrift(id, windowEmbeddings)).isDrift;
 * mv.close();
 */
export async function createMultivariateEngine(
  options: MultivariateEngineOptions = {},
): Promise<MultivariateEngine> {
  // Loaded lazily: a page that uses the worker never downloads the statistics on its own thread.
  return startServiceEngine(
    options,
    'multivariate',
    async () => new (await import('./multivariate-service.js')).MultivariateService(),
  );
}
