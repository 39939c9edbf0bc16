/**
 * The state the fleet aggregator keeps and the renderer reads: per (model,
 * version, device) aggregates maintained at ingest, label caps, and the names
 * shared by both. Keys are structural (JSON arrays of the parts), so no label
 * value can collide with another by containing a separator.
 */

/** Label value shared by every value beyond a cap (devices, models, versions, features). */
export const OVERFLOW_DEVICE = '_overflow';
/** Name of the fleet-merged latency summary (exact merge across devices). */
export const FLEET_LATENCY_METRIC = 'edgewatch_fleet_prediction_latency_seconds';
/** The sketch name that carries prediction latency in milliseconds. */
export const LATENCY_SKETCH = 'latency';
/** Quantiles exposed for fleet sketches. */
export const FLEET_QUANTILES = [0.5, 0.9, 0.99, 0.999] as const;

/**
 * A collision-free map key for a tuple of strings.
 *
 * @param parts - the key's parts.
 * @returns their JSON array text.
 */
export function tupleKey(...parts: string[]): string {
  return JSON.stringify(parts);
}

/** Latency of one series as classic cumulative buckets, summed window by window at ingest. */
export interface ClassicLatency {
  /** Cumulative count per `LATENCY_BUCKETS_MS` boundary. */
  cumulative: Float64Array;
  count: number;
  /** Sum in ms. */
  sum: number;
}

/** The latest drift result of one (feature, method). */
export interface DriftGauge {
  feature: string;
  /** Input feature, the model's output (predictions), the features together, or a vector column. */
  source: 'feature' | 'output' | 'multivariate' | 'embedding';
  method: string;
  statistic: number;
  pValue?: number;
  isDrift: boolean;
  /** Ingest time (ms) of the window that set it (for the TTL). */
  seenMs: number;
}

/** Per (model, version, device) state. */
export interface DeviceState {
  model: string;
  version: string;
  device: string;
  counters: Map<string, number>;
  latency?: ClassicLatency;
  latestEnd: number;
  /** Ingest time (ms) of the latest window (for the TTL). */
  seenMs: number;
  performance: Map<string, number>;
  drift: Map<string, DriftGauge>;
  driftShare?: number;
  /** Alert counts keyed by {@link tupleKey}(name, severity). */
  alerts: Map<string, { alert: string; severity: string; count: number }>;
  drops: Map<string, number>;
  /** The state's exposition sample lines per per-state family, until the state changes. */
  rendered?: string[];
}

/** Fleet-level summary of one sketch (exact merge of every device's windows). */
export interface FleetSketchSummary {
  /** Model name. */
  model: string;
  /** Model version. */
  version: string;
  /** Sketch name as sent by devices (e.g. `'latency'`, in ms). */
  sketch: string;
  /** The sketch's exponential scale (resolution). */
  scale: number;
  /** Values merged across the fleet. */
  count: number;
  /** Sum of the merged values, in the sketch's units. */
  sum: number;
  /** Smallest merged value. */
  min: number;
  /** Largest merged value. */
  max: number;
  /** Quantile (as a string: `'0.5'`, `'0.9'`, `'0.99'`, `'0.999'`) → value, in the sketch's units. */
  quantiles: Record<string, number>;
}

/**
 * Admits at most `max` distinct values of one label; the rest share
 * {@link OVERFLOW_DEVICE} and are counted. Values unseen for a TTL are pruned,
 * which frees their slot.
 */
export class LabelCap {
  private readonly admitted = new Map<string, number>();
  private readonly folded = new Map<string, number>();

  /** @param max - most distinct values kept as their own label. */
  constructor(private readonly max: number) {}

  /**
   * The label for `value`.
   *
   * @param value - the raw value.
   * @param nowMs - ingest time.
   * @returns `value`, or `_overflow` past the cap.
   */
  label(value: string, nowMs: number): string {
    if (this.admitted.has(value) || this.admitted.size < this.max) {
      this.admitted.set(value, nowMs);
      return value;
    }
    this.folded.set(value, nowMs);
    return OVERFLOW_DEVICE;
  }

  /** Distinct values folded into `_overflow` (within the TTL). */
  get overflow(): number {
    return this.folded.size;
  }

  /** Forgets values last seen before `cutoffMs`. */
  prune(cutoffMs: number): void {
    for (const m of [this.admitted, this.folded])
      for (const [v, t] of m) if (t < cutoffMs) m.delete(v);
  }

  /** The values admitted and folded, with when each was last seen (for a snapshot). */
  state(): LabelCapState {
    return { admitted: [...this.admitted], folded: [...this.folded] };
  }

  /**
   * A cap holding a snapshot's values.
   *
   * @param max - most distinct values kept as their own label.
   * @param state - from {@link LabelCap.state}.
   * @returns the cap.
   */
  static from(max: number, state: LabelCapState): LabelCap {
    const cap = new LabelCap(max);
    for (const [v, t] of state.admitted) cap.admitted.set(v, t);
    for (const [v, t] of state.folded) cap.folded.set(v, t);
    return cap;
  }
}

/** A {@link LabelCap}'s values in insertion order, each with when it was last seen. */
export interface LabelCapState {
  admitted: [string, number][];
  folded: [string, number][];
}
