/**
 * Options of `EdgeMonitor`, their validation (constructor-time `ConfigError`s
 * with "expected …, got …") and the default alert rules.
 */
import { ConfigError, describeValue } from '../errors.js';
import {
  optionalFunction,
  optionalNumber,
  optionsObject,
  nonEmptyString,
} from '../util/options.js';
import type { AlertRule } from '../alerts/alert-rule.js';
import type { AlertMetrics } from '../alerts/types.js';
import {
  dataQuality,
  driftDetected,
  latencyAbove,
  outputDriftDetected,
  performanceDrop,
} from '../alerts/rules.js';
import type { EngineHandle } from '../engine/client.js';
import type { ModelRegistry } from '../lifecycle/model-registry.js';
import type { PerformanceMonitorOptions, DegradableMetric } from '../performance/types.js';
import type { RetrainTriggerOptions } from '../retrain/trigger-options.js';
import type { DriftOptions, TableDriftResult, TableValues } from '../stats/drift/types.js';
import type { WindowStore } from '../storage/window-store.js';
import type { WindowStoreOptions } from '../storage/store-types.js';
import type {
  CbpeWatchOptions,
  EmbeddingWatchOptions,
  MultivariateFeaturesOptions,
} from './multivariate-watch.js';
import type { OutputDriftOptions, PredictionReference } from './output-drift.js';
import type { EdgeProfilesOptions } from './window-profiles.js';
import type { FlusherOptions } from '../transport/flusher-types.js';

/** Which model is watched: a fixed name and version, or the active version in a registry. */
export type EdgeModelOption =
  | {
      /** The model's name. */
      name: string;
      /** The deployed version. */
      version: string;
    }
  | {
      /** The registry whose active version is followed. */
      registry: ModelRegistry;
      /** The model's name in the registry. */
      name: string;
    };

/** Where windows are delivered: the collector's ingest URL, or flusher options. */
export type EdgeEndpointOption =
  | string
  | (Omit<FlusherOptions, 'store'> & {
      /** The collector's ingest URL. */
      endpoint: string;
    });

/** Where a monitor writes its one start-up line (the outbox it uses). `console` fits. */
export interface EdgeLogger {
  /** An informational line. */
  info(message: string): void;
  /** A warning (e.g. the outbox is not durable). */
  warn(message: string): void;
}

/** Options of `EdgeMonitor.create`. */
export interface EdgeMonitorOptions {
  /** The model: `{ name, version }`, or `{ registry, name }` (follows the registry's active version). */
  model: EdgeModelOption;
  /** This device's id (default: a random `device-xxxxxxxx`). */
  deviceId?: string;
  /** Reference table (column -> values, e.g. training data). Enables drift per window. */
  reference?: TableValues;
  /** Drift options for the reference (method, threshold, categorical, driftShare, …). */
  drift?: DriftOptions;
  /**
   * The model's predictions on its training or holdout run (class labels or
   * scores). Enables output drift per window: the window's predictions are
   * tested against it (`WindowDrift` rows with `source: 'output'`, feature
   * `prediction`). With `{ registry, name }`, the default is the active
   * version's `metadata.predictionReference`.
   */
  predictionReference?: PredictionReference;
  /** Output drift test: method (`'auto'`: chi-square / JS for classes, KS / Wasserstein for scores), threshold, bins, calibrate, `classes`. */
  outputDrift?: OutputDriftOptions;
  /**
   * Drift of a vector column (e.g. an image or text embedding in
   * `observe({ features: { [column]: vector } })`) against reference vectors, each
   * window, in the multivariate worker: `WindowDrift` rows with `source: 'embedding'` and
   * feature `column` (default tests: MMD and the share of drifted components).
   */
  embedding?: EmbeddingWatchOptions;
  /**
   * The numeric columns of `reference` tested together each window (default:
   * PCA reconstruction error): `WindowDrift` rows with `source: 'multivariate'`,
   * feature `features`.
   */
  multivariate?: MultivariateFeaturesOptions;
  /**
   * Label-free performance estimation (CBPE) each window from the model's
   * scores, calibrated on labelled reference scores: `estimated_<metric>`,
   * `estimated_<metric>_lower` and `estimated_<metric>_upper` (accuracy,
   * precision, recall, f1, roc_auc) in the window's `performance` and in the
   * metrics alert rules see (e.g. `performanceDrop('estimated_accuracy', 0.05, { baseline: 0.9 })`).
   */
  estimatePerformance?: CbpeWatchOptions;
  /**
   * Feature profiles and data quality per window (needs `reference`; off by
   * default). Each window then carries `profiles` (feature → base64 profile, no
   * raw values; categories seen fewer than `minCategoryCount` times are left
   * out) and `quality_<feature>_<kind>` entries in `performance`; alert rules see
   * `quality[feature]` (see `dataQuality`), and the default rules include a
   * `data_quality` rule. Computed in the engine: in a worker of its own when
   * `engine` runs in a worker (the caller only hands the window's columns over),
   * in-process otherwise (see docs/fleet.md).
   */
  profiles?: EdgeProfilesOptions;
  /** Fewest feature rows (and predictions, for output drift) a window needs for a drift check (default 30). */
  minDriftRows?: number;
  /** Most feature rows buffered per window; later rows are dropped and counted (default 10 000). */
  maxBufferedRows?: number;
  /** Holdout metrics; enables `degradation` and the default `performanceDrop` rules. */
  baseline?: Readonly<Partial<Record<DegradableMetric, number>>>;
  /** PerformanceMonitor options (its rolling window; default `windowSize` = `windowCount` or 1000). */
  performance?: Omit<PerformanceMonitorOptions, 'baseline' | 'now'>;
  /** Close a window after this many ms (default 60 000). */
  windowMs?: number;
  /** Also close a window after this many predictions. */
  windowCount?: number;
  /** Seal windows with no prediction, label or drop (default false: skip them). */
  sealEmpty?: boolean;
  /**
   * The outbox: a store, options to open one, or `'memory'` (not durable: queued
   * windows are lost on restart). Default: in Node (robot consoles, Electron's
   * main process) a file store at `<dataDir>/<model name>.outbox.json`; in a
   * page or Web Worker IndexedDB (memory, with a warning, when IndexedDB is refused).
   */
  store?: WindowStore | WindowStoreOptions | 'memory';
  /**
   * Node: the directory of the default file outbox (created when missing).
   * Default `defaultDataDir()`: `$EDGEWATCH_DATA_DIR`, else `~/.edgewatch`.
   */
  dataDir?: string;
  /** Receives the start-up line saying which outbox is used (default `console`). */
  logger?: EdgeLogger;
  /** Collector ingest URL (or flusher options): enables a `Flusher`. */
  endpoint?: EdgeEndpointOption;
  /**
   * Alert rules (default: `performanceDrop` per baseline metric, `latencyAbove('p99')`,
   * `driftDetected()`, `outputDriftDetected()`, and with `profiles`
   * `dataQuality({ maxMissingShare: 0.1, maxInvalidShare: 0.01, maxOutOfRangeShare: 0.05,
   * maxNewCategoryShare: 0.05 })`, named `data_quality`).
   */
  rules?: readonly AlertRule<AlertMetrics>[];
  /** Threshold of the default p99 latency rule, ms (default 250). */
  latencyP99Ms?: number;
  /** Retraining: the `RetrainTrigger` options less `detector` (the window's drift result decides). */
  retrain?: Omit<RetrainTriggerOptions<TableDriftResult, TableDriftResult, unknown>, 'detector'>;
  /** Keep every prediction in the store's prediction log; `true` also attaches it to windows. */
  predictionLog?:
    | boolean
    | {
        /** Also attach the logged predictions to each window sent. */
        flush: boolean;
      };
  /** Engine for the sketches and drift (default: the shared default engine). */
  engine?: EngineHandle;
  /** Clock, epoch ms (default `Date.now`). */
  now?: () => number;
}

/** Options after validation and defaults. */
export interface ResolvedEdgeOptions {
  windowMs: number;
  windowCount: number | undefined;
  minDriftRows: number;
  maxBufferedRows: number;
  latencyP99Ms: number;
  logPredictions: boolean;
  flushPredictions: boolean;
  sealEmpty: boolean;
  now: () => number;
}

function positive(name: string, v: unknown, dflt: number, integer = false): number {
  return optionalNumber(name, v ?? undefined, dflt, { above: 0, integer }); // null: the default
}

/**
 * Validates the options that are not validated by the parts they configure.
 *
 * @param o - the options given.
 * @returns the resolved scalars.
 * @throws ConfigError on a missing model, a bad number, a non-function clock.
 * @example
 * resolveEdgeOptions({ model: { name: 'm', version: '1' } }).windowMs; // => 60000
 */
export function resolveEdgeOptions(o: EdgeMonitorOptions): ResolvedEdgeOptions {
  optionsObject(o);
  const m = o.model as Partial<{ name: unknown; version: unknown; registry: unknown }> | undefined;
  if (m === null || typeof m !== 'object' || typeof m.name !== 'string' || m.name.length === 0)
    throw new ConfigError(
      `expected model to be { name, version } or { registry, name }, got ${describeValue(o.model)}`,
    );
  if (m.registry === undefined) nonEmptyString('model.version', m.version);
  optionalFunction('now', o.now);
  if (o.dataDir !== undefined && (typeof o.dataDir !== 'string' || o.dataDir.length === 0))
    throw new ConfigError(
      `expected dataDir to be a non-empty directory path, got ${describeValue(o.dataDir)}`,
    );
  const logger = o.logger as Partial<EdgeLogger> | undefined;
  if (
    logger !== undefined &&
    (typeof logger?.info !== 'function' || typeof logger.warn !== 'function')
  )
    throw new ConfigError(
      `expected logger to have info() and warn() methods, got ${describeValue(o.logger)}`,
    );
  if (o.rules !== undefined && !Array.isArray(o.rules))
    throw new ConfigError(
      `expected rules to be an array of AlertRule, got ${describeValue(o.rules)}`,
    );
  const log = o.predictionLog;
  if (log !== undefined && typeof log !== 'boolean' && typeof log?.flush !== 'boolean')
    throw new ConfigError(
      `expected predictionLog to be a boolean or { flush: boolean }, got ${describeValue(log)}`,
    );
  return {
    windowMs: positive('windowMs', o.windowMs, 60_000),
    windowCount:
      o.windowCount === undefined ? undefined : positive('windowCount', o.windowCount, 1, true),
    minDriftRows: positive('minDriftRows', o.minDriftRows, 30, true),
    maxBufferedRows: positive('maxBufferedRows', o.maxBufferedRows, 10_000, true),
    latencyP99Ms: positive('latencyP99Ms', o.latencyP99Ms, 250),
    logPredictions: log !== undefined && log !== false,
    flushPredictions: log === true || (typeof log === 'object' && log.flush),
    sealEmpty: o.sealEmpty === true,
    now: o.now ?? Date.now,
  };
}

/**
 * The limits of the default `data_quality` rule (a monitor with `profiles` and
 * no `rules` of its own): it fires when, in a window, some profiled feature has
 * more than 10 % missing values, more than 1 % values of the wrong type, more
 * than 5 % of its present values outside the reference's [min, max] (numeric),
 * or more than 5 % of its present values in categories the reference never had
 * (categorical). A constant column is not flagged by default (a flag that rarely
 * changes is constant in most windows); pass your own `dataQuality` rule for that.
 */
export const DEFAULT_QUALITY_LIMITS = {
  maxMissingShare: 0.1,
  maxInvalidShare: 0.01,
  maxOutOfRangeShare: 0.05,
  maxNewCategoryShare: 0.05,
} as const;

/**
 * The default rules: a 5% `performanceDrop` per baseline metric, p99 latency
 * above `latencyP99Ms`, table drift (when a reference is given), output
 * drift (when a prediction reference is given) and data quality with
 * {@link DEFAULT_QUALITY_LIMITS} (when feature profiles are on).
 *
 * @param baseline - the baseline metrics (none: no performance rule).
 * @param latencyP99Ms - threshold of the latency rule.
 * @param drift - whether input drift is checked.
 * @param outputDrift - whether output drift is checked.
 * @param profiles - whether feature profiles (and their quality figures) are computed.
 * @returns the rules.
 * @example
 * defaultRules({ accuracy: 0.9 }, 250, true, true, true).map((r) => r.name);
 * // => ['accuracy_drop', 'latency_p99_above', 'drift', 'output_drift', 'data_quality']
 */
export function defaultRules(
  baseline: EdgeMonitorOptions['baseline'],
  latencyP99Ms: number,
  drift: boolean,
  outputDrift = false,
  profiles = false,
): AlertRule<AlertMetrics>[] {
  const rules = Object.keys(baseline ?? {}).map((k) => performanceDrop(k, 0.05));
  rules.push(latencyAbove('p99', latencyP99Ms));
  if (drift) rules.push(driftDetected());
  if (outputDrift) rules.push(outputDriftDetected());
  if (profiles) rules.push(dataQuality(DEFAULT_QUALITY_LIMITS));
  return rules;
}
