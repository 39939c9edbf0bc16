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
  /** Model name (default ""). */
  model?: string;
  /** Model version (default ""). */
  model_version?: string;
  /** Device identifier (default ""). */
  device?: string;
}

/** What `MonitorExporter.addLatency` needs of a LatencyTracker (milliseconds). */
export interface LatencySource {
  /** Reads the current state, at scrape time. */
  snapshot(): Promise<{
    /** The sketch's compact byte form (latencies in milliseconds). */
    sketch: Uint8Array;
    /** The percentiles; only the drop count is read. */
    percentiles: {
      /** Values refused so far (cumulative). */
      dropped: number;
    };
  }>;
}
/** What `MonitorExporter.addPerformance` needs of a PerformanceMonitor. */
export interface PerformanceSource {
  /** The current metrics, at scrape time; numeric fields other than bookkeeping become gauges. */
  getMetrics(): {
    [metric: string]: unknown;
    /** Relative degradation per metric against the baseline (0.05 = 5 % worse), `edgewatch_degradation_ratio`. */
    degradation?: Record<string, number>;
  };
}
/** What `MonitorExporter.addCollector` needs of a MetricsCollector. */
export interface CollectorSource {
  /** Per recorded name, its summary at scrape time. */
  snapshot(): Promise<
    Record<
      string,
      {
        /** Values recorded. */
        count: number;
        /** Sum of the values recorded. */
        sum: number;
        /** Median. */
        p50: number;
        /** 95th percentile. */
        p95: number;
        /** 99th percentile. */
        p99: number;
        /** Values refused for this name (cumulative). */
        dropped: number;
      }
    >
  >;
  /** Records refused for a bad name, a closed collector, or past `maxNames` (cumulative). */
  readonly droppedNames: number;
}
/** What `MonitorExporter.addAlerts` needs of an AlertSystem. */
export interface AlertSource {
  /** The alerts firing now, read at scrape time. */
  firing(): readonly {
    /** Alert name (`alert` label). */
    name: string;
    /** Alert severity (`severity` label). */
    severity: string;
  }[];
  /** Subscribes to each firing, counted in `edgewatch_alerts_fired_total`; returns the unsubscribe function. */
  on(event: 'fire', fn: (alert: { name: string; severity: string }) => void): () => void;
}
/** One drift result (DriftDetector, one feature). */
export interface DriftResultLike {
  /** Whether drift was detected (`edgewatch_drift_detected`, 1 or 0). */
  isDrift: boolean;
  /** Test used (`method` label). */
  method: string;
  /** Test statistic (`edgewatch_drift_statistic`). */
  statistic: number;
  /** p-value (`edgewatch_drift_p_value`), absent for tests without one. */
  pValue?: number;
  /** Missing values excluded from the test; `current` is counted as dropped. */
  missing?: {
    /** Missing values in the current sample. */
    current: number;
  };
}
/** A table drift result (DriftDetector on a record of columns). */
export interface DriftTableLike {
  /** Whether the table as a whole drifted. */
  isDrift: boolean;
  /** Fraction of features that drifted, 0 to 1 (`edgewatch_drift_share_ratio`). */
  driftShare: number;
  /** The result of each feature, by feature name. */
  features: Record<string, DriftResultLike>;
}

/** The constant label names of every monitor series. */
export const BASE = ['model', 'model_version', 'device'] as const;
/** A constant label name. */
export type Base = (typeof BASE)[number];

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
