/**
 * `DriftDetector`: compares new data with a reference for one numeric feature,
 * one categorical feature, or a table. The reference summaries (sorted sample,
 * moments, quantile bins, category counts) are computed once, in the engine
 * (the compute worker in browsers), and reused by every `detect`; the caller
 * thread does no O(n) work.
 *
 * Output drift is the same detector on model outputs: give it the model's
 * scores (numeric) and predicted classes (categorical) on the reference
 * period, then the outputs of the current period —
 *
 * ```ts
 * const outputs = new DriftDetector(
 *   { score: refScores, predicted: refClasses },
 *   { categorical: ['predicted'], features: { score: { method: 'ks' } } },
 * );
 * const r = await outputs.detect({ score: scores, predicted: classes });
 * r.features.score.isDrift;      // did the score distribution move?
 * r.features.predicted.isDrift;  // did the class mix change (chi-square / JS)?
 * ```
 */
import { ConfigError, closedError, describeValue } from '../errors.js';
import type { EngineHandle } from '../engine/client.js';
import { getDefaultEngine } from '../engine/client.js';
import { checkEngineOption } from '../engine/staged-sketch.js';
import { linkMonitor } from '../metrics/monitor-link.js';
import type { MonitorLink, MonitorMetricsOptions } from '../metrics/monitor-link.js';
import type { PreparedInfo } from '../stats/drift/options.js';
import {
  checkThresholdMeaning,
  isTable,
  SINGLE_FEATURE,
  validateDriftOptions,
} from '../stats/drift/options.js';
import type {
  DriftOptions,
  DriftResult,
  FeatureValues,
  TableDriftResult,
  TableValues,
} from '../stats/drift/types.js';
import { nonEmptyString } from '../util/options.js';

/** Reference or current data: one feature's values, or a table (column → values). */
export type DriftData = FeatureValues | TableValues;

/** Options of {@link DriftDetector}: the drift options plus the engine to run on. */
export interface DriftDetectorOptions extends DriftOptions, MonitorMetricsOptions {
  /** Engine from `createEngine()`; the shared default engine when omitted. */
  engine?: EngineHandle;
  /**
   * With `registry`: the `feature` label of a one-feature detector's series
   * (default `"value"`; a table uses its column names).
   */
  featureName?: string;
}

/** What `detect` resolves to for a reference of type `R`. */
export type DetectResult<R> = R extends ArrayLike<unknown> ? DriftResult : TableDriftResult;

interface Prepared {
  engine: EngineHandle;
  id: number;
  info: PreparedInfo;
}

/**
 * Drift detection against a fixed reference.
 *
 * With `registry`, each `detect()` publishes `edgewatch_drift_statistic`,
 * `edgewatch_drift_p_value` (tests only) and `edgewatch_drift_detected` per
 * feature and method, `edgewatch_drift_share_ratio` for a table, and the missing
 * current values as `edgewatch_values_dropped_total{reason="drift_missing"}`.
 *
 * @example
 * const detector = new DriftDetector(referenceData, { threshold: 0.05 });
 * const r = await detector.detect(newData);
 * if (r.isDrift) console.log(r.method, r.statistic, r.pValue, r.meanShift);
 *
 * const published = new DriftDetector(referenceTable, { registry, labels: { model: 'perception' } });
 * await published.detect(currentTable); // edgewatch_drift_statistic{feature="speed",method="ks",...}
 */
export class DriftDetector<R extends DriftData = DriftData> {
  private readonly prepared: Promise<Prepared>;
  private released = false;
  private readonly link: MonitorLink | undefined;

  /**
   * Starts preparing the reference in the engine (the constructor returns at once).
   *
   * @param reference - `number[] | Float64Array | Float32Array` (numeric), `string[]`
   *   (categorical), or `Record<string, values>` (a table).
   * @param options - method (`'auto'`: a hypothesis test at every size), `alpha` (p-value
   *   level of tests), `threshold` (distance cut; without `alpha` also the level of tests),
   *   `minEffect` (effect-size floor of tests, 0.1 under `'auto'`), bins, categorical columns,
   *   per-feature overrides (`features`), driftShare / correction for tables, calibrate,
   *   engine; `registry`, `labels` and `featureName` to publish each result. See docs/drift.md.
   * @throws ConfigError for an empty reference, an empty table or column, or bad options
   *   (including labels another DriftDetector uses in the same registry, an unknown method
   *   name, and a detector-level `threshold` that would be a p-value level for some columns
   *   and a distance for others).
   *   Data errors found in the engine (mixed types, all values missing) reject `detect()`.
   */
  constructor(reference: R, options: DriftDetectorOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new ConfigError(`options: expected an object, got ${describeValue(options)}`);
    }
    const { engine: engineOption, registry, labels, featureName, ...driftOptions } = options;
    const engine = checkEngineOption(engineOption);
    validateDriftOptions(driftOptions);
    checkReference(reference);
    checkThresholdMeaning(
      driftOptions,
      isTable(reference) ? Object.keys(reference) : [SINGLE_FEATURE],
    );
    if (featureName !== undefined) nonEmptyString('featureName', featureName);
    this.link = linkMonitor({ registry, labels }, 'DriftDetector', this, (e, l) =>
      e.addDrift(this, l, featureName ?? 'value'),
    );
    this.prepared = (async () => {
      const handle = engine ?? (await getDefaultEngine());
      const { id, info } = await handle.api.drift.prepare(reference, driftOptions);
      return { engine: handle, id, info };
    })();
    // Errors surface from detect(); avoid an unhandled rejection meanwhile.
    this.prepared.catch(() => undefined);
  }

  /**
   * Compares current data (same shape as the reference) with the reference.
   *
   * @param current - values, or a table with the reference's columns.
   * @returns the feature result, or `{ isDrift, driftShare, driftedCount, features }` for a table.
   * @throws DataError for empty, mixed-type or mismatched data (also for reference problems
   *   found while preparing); ConfigError code `CLOSED` after `close()`; KernelError
   *   when the engine is closed.
   */
  async detect(current: R): Promise<DetectResult<R>> {
    if (this.released) throw closedError('DriftDetector');
    const p = await this.prepared;
    const result = (await p.engine.api.drift.compare(p.id, current)) as DetectResult<R>;
    this.link?.run((e) => e.publishDriftOf(this, result));
    return result;
  }

  /**
   * What was prepared: per feature its kind, chosen method, size and missing count.
   *
   * @returns the description.
   * @throws what preparing threw.
   */
  async describe(): Promise<PreparedInfo> {
    return (await this.prepared).info;
  }

  /**
   * Frees the reference in the engine and, with `registry`, its labels and
   * series. Idempotent; `detect` then throws `ConfigError` code `CLOSED`.
   *
   * @returns when released.
   */
  async close(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.link?.unlink();
    const p = await this.prepared.catch(() => undefined);
    if (p && !p.engine.closed) await p.engine.api.drift.release(p.id);
  }

  /**
   * The former name of {@link DriftDetector.close}.
   *
   * @deprecated Use `close()` (or `await using`); every monitor closes the same way.
   * @returns when released.
   */
  dispose(): Promise<void> {
    return this.close();
  }

  /** `await using detector = new DriftDetector(…)` closes it at scope exit. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function checkReference(reference: unknown): void {
  if (isTable(reference)) {
    const cols = Object.entries(reference);
    if (cols.length === 0)
      throw new ConfigError('reference: expected at least one column, got an empty table');
    for (const [name, col] of cols) checkColumn(col, `reference column "${name}"`);
  } else checkColumn(reference, 'reference');
}

function checkColumn(values: unknown, what: string): void {
  const isArray =
    Array.isArray(values) || (ArrayBuffer.isView(values) && !(values instanceof DataView));
  if (!isArray)
    throw new ConfigError(
      `${what}: expected an array or typed array, got ${describeValue(values)}`,
    );
  if ((values as ArrayLike<unknown>).length === 0)
    throw new ConfigError(`${what}: expected at least one value, got an empty array`);
}
