/**
 * Fleet aggregation in the collector: folds every ingested window into
 * per-device state and merges sketches exactly — bucket counts add — across
 * windows and devices, with the reference kernel (the same code the devices'
 * sketches were checked against). Device labels are capped; devices past the
 * cap share the `_overflow` label and are counted.
 */
import type { Kernel } from '../kernel/kernel.js';
import { createReferenceKernel } from '../kernel/reference/index.js';
import type { MetricFamily } from '../export/prom-model.js';
import { renderFleetFamilies } from './fleet-metrics.js';
import { base64ToBytes } from '../window/base64.js';
import type { WindowRecord } from '../window/window-record.js';

/** Label value shared by devices beyond the cap. */
export const OVERFLOW_DEVICE = '_overflow';
/** Name of the fleet-merged latency summary (exact merge across devices). */
export const FLEET_LATENCY_METRIC = 'edgewatch_fleet_prediction_latency_seconds';
/** The sketch name that carries prediction latency in milliseconds. */
export const LATENCY_SKETCH = 'latency';
/** Quantiles exposed for fleet sketches. */
export const FLEET_QUANTILES = [0.5, 0.9, 0.99, 0.999] as const;

/** A merged sketch and its scale. */
export interface Merged {
  handle: number;
  scale: number;
}

/** Per (model, version, device) state. */
export interface DeviceState {
  model: string;
  version: string;
  device: string;
  counters: Map<string, number>;
  latency?: Merged;
  latestEnd: number;
  performance: Record<string, number>;
  /** Latest drift rows by source, feature and method (output rows: source `'output'`). */
  drift: Map<
    string,
    {
      feature: string;
      source: 'feature' | 'output';
      method: string;
      statistic: number;
      pValue?: number;
      isDrift: boolean;
    }
  >;
  driftShare?: number;
  alerts: Map<string, number>;
  drops: Map<string, number>;
}

/** Fleet-level summary of one sketch (exact merge of every device's windows). */
export interface FleetSketchSummary {
  model: string;
  version: string;
  sketch: string;
  scale: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  quantiles: Record<string, number>;
}

/** Key separator (never in a label value that matters). */
export const SEP = '\u0000';

/** Folds windows into fleet state and renders it as metric families. */
export class FleetAggregator {
  private readonly kernel: Kernel;
  private readonly maxDevices: number;
  private readonly deviceLabels = new Map<string, string>();
  private readonly overflowDevices = new Set<string>();
  private readonly states = new Map<string, DeviceState>();
  private readonly perDevice = new Map<string, { windows: number; lastEnd: number }>();
  private readonly fleet = new Map<
    string,
    Merged & { model: string; version: string; sketch: string }
  >();
  /** Sketches that could not be merged (scale mismatch, corrupt), by reason. */
  readonly sketchErrors = new Map<string, number>();

  /**
   * @param options - `maxDevices`: device label cap (default 1000); `kernel`: for tests.
   */
  constructor(options: { maxDevices?: number; kernel?: Kernel } = {}) {
    this.kernel = options.kernel ?? createReferenceKernel();
    this.maxDevices = options.maxDevices ?? 1000;
  }

  private deviceLabel(device: string): string {
    const known = this.deviceLabels.get(device);
    if (known !== undefined) return known;
    if (this.deviceLabels.size - this.overflowDevices.size < this.maxDevices) {
      this.deviceLabels.set(device, device);
      return device;
    }
    this.overflowDevices.add(device);
    this.deviceLabels.set(device, OVERFLOW_DEVICE);
    return OVERFLOW_DEVICE;
  }

  /** Merges sketch `h` (scale `scale`) into `target`, creating it when missing. */
  private mergeInto(target: Merged | undefined, h: number, scale: number): Merged | undefined {
    if (!target) target = { handle: this.kernel.sketchCreate(scale), scale };
    if (target.scale !== scale) {
      this.sketchErrors.set('scale_mismatch', (this.sketchErrors.get('scale_mismatch') ?? 0) + 1);
      return target;
    }
    this.kernel.sketchMerge(target.handle, h);
    return target;
  }

  /**
   * Folds one (new, validated) window into the fleet state.
   *
   * @param rec - the window.
   * Cost: O(size of the window's sketches + entries).
   */
  ingest(rec: WindowRecord): void {
    const device = this.deviceLabel(rec.deviceId);
    const d = this.perDevice.get(device) ?? { windows: 0, lastEnd: 0 };
    d.windows++;
    d.lastEnd = Math.max(d.lastEnd, rec.end);
    this.perDevice.set(device, d);
    const key = [rec.model.name, rec.model.version, device].join(SEP);
    let s = this.states.get(key);
    if (!s) {
      s = {
        model: rec.model.name,
        version: rec.model.version,
        device,
        counters: new Map(),
        latestEnd: -Infinity,
        performance: {},
        drift: new Map(),
        alerts: new Map(),
        drops: new Map(),
      };
      this.states.set(key, s);
    }
    for (const [k, v] of Object.entries(rec.counters))
      s.counters.set(k, (s.counters.get(k) ?? 0) + v);
    for (const [k, v] of Object.entries(rec.drops)) s.drops.set(k, (s.drops.get(k) ?? 0) + v);
    for (const a of rec.alerts) {
      const ak = a.name + SEP + a.severity;
      s.alerts.set(ak, (s.alerts.get(ak) ?? 0) + 1);
    }
    // Gauges follow the latest window by end time, so replays out of order cannot regress them.
    if (rec.end >= s.latestEnd) {
      s.latestEnd = rec.end;
      if (Object.keys(rec.performance).length > 0) s.performance = { ...rec.performance };
      if (rec.drift.length > 0) {
        let features = 0;
        let drifted = 0;
        for (const x of rec.drift) {
          const source = x.source ?? 'feature';
          const v: DeviceState['drift'] extends Map<string, infer V> ? V : never = {
            feature: x.feature,
            source,
            method: x.method,
            statistic: x.statistic,
            isDrift: x.isDrift,
          };
          if (x.pValue !== undefined) v.pValue = x.pValue;
          s.drift.set(source + SEP + x.feature + SEP + x.method, v);
          if (source === 'feature') {
            features++;
            if (x.isDrift) drifted++;
          }
        }
        // The share is over input features; output drift has its own series.
        if (features > 0) s.driftShare = drifted / features;
      }
    }
    for (const [name, b64] of Object.entries(rec.sketches)) {
      const bytes = base64ToBytes(b64);
      let h: number;
      try {
        h = this.kernel.sketchDeserialize(bytes);
      } catch {
        this.sketchErrors.set('corrupt', (this.sketchErrors.get('corrupt') ?? 0) + 1);
        continue;
      }
      // Byte 2 of the format is the scale (int8); reading it avoids copying the buckets.
      const scale = ((bytes[2] ?? 0) << 24) >> 24;
      if (name === LATENCY_SKETCH) s.latency = this.mergeInto(s.latency, h, scale);
      const fk = [rec.model.name, rec.model.version, name].join(SEP);
      const f = this.fleet.get(fk);
      const merged = this.mergeInto(f, h, scale);
      if (merged && !f)
        this.fleet.set(fk, {
          ...merged,
          model: rec.model.name,
          version: rec.model.version,
          sketch: name,
        });
      this.kernel.sketchFree(h);
    }
  }

  /** Devices folded into the overflow label. */
  get overflowDeviceCount(): number {
    return this.overflowDevices.size;
  }

  /**
   * Exact fleet summaries of every sketch, per model and version.
   *
   * @returns one entry per (model, version, sketch).
   */
  fleetSketches(): FleetSketchSummary[] {
    const qs = Float64Array.from(FLEET_QUANTILES);
    return [...this.fleet.values()].map((f) => {
      const st = this.kernel.sketchStats(f.handle);
      const qv = this.kernel.sketchQuantiles(f.handle, qs);
      const quantiles: Record<string, number> = {};
      FLEET_QUANTILES.forEach((q, i) => (quantiles[String(q)] = qv[i] as number));
      return {
        model: f.model,
        version: f.version,
        sketch: f.sketch,
        scale: f.scale,
        count: st.count,
        sum: st.sum,
        min: st.min,
        max: st.max,
        quantiles,
      };
    });
  }

  /** The handle of a fleet sketch (tests compare it with an exact merge). */
  fleetSketchBytes(model: string, version: string, sketch: string): Uint8Array | undefined {
    const f = this.fleet.get([model, version, sketch].join(SEP));
    return f ? this.kernel.sketchSerialize(f.handle) : undefined;
  }

  /**
   * Everything ingested, as metric families for `/metrics`.
   *
   * @returns families named from `EDGEWATCH_METRICS` (plus the fleet latency summary).
   * Cost: O(series × buckets).
   */
  families(): MetricFamily[] {
    return renderFleetFamilies(
      this.kernel,
      this.states.values(),
      this.perDevice,
      this.overflowDevices.size,
      this.fleetSketches(),
    );
  }
}
