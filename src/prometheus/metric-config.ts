/**
 * The options every Prometheus metric takes, and their validation at
 * construction ("expected …, got …" ConfigErrors), apart from the metric class
 * that holds the series.
 */
import { ConfigError, describeValue } from '../errors.js';
import { numberOption, optionsObject } from '../util/options.js';
import type { MetricType } from '../export/prom-model.js';
import {
  isValidLabelName,
  isValidMetricName,
  counterBaseName,
  UNIT_RE,
} from '../export/prom-names.js';
import type { Registry } from './registry.js';

/** Label values for a label set: one string (or number) per label name. */
export type LabelValues<L extends string> = { readonly [K in L]: string | number };

/** Default cap on the number of series (label sets) per metric. */
export const DEFAULT_MAX_SERIES = 2000;

/** Label value every label takes in the overflow series. */
export const OVERFLOW_LABEL_VALUE = '__overflow__';

/** Options every metric takes (prom-client's shape, plus `registry`, `unit`, `maxSeries`). */
export interface MetricConfig<L extends string> {
  /** Metric name, `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
  name: string;
  /** Help text (any string; escaped on output). */
  help: string;
  /** Label names, `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__`, unique. */
  labelNames?: readonly L[];
  /** OpenMetrics unit (e.g. `seconds`); the name (without `_total`) must end in `_<unit>`. */
  unit?: string;
  /** Registry to register in; `null` registers nowhere. Default: the shared `defaultRegistry` (exported by `edgewatch/prometheus`). */
  registry?: Registry | null;
  /** prom-client style: registries to register in (overrides `registry`). */
  registers?: readonly Registry[];
  /**
   * Most series (label sets) kept; further label sets are folded into one
   * overflow series whose labels are all `"__overflow__"`, and counted. Default 2000.
   */
  maxSeries?: number;
}

/** A validated {@link MetricConfig}, with defaults applied. */
export interface ValidatedMetricConfig<L extends string> {
  /** Metric name. */
  readonly name: string;
  /** Help text. */
  readonly help: string;
  /** Label names, frozen, in order. */
  readonly labelNames: readonly L[];
  /** The label names as a set, for O(1) membership checks. */
  readonly labelSet: ReadonlySet<string>;
  /** OpenMetrics unit, if any. */
  readonly unit: string | undefined;
  /** Series cap. */
  readonly maxSeries: number;
}

/**
 * Validates a metric's options.
 *
 * @param type - metric type (counters may carry `_total` after the unit).
 * @param config - the options as given.
 * @param reserved - label names the type reserves (`le`, `quantile`).
 * @param collect - the scrape-time callback, if any.
 * @returns the options with defaults applied.
 * @throws ConfigError on an invalid name, help, label name, unit, cap or callback.
 * @example validateMetricConfig('gauge', { name: 'temp_c', help: 't' }, [], undefined).maxSeries // => 2000
 */
export function validateMetricConfig<L extends string>(
  type: MetricType,
  config: MetricConfig<L>,
  reserved: readonly string[],
  collect: unknown,
): ValidatedMetricConfig<L> {
  optionsObject(config);
  const { name, help, labelNames = [], unit, maxSeries = DEFAULT_MAX_SERIES } = config;
  if (!isValidMetricName(name)) {
    throw new ConfigError(
      `expected a metric name matching [a-zA-Z_:][a-zA-Z0-9_:]*, got ${describeValue(name)}`,
    );
  }
  if (typeof help !== 'string')
    throw new ConfigError(`expected help to be a string, got ${describeValue(help)}`);
  if (!Array.isArray(labelNames))
    throw new ConfigError(`expected labelNames to be an array, got ${describeValue(labelNames)}`);
  const seen = new Set<string>();
  for (const l of labelNames as readonly unknown[]) {
    if (!isValidLabelName(l)) {
      throw new ConfigError(
        `expected label names matching [a-zA-Z_][a-zA-Z0-9_]* not starting with "__", got ${describeValue(l)} in metric "${name}"`,
      );
    }
    if (reserved.includes(l))
      throw new ConfigError(
        `expected no reserved label "${l}" on a ${type}, got it in metric "${name}"`,
      );
    if (seen.has(l))
      throw new ConfigError(`expected unique label names, got "${l}" twice in metric "${name}"`);
    seen.add(l);
  }
  if (unit !== undefined) {
    if (typeof unit !== 'string' || !UNIT_RE.test(unit))
      throw new ConfigError(`expected unit matching [a-zA-Z0-9_]+, got ${describeValue(unit)}`);
    const base = type === 'counter' ? counterBaseName(name) : name;
    if (!base.endsWith(`_${unit}`))
      throw new ConfigError(
        `expected metric name "${base}" to end with "_${unit}" (OpenMetrics unit), got it without`,
      );
  }
  numberOption('maxSeries', maxSeries, { above: 0, integer: true });
  if (collect !== undefined && typeof collect !== 'function')
    throw new ConfigError(`expected collect to be a function, got ${describeValue(collect)}`);
  return {
    name,
    help,
    labelNames: Object.freeze([...labelNames]),
    labelSet: seen,
    unit,
    maxSeries,
  };
}
