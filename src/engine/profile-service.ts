/**
 * Feature profiles of monitoring windows, run in the profile worker
 * (profile-worker.ts; in-process when the monitor's engine is), so the
 * O(rows × features) profile and data-quality work never runs on the caller's
 * thread in worker mode. `prepare` reads the reference once and keeps the
 * profiler by id; `build` profiles one window's columns (typed arrays
 * transferred by the caller); `release` frees it. Every method takes and
 * returns structured-clone-safe values.
 */
import { KernelError } from '../errors.js';
import { IdTable } from './id-table.js';
import type { ProfileOptions } from '../profile/profile-types.js';
import {
  WindowProfiler,
  type ProfiledFeature,
  type WindowColumns,
  type WindowProfilesResult,
} from '../profile/window-profiler.js';

/** The profile worker's service. */
export class ProfileService {
  private readonly profilers = new IdTable<WindowProfiler>(
    (id) =>
      new KernelError(
        `profiler ${String(id)}: expected a prepared id, got an unknown or released one`,
      ),
  );

  /**
   * Reads the profiled features' reference ranges and categories and keeps the profiler.
   * O(reference rows of the profiled features).
   *
   * @param features - name, kind and reference column of each profiled feature.
   * @param options - profile options (scale, topK, hllPrecision, minCategoryCount).
   * @returns the profiler's id.
   * @throws ConfigError for a bad option; DataError for a malformed feature list.
   * @example const id = await profiles.api.prepare([{ name: 'speed', kind: 'numeric', reference: speeds }], {});
   */
  prepare(features: readonly ProfiledFeature[], options: ProfileOptions = {}): number {
    return this.profilers.add(new WindowProfiler(features, options));
  }

  /**
   * Profiles one window. O(rows × profiled features).
   *
   * @param id - an id from {@link ProfileService.prepare}.
   * @param columns - the window's feature columns (transfer the numeric ones' buffers).
   * @param invalid - per column, how many missing entries were values of the wrong type.
   * @returns the profile bytes, quality figures and their `performance` keys.
   * @throws KernelError for an unknown or released id; DataError for a malformed column.
   * @example const { encoded } = await api.build(id, transfer(columns, [columns.speed.buffer]), {});
   */
  build(
    id: number,
    columns: WindowColumns,
    invalid: Readonly<Record<string, number>>,
  ): WindowProfilesResult {
    return this.profilers.get(id).build(columns, invalid);
  }

  /**
   * Frees a profiler. Idempotent.
   *
   * @param id - the id.
   * @example await api.release(id);
   */
  release(id: number): void {
    this.profilers.delete(id);
  }

  /** Number of profilers held (for leak checks). */
  size(): number {
    return this.profilers.size;
  }
}
