/**
 * Fleet aggregation in the collector: folds every ingested window, once, into
 * per (model, version, device) aggregates — counters, latest gauges, classic
 * latency buckets — and merges sketches exactly (bucket counts add) per model
 * and version with the reference kernel. `/metrics` renders these aggregates,
 * so a scrape costs O(series), whatever the number of stored windows or the
 * extent of their sketches. Labels are capped (devices, models, versions per
 * model, features and other names per model): values past a cap share the
 * `_overflow` label and are counted. Series unseen for the TTL are dropped, as
 * Prometheus marks a vanished series stale. Feature profiles go to a
 * {@link FleetProfiles}; fleet drift gauges are computed from it at scrape time.
 */
import type { Kernel, WorkerSketchKernel } from '../kernel/kernel.js';
import { createReferenceKernel } from '../kernel/reference/index.js';
import { decodeSketch, type DecodedSketch } from '../kernel/sketch-format.js';
import { LATENCY_BUCKETS_MS } from '../export/metric-names.js';
import { formatFamilyHeader, formatSamples, type ExpositionFormat } from '../export/exposition.js';
import type { MetricFamily } from '../export/prom-model.js';
import { classicFromSketch } from '../prometheus/prom-sketch.js';
import { base64ToBytes } from '../window/base64.js';
import type { WindowRecord } from '../window/window-record.js';
import {
  RENDER_SLICE_MS,
  renderFleetExposition,
  renderFleetFamilies,
  renderState,
} from './fleet-metrics.js';
import { fleetDriftFamilies } from './fleet-drift.js';
import { FleetProfiles, type FleetProfilesState } from './fleet-profiles.js';
import { decodedOf, type DecodedWindow } from './ingest.js';
import {
  FLEET_QUANTILES,
  LATENCY_SKETCH,
  LabelCap,
  tupleKey,
  type DeviceState,
  type DriftGauge,
  type FleetSketchSummary,
  type LabelCapState,
} from './fleet-state.js';

export {
  FLEET_LATENCY_METRIC,
  FLEET_QUANTILES,
  LATENCY_SKETCH,
  OVERFLOW_DEVICE,
} from './fleet-state.js';
export type { DeviceState, FleetSketchSummary } from './fleet-state.js';

/** Label caps and the series TTL of a {@link FleetAggregator}. */
export interface FleetLimits {
  /** Distinct device labels. Default 1000. */
  maxDevices?: number;
  /** Distinct model names. Default 100. */
  maxModels?: number;
  /** Distinct versions per model. Default 20. */
  maxVersions?: number;
  /** Distinct names per model and kind (drift features, sketches, metrics, alerts, drop reasons). Default 200. */
  maxFeatures?: number;
  /** Series not updated for this long (ms, by ingest time) are dropped. Default 24 h. */
  seriesTtlMs?: number;
}

/** Trailing range of the fleet drift gauges on `/metrics`. */
const FLEET_DRIFT_WINDOW_MS = 3_600_000;

/** Label kinds counted in `edgewatch_metric_series_overflow_total{metric}`. */
type NameKind = 'version' | 'feature' | 'sketch' | 'metric' | 'alert' | 'reason';

/**
 * Everything a {@link FleetAggregator} folded, as plain data (maps in insertion
 * order, sketches as bytes): what a snapshot stores so that a restart need not
 * replay every window. Caches (formatted lines, summaries) are left out. The
 * reference profiles are not part of it: they are stored apart.
 */
export interface AggregatorState {
  limits: Required<FleetLimits>;
  devices: LabelCapState;
  models: LabelCapState;
  names: [string, LabelCapState][];
  states: [string, Omit<DeviceState, 'rendered'>][];
  perDevice: [string, { windows: number; lastEnd: number; seenMs: number }][];
  fleet: [
    string,
    {
      bytes: Uint8Array;
      scale: number;
      model: string;
      version: string;
      sketch: string;
      seenMs: number;
    },
  ][];
  sketchErrors: [string, number][];
  profiles: FleetProfilesState;
}

interface FleetSketch {
  handle: number;
  scale: number;
  model: string;
  version: string;
  sketch: string;
  seenMs: number;
  summary?: FleetSketchSummary;
}

/**
 * The latency sketch of a window that was not decoded at ingest (a stored row),
 * decoded once for the classic buckets and the fleet timeline (the other
 * sketches only go to the kernel, which reads their bytes). One that does not
 * decode is left out: the folds count it as corrupt.
 */
function decodeLatency(rec: WindowRecord): DecodedWindow {
  const sketches: DecodedWindow['sketches'] = new Map();
  const b64 = rec.sketches[LATENCY_SKETCH];
  if (b64 !== undefined)
    try {
      const bytes = base64ToBytes(b64);
      sketches.set(LATENCY_SKETCH, { bytes, sketch: decodeSketch(bytes) });
    } catch {
      // Counted by the folds.
    }
  return { sketches, profiles: new Map() };
}

/** Folds windows into fleet state and renders it as metric families. */
export class FleetAggregator {
  private readonly kernel: Kernel;
  private readonly limits: Required<FleetLimits>;
  private devices: LabelCap;
  private models: LabelCap;
  private readonly names = new Map<string, LabelCap>();
  /**
   * The caps of {@link FleetAggregator.names} keyed by kind and model joined with
   * a NUL (no kind contains one, so keys cannot collide): a fold looks a cap up
   * several times per window without building its JSON key.
   */
  private readonly capsByKind = new Map<string, LabelCap>();
  private readonly states = new Map<string, DeviceState>();
  private readonly perDevice = new Map<
    string,
    { windows: number; lastEnd: number; seenMs: number }
  >();
  private readonly fleet = new Map<string, FleetSketch>();
  /** States changed since they were last formatted for `/metrics`. */
  private readonly unrendered = new Set<DeviceState>();
  private prerender: ReturnType<typeof setTimeout> | undefined;
  /** When the armed background formatting fires (`performance.now()` time). */
  private prerenderAt = 0;
  private readonly prerenderDelayMs: number;
  private readonly prerenderIntervalMs: number;
  /** When each state was last formatted in the background (`performance.now()` time). */
  private readonly prerenderedAt = new WeakMap<DeviceState, number>();
  /** Sketches that could not be merged (scale mismatch, corrupt), by reason. */
  readonly sketchErrors = new Map<string, number>();
  /** The fleet's feature profiles and the reference profiles (fleet drift). */
  readonly profiles: FleetProfiles;

  /**
   * @param options - label caps and TTL (the `FleetLimits` fields of `CollectorOptions`); `kernel`: for tests;
   *   `prerenderDelayMs`: how long after a change the background formatting of `/metrics` lines starts
   *   (default 1000; negative: only when scraped); `prerenderIntervalMs`: the shortest time between two
   *   background formattings of one series set (default 5000), so a series that changes with every
   *   window is not formatted once per window when scrapes come far less often.
   */
  constructor(
    options: FleetLimits & {
      kernel?: Kernel;
      prerenderDelayMs?: number;
      prerenderIntervalMs?: number;
    } = {},
  ) {
    this.kernel = options.kernel ?? createReferenceKernel();
    this.prerenderDelayMs = options.prerenderDelayMs ?? 1000;
    this.prerenderIntervalMs = options.prerenderIntervalMs ?? 5000;
    this.limits = {
      maxDevices: options.maxDevices ?? 1000,
      maxModels: options.maxModels ?? 100,
      maxVersions: options.maxVersions ?? 20,
      maxFeatures: options.maxFeatures ?? 200,
      seriesTtlMs: options.seriesTtlMs ?? 24 * 3_600_000,
    };
    this.devices = new LabelCap(this.limits.maxDevices);
    this.models = new LabelCap(this.limits.maxModels);
    this.profiles = new FleetProfiles({
      maxDevices: this.limits.maxDevices,
      maxFeatures: this.limits.maxFeatures,
      maxModelVersions: this.limits.maxModels * this.limits.maxVersions,
    });
  }

  private name(kind: NameKind, model: string, value: string, nowMs: number): string {
    const fast = `${kind}\0${model}`;
    let cap = this.capsByKind.get(fast);
    if (!cap) {
      const key = tupleKey(kind, model);
      cap = this.names.get(key);
      if (!cap) {
        cap = new LabelCap(kind === 'version' ? this.limits.maxVersions : this.limits.maxFeatures);
        this.names.set(key, cap);
      }
      this.capsByKind.set(fast, cap);
    }
    return cap.label(value, nowMs);
  }

  /**
   * Marks a state's `/metrics` lines stale, and schedules their formatting in
   * the background (in slices, between requests) so that a scrape finds them ready.
   */
  private invalidate(s: DeviceState): void {
    s.rendered = undefined;
    this.unrendered.add(s);
    if (this.prerenderDelayMs >= 0) this.schedulePrerender(this.prerenderDelayMs);
  }

  /** Arms the background formatting to run in `delayMs`, unless it is armed to run sooner. */
  private schedulePrerender(delayMs: number): void {
    const at = performance.now() + delayMs;
    if (this.prerender !== undefined) {
      if (this.prerenderAt <= at) return;
      clearTimeout(this.prerender);
    }
    this.prerenderAt = at;
    this.prerender = setTimeout(() => {
      this.prerender = undefined;
      this.renderPending();
    }, delayMs);
    this.prerender.unref?.();
  }

  /**
   * Formats stale states for at most one slice, then yields and goes on. A
   * state formatted here less than `prerenderIntervalMs` ago waits for its
   * turn (a scrape formats it if it comes first).
   */
  private renderPending(): void {
    const start = performance.now();
    let wait = Infinity;
    for (const s of this.unrendered) {
      if (s.rendered !== undefined) {
        this.unrendered.delete(s);
        continue;
      }
      const due = (this.prerenderedAt.get(s) ?? -Infinity) + this.prerenderIntervalMs - start;
      if (due > 0) {
        wait = Math.min(wait, due);
        continue;
      }
      this.unrendered.delete(s);
      renderState(s);
      const now = performance.now();
      this.prerenderedAt.set(s, now);
      if (now - start > RENDER_SLICE_MS) {
        this.schedulePrerender(0);
        return;
      }
    }
    if (wait !== Infinity) this.schedulePrerender(Math.max(this.prerenderDelayMs, wait));
  }

  private countError(reason: string): void {
    this.sketchErrors.set(reason, (this.sketchErrors.get(reason) ?? 0) + 1);
  }

  /**
   * Folds one (new, validated) window into the fleet state.
   *
   * @param rec - the window.
   * @param receivedMs - when it was ingested (drives the TTL). Default now.
   * Cost: O(size of the window's sketches + entries).
   */
  ingest(rec: WindowRecord, receivedMs = Date.now()): void {
    const now = receivedMs;
    const device = this.devices.label(rec.deviceId, now);
    const model = this.models.label(rec.model.name, now);
    const version = this.name('version', model, rec.model.version, now);
    const d = this.perDevice.get(device) ?? { windows: 0, lastEnd: 0, seenMs: now };
    d.windows++;
    d.lastEnd = Math.max(d.lastEnd, rec.end);
    d.seenMs = Math.max(d.seenMs, now);
    this.perDevice.set(device, d);
    const key = tupleKey(model, version, device);
    let s = this.states.get(key);
    if (!s) {
      s = {
        model,
        version,
        device,
        counters: new Map(),
        latestEnd: -Infinity,
        seenMs: now,
        performance: new Map(),
        drift: new Map(),
        alerts: new Map(),
        drops: new Map(),
      };
      this.states.set(key, s);
    }
    s.seenMs = Math.max(s.seenMs, now);
    this.invalidate(s);
    const predictions = rec.counters.predictions;
    if (predictions !== undefined)
      s.counters.set('predictions', (s.counters.get('predictions') ?? 0) + predictions);
    for (const [k, v] of Object.entries(rec.drops)) {
      const reason = this.name('reason', model, k, now);
      s.drops.set(reason, (s.drops.get(reason) ?? 0) + v);
    }
    for (const a of rec.alerts) {
      const alert = this.name('alert', model, a.name, now);
      const ak = tupleKey(alert, a.severity);
      const e = s.alerts.get(ak) ?? { alert, severity: a.severity, count: 0 };
      e.count++;
      s.alerts.set(ak, e);
    }
    // Gauges follow the latest window by end time, so replays out of order cannot regress them.
    if (rec.end >= s.latestEnd) {
      s.latestEnd = rec.end;
      const perf = Object.entries(rec.performance);
      if (perf.length > 0) {
        s.performance = new Map();
        for (const [k, v] of perf) s.performance.set(this.name('metric', model, k, now), v);
      }
      if (rec.drift.length > 0) {
        let features = 0;
        let drifted = 0;
        for (const x of rec.drift) {
          const source = x.source ?? 'feature';
          const feature = this.name('feature', model, x.feature, now);
          const g: DriftGauge = {
            feature,
            source,
            method: x.method,
            statistic: x.statistic,
            isDrift: x.isDrift,
            seenMs: now,
          };
          if (x.pValue !== undefined) g.pValue = x.pValue;
          s.drift.set(tupleKey(source, feature, x.method), g);
          if (source === 'feature') {
            features++;
            if (x.isDrift) drifted++;
          }
        }
        // The share is over input features; output drift has its own series.
        if (features > 0) s.driftShare = drifted / features;
      }
    }
    // Sketches and profiles decoded when the request was validated are not decoded again;
    // a stored window's latency sketch is decoded here, once, for both folds that read it.
    const pre = decodedOf(rec) ?? decodeLatency(rec);
    for (const [rawName, b64] of Object.entries(rec.sketches))
      this.foldSketch(s, rawName, b64, now, pre?.sketches.get(rawName));
    this.profiles.ingest(rec, pre);
  }

  private foldSketch(
    s: DeviceState,
    rawName: string,
    b64: string,
    now: number,
    pre: { bytes: Uint8Array; sketch: DecodedSketch } | undefined,
  ): void {
    const bytes = pre?.bytes ?? base64ToBytes(b64);
    let decoded = pre?.sketch;
    if (rawName === LATENCY_SKETCH) {
      try {
        decoded ??= decodeSketch(bytes);
      } catch {
        this.countError('corrupt');
        return;
      }
      const cum = classicFromSketch(decoded, LATENCY_BUCKETS_MS);
      const l = (s.latency ??= {
        cumulative: new Float64Array(LATENCY_BUCKETS_MS.length),
        count: 0,
        sum: 0,
      });
      for (let i = 0; i < cum.length; i++)
        l.cumulative[i] = (l.cumulative[i] as number) + (cum[i] as number);
      l.count += decoded.count;
      l.sum += decoded.sum;
    }
    let h: number;
    // Both built-in kernels load a decoded sketch: the fold merges what validation
    // decoded instead of decoding the bytes again.
    const loader = this.kernel as Partial<Pick<WorkerSketchKernel, 'sketchLoad'>>;
    try {
      h =
        decoded && loader.sketchLoad
          ? loader.sketchLoad(decoded)
          : this.kernel.sketchDeserialize(bytes);
    } catch {
      this.countError('corrupt');
      return;
    }
    // Byte 2 of the format is the scale (int8); reading it avoids copying the buckets.
    const scale = ((bytes[2] ?? 0) << 24) >> 24;
    const sketch = this.name('sketch', s.model, rawName, now);
    const fk = tupleKey(s.model, s.version, sketch);
    let f = this.fleet.get(fk);
    if (!f) {
      f = {
        handle: this.kernel.sketchCreate(scale),
        scale,
        model: s.model,
        version: s.version,
        sketch,
        seenMs: now,
      };
      this.fleet.set(fk, f);
    }
    if (f.scale !== scale) this.countError('scale_mismatch');
    else {
      this.kernel.sketchMerge(f.handle, h);
      f.seenMs = Math.max(f.seenMs, now);
      f.summary = undefined;
    }
    this.kernel.sketchFree(h);
  }

  /**
   * Everything folded so far, as plain data (see `AggregatorState`; for snapshots).
   *
   * @returns the state; shares nothing that a later fold mutates in place
   *   except the per-state maps, so serialize it before folding more.
   * @internal
   */
  exportState(): AggregatorState {
    return {
      limits: { ...this.limits },
      devices: this.devices.state(),
      models: this.models.state(),
      names: [...this.names].map(([k, cap]) => [k, cap.state()]),
      states: [...this.states].map(([k, { rendered: _r, ...rest }]) => [k, rest]),
      perDevice: [...this.perDevice].map(([k, d]) => [k, { ...d }]),
      fleet: [...this.fleet].map(([k, f]) => [
        k,
        {
          bytes: this.kernel.sketchSerialize(f.handle),
          scale: f.scale,
          model: f.model,
          version: f.version,
          sketch: f.sketch,
          seenMs: f.seenMs,
        },
      ]),
      sketchErrors: [...this.sketchErrors],
      profiles: this.profiles.exportState(),
    };
  }

  /**
   * Replaces what was folded with a snapshot's state (the reference profiles are kept).
   *
   * @param state - from `exportState()`, with the same limits.
   * @throws Error when the limits differ from this aggregator's (the caller then replays instead).
   * @internal
   */
  importState(state: AggregatorState): void {
    for (const k of Object.keys(this.limits) as (keyof FleetLimits)[])
      if (state.limits[k] !== this.limits[k])
        throw new Error(
          `snapshot taken with ${k} ${state.limits[k]}, running with ${this.limits[k]}`,
        );
    const handles: number[] = [];
    try {
      for (const [, f] of state.fleet) handles.push(this.kernel.sketchDeserialize(f.bytes));
      this.profiles.importState(state.profiles);
    } catch (e) {
      for (const h of handles) this.kernel.sketchFree(h);
      throw e;
    }
    for (const f of this.fleet.values()) this.kernel.sketchFree(f.handle);
    this.fleet.clear();
    state.fleet.forEach(([k, f], i) => {
      const { bytes: _b, ...rest } = f;
      this.fleet.set(k, { ...rest, handle: handles[i]! });
    });
    this.devices = LabelCap.from(this.limits.maxDevices, state.devices);
    this.models = LabelCap.from(this.limits.maxModels, state.models);
    this.names.clear();
    this.capsByKind.clear();
    for (const [k, cap] of state.names) {
      const kind = (JSON.parse(k) as string[])[0];
      this.names.set(
        k,
        LabelCap.from(kind === 'version' ? this.limits.maxVersions : this.limits.maxFeatures, cap),
      );
    }
    this.states.clear();
    this.unrendered.clear();
    for (const [k, s] of state.states) this.states.set(k, s);
    this.perDevice.clear();
    for (const [k, d] of state.perDevice) this.perDevice.set(k, d);
    this.sketchErrors.clear();
    for (const [k, n] of state.sketchErrors) this.sketchErrors.set(k, n);
  }

  /** Distinct devices folded into the overflow label. */
  get overflowDeviceCount(): number {
    return this.devices.overflow;
  }

  /** Distinct values folded into `_overflow`, by label kind. */
  overflowCounts(): Record<string, number> {
    const out: Record<string, number> = {
      device: this.devices.overflow,
      model: this.models.overflow,
    };
    for (const [key, cap] of this.names) {
      const kind = (JSON.parse(key) as string[])[0]!;
      out[kind] = (out[kind] ?? 0) + cap.overflow;
    }
    return out;
  }

  /**
   * Drops series and label slots unseen since `nowMs - seriesTtlMs`.
   *
   * @param nowMs - the current time.
   */
  prune(nowMs = Date.now()): void {
    const cutoff = nowMs - this.limits.seriesTtlMs;
    for (const [k, s] of this.states) {
      if (s.seenMs < cutoff) {
        this.states.delete(k);
        this.unrendered.delete(s);
      } else
        for (const [dk, g] of s.drift) {
          if (g.seenMs >= cutoff) continue;
          s.drift.delete(dk);
          this.invalidate(s);
        }
    }
    for (const [k, d] of this.perDevice) if (d.seenMs < cutoff) this.perDevice.delete(k);
    for (const [k, f] of this.fleet) {
      if (f.seenMs >= cutoff) continue;
      this.kernel.sketchFree(f.handle);
      this.fleet.delete(k);
    }
    this.devices.prune(cutoff);
    this.models.prune(cutoff);
    for (const cap of this.names.values()) cap.prune(cutoff);
  }

  /**
   * Exact fleet summaries of every sketch, per model and version (computed once per change).
   *
   * @returns one entry per (model, version, sketch).
   */
  fleetSketches(): FleetSketchSummary[] {
    const qs = Float64Array.from(FLEET_QUANTILES);
    return [...this.fleet.values()].map((f) => {
      if (f.summary) return f.summary;
      const st = this.kernel.sketchStats(f.handle);
      const qv = this.kernel.sketchQuantiles(f.handle, qs);
      const quantiles: Record<string, number> = {};
      FLEET_QUANTILES.forEach((q, i) => (quantiles[String(q)] = qv[i] as number));
      f.summary = {
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
      return f.summary;
    });
  }

  /** The serialized fleet sketch (tests compare it with an exact merge). */
  fleetSketchBytes(model: string, version: string, sketch: string): Uint8Array | undefined {
    const f = this.fleet.get(tupleKey(model, version, sketch));
    return f ? this.kernel.sketchSerialize(f.handle) : undefined;
  }

  /**
   * Everything ingested, as metric families for `/metrics` (stale series pruned first).
   *
   * @param nowMs - the current time (for the TTL).
   * @returns families named from `EDGEWATCH_METRICS` (plus the fleet latency summary).
   * Cost: O(series); fleet quantiles are recomputed only for sketches changed since the last call.
   */
  families(nowMs = Date.now()): MetricFamily[] {
    this.prune(nowMs);
    return [
      ...renderFleetFamilies(
        this.states.values(),
        this.perDevice,
        this.overflowCounts(),
        this.fleetSketches(),
      ),
      ...fleetDriftFamilies(
        this.profiles,
        nowMs,
        FLEET_DRIFT_WINDOW_MS,
        this.limits.maxModels * this.limits.maxVersions,
      ),
    ];
  }

  /**
   * The same samples as {@link FleetAggregator.families}, as exposition text
   * pieces to write in order (stale series pruned first). A series set's lines
   * are formatted once per change, not once per scrape.
   *
   * @param format - the exposition format.
   * @param nowMs - the current time (for the TTL).
   * @returns the pieces, without OpenMetrics' closing `# EOF`.
   * Cost: O(series) to collect, plus formatting of the series changed since the last
   * call, in slices that yield to the event loop.
   */
  async exposition(format: ExpositionFormat, nowMs = Date.now()): Promise<string[]> {
    this.prune(nowMs);
    const pieces = await renderFleetExposition(
      this.states.values(),
      this.perDevice,
      this.overflowCounts(),
      this.fleetSketches(),
      format,
    );
    const drift = fleetDriftFamilies(
      this.profiles,
      nowMs,
      FLEET_DRIFT_WINDOW_MS,
      this.limits.maxModels * this.limits.maxVersions,
    );
    for (const f of drift) pieces.push(formatFamilyHeader(f, format) + formatSamples(f, format));
    return pieces;
  }
}
