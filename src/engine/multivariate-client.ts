/**
 * Starting the multivariate statistics: in their own worker (browsers by
 * default) or in-process (Node by default, or on request), behind the same
 * awaited API (`handle.api.prepareDrift(…)`, `compareDrift`, `prepareCbpe`,
 * `estimate`, `release`, `size`).
 */
import { wrap } from 'comlink';
import { ConfigError, describeValue } from '../errors.js';
import { installErrorTransfer } from './error-transfer.js';
import type { MultivariateService } from './multivariate-service.js';
import {
  CallGuard,
  closedError,
  createApiProxy,
  inlineInvoke,
  remoteInvoke,
  type AsyncApi,
} from './remote-api.js';
import { isNode, spawnEngineWorker } from './worker-spawn.js';

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
  if (options === null || typeof options !== 'object')
    throw new ConfigError(`expected an options object, got ${describeValue(options)}`);
  const requested = options.mode ?? 'auto';
  if (requested !== 'auto' && requested !== 'worker' && requested !== 'inline')
    throw new ConfigError(
      `expected mode to be 'auto', 'worker' or 'inline', got ${describeValue(requested)}`,
    );
  const timeout = options.startTimeoutMs ?? 15_000;
  if (typeof timeout !== 'number' || !(timeout > 0))
    throw new ConfigError(
      `expected startTimeoutMs to be a positive number, got ${describeValue(timeout)}`,
    );
  const mode =
    requested === 'auto'
      ? isNode() || typeof Worker === 'undefined'
        ? 'inline'
        : 'worker'
      : requested;
  if (mode === 'inline') return startInline();
  try {
    return await startWorker(timeout);
  } catch (error) {
    if (requested === 'worker') throw error;
    return startInline();
  }
}

async function startInline(): Promise<MultivariateEngine> {
  // Loaded lazily: a page that uses the worker never downloads the statistics on its own thread.
  const { MultivariateService } = await import('./multivariate-service.js');
  const guard = new CallGuard();
  const invoke = inlineInvoke(new MultivariateService());
  return {
    mode: 'inline',
    api: createApiProxy<MultivariateService>((path, args) => guard.run(() => invoke(path, args))),
    get closed() {
      return guard.closed;
    },
    close: () => guard.close(),
  };
}

async function startWorker(timeoutMs: number): Promise<MultivariateEngine> {
  installErrorTransfer();
  const guard = new CallGuard();
  let stop: () => void = () => {};
  const worker = await spawnEngineWorker(
    'reference',
    timeoutMs,
    (error) => {
      guard.close(error);
      stop();
    },
    undefined,
    'multivariate',
  );
  stop = () => worker.terminate();
  const invoke = remoteInvoke(wrap(worker.endpoint));
  return {
    mode: 'worker',
    api: createApiProxy<MultivariateService>((path, args) => guard.run(() => invoke(path, args))),
    get closed() {
      return guard.closed;
    },
    close: () => {
      guard.close(closedError());
      worker.terminate();
    },
  };
}
