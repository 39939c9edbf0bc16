/**
 * The worker's drift service: the same calls as {@link DriftService}, async,
 * with the drift statistics (KS, chi-square, PSI, …, the core or the full set
 * the worker script passes) loaded on the first call, where the bundler splits
 * the worker. Through the engine API every call is awaited anyway, so callers
 * see no difference.
 */
import { KernelError } from '../errors.js';
import type { EngineWorkerKernel, Kernel } from '../kernel/kernel.js';
import type { DriftStatistics } from '../stats/drift/statistic.js';
import type { DriftService } from './drift-service.js';

/** {@link DriftService} behind a lazy `import()`. */
export class LazyDriftService {
  private loading: Promise<DriftService> | undefined;

  /**
   * @param kernel - the kernel that sorts, bins and computes ECDF distances.
   * @param statistics - loads the drift statistics set (core or full) the service computes with.
   */
  constructor(
    readonly kernel: Kernel | EngineWorkerKernel,
    private readonly statistics: () => Promise<DriftStatistics>,
  ) {}

  /**
   * Loads the statistics once; a failed load is retried on the next call.
   *
   * @returns the loaded service.
   * @throws KernelError when the statistics chunk cannot be loaded.
   */
  private service(): Promise<DriftService> {
    this.loading ??= Promise.all([import('./drift-service.js'), this.statistics()]).then(
      ([m, statistics]) => new m.DriftService(this.kernel, statistics),
      (error: unknown) => {
        this.loading = undefined;
        throw new KernelError(
          `expected the drift statistics to load, got ${error instanceof Error ? error.message : String(error)}`,
          'KERNEL',
          { cause: error },
        );
      },
    );
    return this.loading;
  }

  /**
   * See {@link DriftService.prepare}. The first call also loads the statistics.
   *
   * @param reference - one feature's values or a table (column → values).
   * @param options - detector options.
   * @returns the id to compare against, and what was prepared.
   * @throws ConfigError, DataError as {@link DriftService.prepare}; KernelError when loading fails.
   * @example const { id } = await engine.drift.prepare([1, 2, 3]);
   */
  async prepare(
    ...args: Parameters<DriftService['prepare']>
  ): Promise<ReturnType<DriftService['prepare']>> {
    return (await this.service()).prepare(...args);
  }

  /**
   * See {@link DriftService.compare}.
   *
   * @param refId - an id from {@link LazyDriftService.prepare}.
   * @param current - current values or table.
   * @returns the result for one feature or the table.
   * @throws KernelError for an unknown or released id; DataError for mismatched data.
   * @example (await engine.drift.compare(id, [4, 5, 6])).isDrift
   */
  async compare(
    ...args: Parameters<DriftService['compare']>
  ): Promise<ReturnType<DriftService['compare']>> {
    return (await this.service()).compare(...args);
  }

  /**
   * Frees a prepared reference. Idempotent; loads nothing when nothing was prepared.
   *
   * @param refId - the id.
   * @example await engine.drift.release(id);
   */
  async release(refId: number): Promise<void> {
    if (this.loading !== undefined) (await this.loading).release(refId);
  }

  /**
   * Number of references held (for leak checks).
   *
   * @returns 0 until the statistics are loaded.
   */
  async size(): Promise<number> {
    return this.loading === undefined ? 0 : (await this.loading).size();
  }
}
