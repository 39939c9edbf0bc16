/**
 * The engine's multivariate service behind a lazy `import()`: the
 * multivariate statistics (CBPE, PCA, logistic regression, MMD) load on the
 * first call, so an engine that never uses them never downloads them.
 * Through the engine API every call is awaited anyway.
 */
import { KernelError } from '../errors.js';
import type { MultivariateService } from './multivariate-service.js';

/** {@link MultivariateService} loaded on first use. */
export class LazyMultivariateService {
  private loading: Promise<MultivariateService> | undefined;

  /**
   * Loads the statistics once; a failed load is retried on the next call.
   *
   * @returns the loaded service.
   * @throws KernelError when the chunk cannot be loaded.
   */
  private service(): Promise<MultivariateService> {
    this.loading ??= import('./multivariate-service.js').then(
      (m) => new m.MultivariateService(),
      (error: unknown) => {
        this.loading = undefined;
        throw new KernelError(
          `expected the multivariate statistics to load, got ${error instanceof Error ? error.message : String(error)}`,
          'KERNEL',
          { cause: error },
        );
      },
    );
    return this.loading;
  }

  /**
   * See {@link MultivariateService.prepareCbpe}.
   *
   * @param args - scores, labels, options.
   * @returns the model's id.
   * @throws ConfigError, DataError as {@link MultivariateService.prepareCbpe}; KernelError when loading fails.
   * @example const id = await engine.api.multivariate.prepareCbpe([0.2, 0.9], [0, 1]);
   */
  async prepareCbpe(
    ...args: Parameters<MultivariateService['prepareCbpe']>
  ): Promise<ReturnType<MultivariateService['prepareCbpe']>> {
    return (await this.service()).prepareCbpe(...args);
  }

  /**
   * See {@link MultivariateService.estimate}.
   *
   * @param args - id, window scores.
   * @returns the estimate.
   * @throws KernelError for an unknown id; DataError for bad scores.
   * @example (await engine.api.multivariate.estimate(id, [0.7])).metrics.accuracy.value
   */
  async estimate(
    ...args: Parameters<MultivariateService['estimate']>
  ): Promise<ReturnType<MultivariateService['estimate']>> {
    return (await this.service()).estimate(...args);
  }

  /**
   * See {@link MultivariateService.prepareDrift}.
   *
   * @param method - the method.
   * @param reference - the reference vectors.
   * @param options - the method's options.
   * @returns the reference's id.
   * @throws ConfigError, DataError as {@link MultivariateService.prepareDrift}; KernelError when loading fails.
   * @example const id = await engine.api.multivariate.prepareDrift('pca', rows);
   */
  async prepareDrift<M extends Parameters<MultivariateService['prepareDrift']>[0]>(
    method: M,
    reference: unknown,
    options?: Parameters<MultivariateService['prepareDrift']>[2],
  ): Promise<number> {
    return (await this.service()).prepareDrift(method, reference, options);
  }

  /**
   * See {@link MultivariateService.compareDrift}.
   *
   * @param args - id, window vectors.
   * @returns the tagged result.
   * @throws KernelError for an unknown id; DataError for bad vectors.
   * @example (await engine.api.multivariate.compareDrift(id, rows)).isDrift
   */
  async compareDrift(
    ...args: Parameters<MultivariateService['compareDrift']>
  ): Promise<ReturnType<MultivariateService['compareDrift']>> {
    return (await this.service()).compareDrift(...args);
  }

  /**
   * Frees a model or reference. Idempotent; loads nothing when nothing was prepared.
   *
   * @param id - the id.
   * @example await engine.api.multivariate.release(id);
   */
  async release(id: number): Promise<void> {
    if (this.loading !== undefined) (await this.loading).release(id);
  }

  /**
   * Number held (for leak checks).
   *
   * @returns 0 until the statistics are loaded.
   */
  async size(): Promise<number> {
    return this.loading === undefined ? 0 : (await this.loading).size();
  }
}
