/**
 * What a `Registry` adds to its metrics' families at scrape time: default
 * labels, and the self-metrics (observations dropped, series overflow, failing
 * `collect` callbacks) that make silent losses visible.
 */
import { ConfigError, describeValue } from '../errors.js';
import type { Labels, MetricFamily, MetricType } from '../export/prom-model.js';
import { isValidLabelName } from '../export/prom-names.js';
import { EDGEWATCH_METRICS } from '../export/metric-names.js';

/** What a registry needs of a metric (every class in `src/prometheus` extends `Metric`). */
export interface RegistrableMetric {
  /** Metric name; unique within a registry. */
  readonly name: string;
  /** Metric type. */
  readonly type: MetricType;
  /** Label names, in order. */
  readonly labelNames: readonly string[];
  /** Runs the metric's scrape-time callback; errors propagate to the registry. */
  collect(): Promise<void>;
  /** The family snapshot, without running `collect`. */
  snapshot(): MetricFamily;
  /** Drops every series (drop counts are kept). */
  reset(): void;
  /** Observations dropped so far, by reason. */
  droppedCounts(): Record<string, number>;
  /** Observations folded into the overflow series because the series cap was reached. */
  readonly overflowCount: number;
}

/**
 * Validates default labels (see `Registry.setDefaultLabels`).
 *
 * @param labels - label name → value.
 * @returns the labels with string values, frozen.
 * @throws ConfigError on an invalid label name or a value that is not a string or number.
 * @example validateDefaultLabels({ device: 7 }) // => { device: '7' }
 */
export function validateDefaultLabels(labels: Record<string, string | number>): Labels {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    if (!isValidLabelName(k))
      throw new ConfigError(
        `expected default label names matching [a-zA-Z_][a-zA-Z0-9_]*, got ${describeValue(k)}`,
      );
    if (typeof v !== 'string' && typeof v !== 'number')
      throw new ConfigError(
        `expected default label "${k}" to be a string or number, got ${describeValue(v)}`,
      );
    out[k] = String(v);
  }
  return Object.freeze(out);
}

/**
 * A family with default labels added to every point (a point's own label of the same name wins).
 *
 * @param f - the family.
 * @param defaults - the default labels.
 * @returns `f` itself when there are none, else a copy. O(points).
 * @example withDefaultLabels(family, { device: 'a' })
 */
export function withDefaultLabels(f: MetricFamily, defaults: Labels): MetricFamily {
  if (Object.keys(defaults).length === 0) return f;
  const points = f.points.map((p) => ({ ...p, labels: { ...defaults, ...p.labels } }));
  return { ...f, points } as MetricFamily;
}

/**
 * The self-metric families, each only once non-zero and only when its name is
 * not taken by a registered metric.
 *
 * @param metrics - the registered metrics.
 * @param collectErrors - failed `collect` calls by metric name.
 * @param taken - exposed sample names already registered.
 * @returns the counter families (without default labels). O(metrics).
 * @example selfMetricFamilies([], new Map([['m', 1]]), new Map()) // => [edgewatch_metric_collect_errors_total{metric="m"} 1]
 */
export function selfMetricFamilies(
  metrics: Iterable<RegistrableMetric>,
  collectErrors: ReadonlyMap<string, number>,
  taken: ReadonlyMap<string, string>,
): MetricFamily[] {
  const dropped: { labels: Labels; value: number }[] = [];
  const overflow: { labels: Labels; value: number }[] = [];
  for (const m of metrics) {
    for (const [reason, value] of Object.entries(m.droppedCounts()))
      dropped.push({ labels: { metric: m.name, reason }, value });
    if (m.overflowCount > 0) overflow.push({ labels: { metric: m.name }, value: m.overflowCount });
  }
  const errors = [...collectErrors].map(([metric, value]) => ({
    labels: { metric },
    value,
  }));
  const families: MetricFamily[] = [];
  const add = (name: string, help: string, points: { labels: Labels; value: number }[]): void => {
    if (points.length > 0 && !taken.has(name))
      families.push({ type: 'counter', name, help, points });
  };
  add(
    EDGEWATCH_METRICS.samplesDropped,
    'Observations dropped by a metric (NaN, non-finite).',
    dropped,
  );
  add(
    EDGEWATCH_METRICS.seriesOverflow,
    'Observations folded into a metric overflow series (series cap reached).',
    overflow,
  );
  add(EDGEWATCH_METRICS.collectErrors, 'Scrape-time collect callbacks that threw.', errors);
  return families;
}
