/**
 * What `MonitorExporter` (src/metrics/prom-monitors.ts) reads of each
 * monitor (duck-typed, so no monitor module is imported) and the constant
 * labels every monitor series carries.
 */
import { ConfigError, describeValue } from '../errors.js';
import type { Registry } from '../prometheus/registry.js';

/** The options every monitor takes to publish its metrics. */
export interface MonitorMetricsOptions {
  /**
   * Registry to publish this monitor's metrics in (through the registry's shared
   * `MonitorExporter`, loaded on demand). Without it nothing is registered,
   * nothing is loaded and nothing costs.
   */
  registry?: Registry;
  /**
   * Constant labels of this monitor's series: `model`, `model_version`, `device`
   * (missing ones are exported as ""). Two monitors of the same kind on one
   * registry need distinct labels. Other constant labels: `registry.setDefaultLabels`.
   */
  labels?: SourceLabels;
}

/** Labels identifying a monitored source. */
export interface SourceLabels {
  model?: string;
  model_version?: string;
  device?: string;
}

/** What `MonitorExporter.addLatency` needs of a LatencyTracker (milliseconds). */
export interface LatencySource {
  snapshot(): Promise<{ sketch: Uint8Array; percentiles: { dropped: number } }>;
}
/** What `MonitorExporter.addPerformance` needs of a PerformanceMonitor. */
export interface PerformanceSource {
  getMetrics(): { [metric: string]: unknown; degradation?: Record<string, number> };
}
/** What `MonitorExporter.addCollector` needs of a MetricsCollector. */
export interface CollectorSource {
  snapshot(): Promise<
    Record<
      string,
      { count: number; sum: number; p50: number; p95: number; p99: number; dropped: number }
    >
  >;
  readonly droppedNames: number;
}
/** What `MonitorExporter.addAlerts` needs of an AlertSystem. */
export interface AlertSource {
  firing(): readonly { name: string; severity: string }[];
  on(event: 'fire', fn: (alert: { name: string; severity: string }) => void): () => void;
}
/** One drift result (DriftDetector, one feature). */
export interface DriftResultLike {
  isDrift: boolean;
  method: string;
  statistic: number;
  pValue?: number;
  /** Missing values excluded from the test; `current` is counted as dropped. */
  missing?: { current: number };
}
/** A table drift result (DriftDetector on a record of columns). */
export interface DriftTableLike {
  isDrift: boolean;
  driftShare: number;
  features: Record<string, DriftResultLike>;
}

/** The constant label names of every monitor series. */
export const BASE = ['model', 'model_version', 'device'] as const;
/** A constant label name. */
export type Base = (typeof BASE)[number];
/** Performance fields that are bookkeeping, not metrics. */
export const NOT_METRICS = new Set([
  'numSamples',
  'dropped',
  'degradation',
  'pendingLabels',
  'expiredLabels',
  'unmatchedLabels',
]);
/** Cumulative drop counts of a performance monitor → `reason` label of `edgewatch_values_dropped_total`. */
export const PERFORMANCE_DROPS: readonly (readonly [string, string])[] = [
  ['dropped', 'performance'],
  ['expiredLabels', 'label_expired'],
  ['unmatchedLabels', 'label_unmatched'],
];

/**
 * Validates source labels and fills the missing ones with "".
 *
 * @param labels - model, model_version, device.
 * @returns all three labels.
 * @throws ConfigError on another key or a non-string value.
 */
export function baseLabels(labels: SourceLabels): Record<Base, string> {
  if (typeof labels !== 'object' || labels === null)
    throw new ConfigError(`expected labels to be an object, got ${describeValue(labels)}`);
  for (const [k, v] of Object.entries(labels)) {
    if (!(BASE as readonly string[]).includes(k))
      throw new ConfigError(`expected labels among ${JSON.stringify(BASE)}, got "${k}"`);
    if (typeof v !== 'string' && v !== undefined)
      throw new ConfigError(`expected label "${k}" to be a string, got ${describeValue(v)}`);
  }
  return {
    model: labels.model ?? '',
    model_version: labels.model_version ?? '',
    device: labels.device ?? '',
  };
}
