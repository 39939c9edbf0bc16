/**
 * Drift references and comparisons, run next to the kernels (inside the
 * worker in browsers). `prepare` computes the reference summaries once (sorted
 * sample via the kernel's sort, moments, quantile bins, category counts) and
 * keeps them by id; `compare` checks current data against them; `release`
 * frees them. Every method takes and returns structured-clone-safe values.
 */
import type { EngineWorkerKernel, Kernel } from '../kernel/kernel.js';
import { unknownDriftReference } from './drift-router.js';
import { IdTable } from './id-table.js';
import type { SampleOps } from '../stats/sample-ops.js';
import type { PreparedInfo } from '../stats/drift/options.js';
import type { PreparedDrift } from '../stats/drift/prepared.js';
import { compareDrift, describePrepared, prepareDrift } from '../stats/drift/prepared.js';
import type { DriftStatistics } from '../stats/drift/statistic.js';
import type { DriftOptions, DriftResult, TableDriftResult } from '../stats/drift/types.js';

/** The engine's drift service. */
export class DriftService {
  private readonly refs = new IdTable<PreparedDrift>(unknownDriftReference);
  /** The sorted current window, reused from check to check (nothing keeps it after a compare). */
  private window = new Float64Array(0);
  /**
   * The kernel for `compare`, sorting the current window into {@link DriftService.window}:
   * a fresh window-sized array per check cost as much as the sort itself on a busy machine
   * (page faults), which made a prepared-reference check slower than sorting both samples.
   * `prepare` uses the kernel itself: references keep their sorted arrays.
   */
  private readonly compareOps: SampleOps;

  /**
   * @param kernel - the kernel that sorts, bins and computes ECDF distances.
   * @param statistics - the drift statistics set (core or full) that the references are compared with.
   */
  constructor(
    readonly kernel: Kernel | EngineWorkerKernel,
    private readonly statistics: DriftStatistics,
  ) {
    this.compareOps = {
      sortF64: (values) => {
        if (this.window.length !== values.length) this.window = new Float64Array(values.length);
        return kernel.sortF64(values, this.window);
      },
      moments: (values) => kernel.moments(values),
      binCounts: (values, edges) => kernel.binCounts(values, edges),
      ksStatisticSorted: (a, b) => kernel.ksStatisticSorted(a, b),
      wasserstein1Sorted: (a, b) => kernel.wasserstein1Sorted(a, b),
    };
  }

  /**
   * Prepares a reference and stores it. O(n log n) per numeric column.
   *
   * @param reference - one feature's values or a table (column → values).
   * @param options - detector options (methods, thresholds, bins, categorical columns, overrides).
   * @returns the id to compare against, and what was prepared.
   * @throws ConfigError for bad options; DataError for empty or mixed-type columns;
   *   KernelError for a method or calibration the statistics set lacks.
   * @example const { id } = engine.drift.prepare([1, 2, 3], { threshold: 0.05 });
   */
  prepare(reference: unknown, options: DriftOptions = {}): { id: number; info: PreparedInfo } {
    const prepared = prepareDrift(reference, options, this.kernel, this.statistics);
    return { id: this.refs.add(prepared), info: describePrepared(prepared) };
  }

  /**
   * Compares current data (same shape as the reference) with a prepared reference.
   *
   * @param refId - an id from {@link DriftService.prepare}.
   * @param current - current values or table.
   * @returns the result for one feature or the table.
   * @throws KernelError for an unknown or released id; DataError for mismatched data.
   * @example engine.drift.compare(id, [4, 5, 6]).isDrift
   */
  compare(refId: number, current: unknown): DriftResult | TableDriftResult {
    return compareDrift(this.refs.get(refId), current, this.compareOps, this.statistics);
  }

  /**
   * Frees a prepared reference. Idempotent.
   *
   * @param refId - the id.
   * @example engine.drift.release(id);
   */
  release(refId: number): void {
    this.refs.delete(refId);
    if (this.refs.size === 0) this.window = new Float64Array(0);
  }

  /** Number of references held (for leak checks). */
  size(): number {
    return this.refs.size;
  }
}
