/**
 * The parts of edgewatch's public API (docs/api.md) that the demo relies
 * on, as the demo reads them (`edgewatch.ts` narrows the library's classes to these).
 */

/** One feature's drift result (docs/api.md `DriftResult`, the fields the page shows). */
export interface DemoDriftResult {
  isDrift: boolean;
  method: string;
  statistic: number;
  pValue?: number;
  threshold: number;
  meanShift: number;
  stdShift: number;
  referenceSize: number;
  currentSize: number;
  missing: { reference: number; current: number };
}

/** Drift result of a table. */
export interface DemoTableDrift {
  isDrift: boolean;
  driftShare: number;
  features: Record<string, DemoDriftResult>;
}

/** Latency percentiles (docs/api.md `LatencyTracker.percentiles()`). */
export interface DemoPercentiles {
  p50: number;
  p95: number;
  p99: number;
  p999?: number;
  count: number;
  min?: number;
  max?: number;
  mean?: number;
  dropped?: number;
}

/** Performance metrics (docs/api.md `PerformanceMonitor.getMetrics()`, the fields the page uses). */
export interface DemoMetrics {
  accuracy: number;
  numSamples: number;
  dropped?: number;
  degradation?: Record<string, number>;
  [key: string]: unknown;
}

/** `'info' | 'warning' | 'critical'`. */
export type DemoSeverity = 'info' | 'warning' | 'critical';

/** An alert as fired or resolved. */
/** Accuracy estimated without labels (CBPE) for one window, with its 95 % band. */
export interface DemoEstimate {
  value: number;
  lower: number;
  upper: number;
}

/** An alert as the page shows it. */
export interface DemoAlert {
  name: string;
  severity: DemoSeverity;
  firedAt: number;
  resolvedAt?: number;
  metrics: Record<string, unknown>;
  state: string;
  description?: string;
}

/** A/B decision (docs/api.md `ABTest.decide()`). */
export interface DemoDecision {
  decision: 'promote' | 'keep' | 'continue';
  pValue: number;
  effect: number;
  samples: { control: number; candidate: number };
}

/** What the outbox panel shows. */
export interface DemoOutboxStatus {
  queued: number;
  sent: number;
  dropped: number;
  /** Flush state in words (idle, sending, backing off until …, memory only …). */
  state: string;
  /** Whether the last delivery to the collector succeeded. */
  connected: boolean;
}
