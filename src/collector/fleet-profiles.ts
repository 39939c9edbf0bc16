/**
 * Fleet feature profiles in the collector: every window's profiles are decoded once
 * at ingest and merged twice — into fleet-wide profiles per (model version, 1-minute
 * bucket), which answer fleet drift and its timeline, and into per-device profiles per
 * (model version, device, 1-hour bucket), which answer the per-device breakdown — so a
 * query merges a few stored profiles instead of re-reading windows. Reference profiles
 * (one set per model version) are held beside them. Memory is bounded: at most
 * `maxDevices` devices per model version, `maxFeatures` features, `maxBuckets` fleet
 * buckets (a day of minutes) and `maxDeviceBuckets` device buckets (a day of hours);
 * the oldest go first, and what is not kept is counted in {@link FleetProfiles.dropped}.
 * With the defaults, 1,000 devices and 3 features hold about 1,000 × 24 × 3 device
 * profiles (≈ 0.5–1 KB each decoded) plus 1,440 × 3 fleet profiles.
 */
import { decodeSketch, type DecodedSide } from '../kernel/sketch-format.js';
import { decodeProfile } from '../profile/profile-format.js';
import { downscaleSketch, mergeSketches, type SketchContent } from '../profile/sketch-merge.js';
import { mergeProfiles } from '../profile/feature-profiler.js';
import type { FeatureProfile } from '../profile/profile-types.js';
import { base64ToBytes } from '../window/base64.js';
import type { WindowRecord } from '../window/window-record.js';
import { LATENCY_SKETCH, tupleKey } from './fleet-state.js';
import type { HourlyAggregate } from './hourly.js';
import type { DecodedWindow } from './ingest.js';

function covers(acc: DecodedSide, add: DecodedSide): boolean {
  return (
    add.counts.length === 0 ||
    (add.offset >= acc.offset && add.offset + add.counts.length <= acc.offset + acc.counts.length)
  );
}

/**
 * Adds `add` into `acc` in place when they share a scale and `acc`'s bucket
 * ranges cover `add`'s: the same result as `mergeSketches(acc, add)` without
 * allocating. O(buckets of `add`).
 *
 * @returns false (and `acc` untouched) when they do not; merge them the usual way then.
 */
function addInPlace(acc: SketchContent, add: SketchContent): boolean {
  if (acc.scale !== add.scale || !covers(acc.positive, add.positive)) return false;
  if (!covers(acc.negative, add.negative)) return false;
  for (const [a, b] of [
    [acc.positive, add.positive],
    [acc.negative, add.negative],
  ] as const) {
    const at = b.offset - a.offset;
    for (let i = 0; i < b.counts.length; i++)
      a.counts[at + i] = (a.counts[at + i] as number) + (b.counts[i] as number);
  }
  acc.count += add.count;
  acc.sum += add.sum;
  acc.min = Math.min(acc.min, add.min);
  acc.max = Math.max(acc.max, add.max);
  acc.zeroCount += add.zeroCount;
  return true;
}

/** Limits of a {@link FleetProfiles}. */
export interface FleetProfileLimits {
  /** Width of a fleet time bucket (ms, by window end). Default 60 000. */
  bucketMs?: number;
  /** Fleet buckets kept per model version. Default 1440 (one day of minutes). */
  maxBuckets?: number;
  /** Width of a per-device time bucket (ms). Default 3 600 000. */
  deviceBucketMs?: number;
  /** Device buckets kept per device and model version. Default 24 (one day of hours). */
  maxDeviceBuckets?: number;
  /** Devices per model version. Default 1000. */
  maxDevices?: number;
  /** Features per model version. Default 200. */
  maxFeatures?: number;
  /** Model versions. Default 2000. */
  maxModelVersions?: number;
}

/** A model name and version. */
export interface ModelVersion {
  /** Model name. */
  model: string;
  /** Model version. */
  version: string;
}

/** Profiles of one device in one time bucket, by feature. */
export type BucketProfiles = Map<string, FeatureProfile>;

/** One model version's fleet profiles. */
export interface ModelProfiles {
  /** Model name. */
  model: string;
  /** Model version. */
  version: string;
  /** device → bucket start → feature → profile. */
  devices: Map<string, Map<number, BucketProfiles>>;
  /** Features seen (capped). */
  features: Set<string>;
}

/** What the fleet page plots per time bucket of a model version. */
export interface TimelineBucket {
  /** Fleet-merged latency sketch of the bucket's windows. */
  latency?: SketchContent;
  /** Devices that sent a window ending in the bucket. */
  devices: Set<string>;
  /** Alerts fired in the bucket's windows, by name. */
  alerts: Map<string, number>;
  /** Fleet-merged feature profiles of the bucket's windows. */
  profiles: BucketProfiles;
  /** Windows ending in the bucket. */
  windows: number;
}

/** The fleet's profiles merged over a range. */
export interface MergedRange {
  /** Feature → merged profile. */
  profiles: Map<string, FeatureProfile>;
  /** Windows in the range (all windows, with or without profiles). */
  windows: number;
}

/** Merged profiles of one device over a range. */
export interface DeviceProfiles {
  /** Device id. */
  device: string;
  /** Windows merged. */
  windows: number;
  /** Feature → merged profile. */
  profiles: Map<string, FeatureProfile>;
}

/**
 * Merges every profile of `add` into `acc` by feature (a profile of another kind than
 * the one held is skipped: the first kind seen wins). Inputs are never mutated.
 * @param acc - feature → profile, updated.
 * @param add - feature → profile.
 */
export function mergeInto(
  acc: Map<string, FeatureProfile>,
  add: ReadonlyMap<string, FeatureProfile>,
): void {
  for (const [feature, p] of add) {
    const prev = acc.get(feature);
    if (!prev) acc.set(feature, p);
    else if (prev.kind === p.kind) acc.set(feature, mergeProfiles(prev, p));
  }
}

/**
 * What a {@link FleetProfiles} folded (the reference profiles excepted), for a
 * snapshot: its own maps, to be serialized before anything is folded again.
 */
export interface FleetProfilesState {
  limits: Required<FleetProfileLimits>;
  models: Map<string, ModelProfiles>;
  windowCounts: Map<string, number>;
  timelines: Map<string, Map<number, TimelineBucket>>;
  dropped: Map<string, number>;
}

/** Holds the fleet's profiles and the reference profiles. */
export class FleetProfiles {
  private readonly limits: Required<FleetProfileLimits>;
  private readonly models = new Map<string, ModelProfiles>();
  private readonly windowCounts = new Map<string, number>();
  private readonly references = new Map<string, Map<string, FeatureProfile>>();
  private readonly timelines = new Map<string, Map<number, TimelineBucket>>();
  /** Profiles not kept, by reason (`devices`, `features`, `corrupt`, `kind`, `expired`). */
  readonly dropped = new Map<string, number>();

  /** @param limits - bucket width and caps. */
  constructor(limits: FleetProfileLimits = {}) {
    this.limits = {
      bucketMs: limits.bucketMs ?? 60_000,
      maxBuckets: limits.maxBuckets ?? 1440,
      deviceBucketMs: limits.deviceBucketMs ?? 3_600_000,
      maxDeviceBuckets: limits.maxDeviceBuckets ?? 24,
      maxDevices: limits.maxDevices ?? 1000,
      maxFeatures: limits.maxFeatures ?? 200,
      maxModelVersions: limits.maxModelVersions ?? 2000,
    };
  }

  /**
   * What was folded, for a snapshot (see `FleetProfilesState`).
   *
   * @returns the live maps: serialize them before folding more.
   * @internal
   */
  exportState(): FleetProfilesState {
    return {
      limits: this.limits,
      models: this.models,
      windowCounts: this.windowCounts,
      timelines: this.timelines,
      dropped: this.dropped,
    };
  }

  /**
   * Replaces what was folded with a snapshot's (the reference profiles are kept).
   *
   * @param state - a deserialized `FleetProfilesState`, taken over (not copied).
   * @throws Error when the limits differ from this instance's.
   * @internal
   */
  importState(state: FleetProfilesState): void {
    for (const k of Object.keys(this.limits) as (keyof FleetProfileLimits)[])
      if (state.limits[k] !== this.limits[k])
        throw new Error(
          `snapshot taken with profile ${k} ${state.limits[k]}, running with ${this.limits[k]}`,
        );
    for (const [target, source] of [
      [this.models, state.models],
      [this.windowCounts, state.windowCounts],
      [this.timelines, state.timelines],
      [this.dropped, state.dropped],
    ] as [Map<unknown, unknown>, Map<unknown, unknown>][]) {
      target.clear();
      for (const [k, v] of source) target.set(k, v);
    }
  }

  /**
   * Folds an hourly aggregate (windows past the retention) in; for a store whose
   * buckets are an hour wide, built to answer a query over old ranges.
   *
   * @param a - the aggregate (its profiles and sketches were checked when the windows arrived).
   */
  ingestHourly(a: HourlyAggregate): void {
    const key = tupleKey(a.model, a.version);
    const profiles = new Map<string, FeatureProfile>();
    for (const [feature, b64] of Object.entries(a.profiles))
      profiles.set(feature, decodeProfile(base64ToBytes(b64)));
    const lat = a.sketches[LATENCY_SKETCH];
    let latency: SketchContent | undefined;
    if (lat !== undefined) {
      const { version: _v, ...sk } = decodeSketch(base64ToBytes(lat));
      latency = sk;
    }
    this.foldBucket(key, a.hour, {
      windows: a.windows,
      devices: new Set([a.device]),
      alerts: new Map(a.alerts.map((x) => [x.name, x.count])),
      profiles,
      latency,
    });
    this.foldDevice(key, a.model, a.version, a.device, a.hour, a.profiled, profiles);
  }

  /**
   * Folds this store's buckets starting in [from, to) into `target` (whose buckets are
   * whole multiples of this store's).
   *
   * @param target - an hour-resolution store (see {@link FleetProfiles.ingestHourly}).
   * @param model - model name.
   * @param version - model version.
   * @param from - epoch ms, inclusive.
   * @param to - epoch ms, exclusive.
   */
  foldRangeInto(
    target: FleetProfiles,
    model: string,
    version: string,
    from: number,
    to: number,
  ): void {
    const key = tupleKey(model, version);
    for (const [start, b] of this.timelines.get(key) ?? [])
      if (start >= from && start < to) target.foldBucket(key, start, b);
    for (const [device, buckets] of this.models.get(key)?.devices ?? [])
      for (const [start, bucket] of buckets)
        if (start >= from && start < to)
          target.foldDevice(
            key,
            model,
            version,
            device,
            start,
            this.windowCounts.get(tupleKey(key, device, String(start))) ?? 0,
            bucket,
          );
  }

  private foldBucket(key: string, at: number, add: TimelineBucket): void {
    let tl = this.timelines.get(key);
    if (!tl) {
      tl = new Map();
      this.timelines.set(key, tl);
    }
    const start = Math.floor(at / this.limits.bucketMs) * this.limits.bucketMs;
    let b = tl.get(start);
    if (!b) {
      b = { devices: new Set(), alerts: new Map(), windows: 0, profiles: new Map() };
      tl.set(start, b);
    }
    b.windows += add.windows;
    for (const d of add.devices) if (b.devices.size < this.limits.maxDevices) b.devices.add(d);
    for (const [name, n] of add.alerts) b.alerts.set(name, (b.alerts.get(name) ?? 0) + n);
    // A copy: the accumulator is added to in place later, `add` may be another store's.
    if (add.latency)
      b.latency = b.latency
        ? mergeSketches(b.latency, add.latency)
        : downscaleSketch(add.latency, add.latency.scale);
    mergeInto(b.profiles, add.profiles);
  }

  private foldDevice(
    key: string,
    model: string,
    version: string,
    device: string,
    at: number,
    windows: number,
    profiles: ReadonlyMap<string, FeatureProfile>,
  ): void {
    if (profiles.size === 0) return;
    let m = this.models.get(key);
    if (!m) {
      m = { model, version, devices: new Map(), features: new Set() };
      this.models.set(key, m);
    }
    let dev = m.devices.get(device);
    if (!dev) {
      dev = new Map();
      m.devices.set(device, dev);
    }
    const start = Math.floor(at / this.limits.deviceBucketMs) * this.limits.deviceBucketMs;
    const bucket = dev.get(start) ?? new Map<string, FeatureProfile>();
    dev.set(start, bucket);
    mergeInto(bucket, profiles);
    for (const f of profiles.keys()) m.features.add(f);
    const wk = tupleKey(key, device, String(start));
    this.windowCounts.set(wk, (this.windowCounts.get(wk) ?? 0) + windows);
  }

  /** Width of a fleet time bucket, ms. */
  get bucketMs(): number {
    return this.limits.bucketMs;
  }

  /** Width of a per-device time bucket, ms. */
  get deviceBucketMs(): number {
    return this.limits.deviceBucketMs;
  }

  private drop(reason: string, n = 1): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + n);
  }

  /**
   * Folds a window's profiles in. Cost: O(size of its profiles).
   * @param rec - a validated window (profiles already checked at ingest; a corrupt one
   *   from an old store is counted and skipped).
   * @param pre - its profiles and latency sketch as already decoded, if they were.
   */
  ingest(rec: WindowRecord, pre?: DecodedWindow): void {
    const key = tupleKey(rec.model.name, rec.model.version);
    const fleetBucket = this.foldTimeline(key, rec, pre);
    const entries = Object.entries(rec.profiles ?? {});
    if (entries.length === 0) return;
    let m = this.models.get(key);
    if (!m) {
      m = {
        model: rec.model.name,
        version: rec.model.version,
        devices: new Map(),
        features: new Set(),
      };
      this.models.set(key, m);
    }
    let dev = m.devices.get(rec.deviceId);
    if (!dev) {
      if (m.devices.size >= this.limits.maxDevices) return this.drop('devices', entries.length);
      dev = new Map();
      m.devices.set(rec.deviceId, dev);
    }
    const start = Math.floor(rec.end / this.limits.deviceBucketMs) * this.limits.deviceBucketMs;
    let bucket = dev.get(start);
    if (!bucket) {
      bucket = new Map();
      dev.set(start, bucket);
      if (dev.size > this.limits.maxDeviceBuckets) {
        const oldest = Math.min(...dev.keys());
        dev.delete(oldest);
        this.windowCounts.delete(tupleKey(key, rec.deviceId, String(oldest)));
        this.drop('expired');
      }
    }
    const wk = tupleKey(key, rec.deviceId, String(start));
    this.windowCounts.set(wk, (this.windowCounts.get(wk) ?? 0) + 1);
    for (const [feature, b64] of entries) {
      if (!m.features.has(feature)) {
        if (m.features.size >= this.limits.maxFeatures) {
          this.drop('features');
          continue;
        }
        m.features.add(feature);
      }
      let p = pre?.profiles.get(feature);
      try {
        p ??= decodeProfile(base64ToBytes(b64));
      } catch {
        this.drop('corrupt');
        continue;
      }
      const prev = bucket.get(feature);
      if (prev && prev.kind !== p.kind) {
        this.drop('kind');
        continue;
      }
      bucket.set(feature, prev ? mergeProfiles(prev, p) : p);
      if (fleetBucket) {
        const f = fleetBucket.profiles.get(feature);
        if (!f) fleetBucket.profiles.set(feature, p);
        else if (f.kind === p.kind) fleetBucket.profiles.set(feature, mergeProfiles(f, p));
      }
    }
  }

  private foldTimeline(
    key: string,
    rec: WindowRecord,
    pre: DecodedWindow | undefined,
  ): TimelineBucket | undefined {
    let tl = this.timelines.get(key);
    if (!tl) {
      if (this.timelines.size >= this.limits.maxModelVersions) {
        this.drop('models');
        return undefined;
      }
      tl = new Map();
      this.timelines.set(key, tl);
    }
    const start = Math.floor(rec.end / this.limits.bucketMs) * this.limits.bucketMs;
    let b = tl.get(start);
    if (!b) {
      b = { devices: new Set(), alerts: new Map(), windows: 0, profiles: new Map() };
      tl.set(start, b);
      if (tl.size > this.limits.maxBuckets) tl.delete(Math.min(...tl.keys()));
    }
    b.windows++;
    if (b.devices.size < this.limits.maxDevices) b.devices.add(rec.deviceId);
    for (const a of rec.alerts) b.alerts.set(a.name, (b.alerts.get(a.name) ?? 0) + 1);
    const lat = rec.sketches[LATENCY_SKETCH];
    if (lat !== undefined) {
      try {
        const { version: _v, ...sk } =
          pre?.sketches.get(LATENCY_SKETCH)?.sketch ?? decodeSketch(base64ToBytes(lat));
        // The bucket owns its sketch (a copy), so most windows add into it in place.
        if (!b.latency) b.latency = downscaleSketch(sk, sk.scale);
        else if (!addInPlace(b.latency, sk)) b.latency = mergeSketches(b.latency, sk);
      } catch {
        this.drop('corrupt');
      }
    }
    return b;
  }

  /**
   * The fleet's profiles merged over fleet buckets starting in [from, to) (`from`
   * rounded down to a bucket). O(buckets × features).
   * @param model - model name.
   * @param version - model version.
   * @param from - epoch ms.
   * @param to - epoch ms, exclusive.
   * @returns feature → merged profile, and the windows counted.
   */
  fleetProfiles(model: string, version: string, from: number, to: number): MergedRange {
    const lo = Math.floor(from / this.limits.bucketMs) * this.limits.bucketMs;
    const profiles = new Map<string, FeatureProfile>();
    let windows = 0;
    for (const [start, b] of this.timelines.get(tupleKey(model, version)) ?? []) {
      if (start < lo || start >= to) continue;
      windows += b.windows;
      mergeInto(profiles, b.profiles);
    }
    return { profiles, windows };
  }

  /**
   * Time buckets of a model version in [from, to), ascending.
   * @param model - model name.
   * @param version - model version.
   * @param from - epoch ms.
   * @param to - epoch ms.
   * @returns [bucket start, bucket] pairs.
   */
  timeline(model: string, version: string, from: number, to: number): [number, TimelineBucket][] {
    const tl = this.timelines.get(tupleKey(model, version));
    if (!tl) return [];
    return [...tl]
      .filter(([s]) => s >= from - this.limits.bucketMs && s < to)
      .sort((a, b) => a[0] - b[0]);
  }

  /** @returns every model version seen (with or without profiles). */
  modelVersions(): ModelVersion[] {
    return [...this.timelines.keys()].map((k) => {
      const [model, version] = JSON.parse(k) as [string, string];
      return { model, version };
    });
  }

  /**
   * Sets (replaces) the reference profiles of a model version.
   * @param model - model name.
   * @param version - model version.
   * @param profiles - feature → profile.
   */
  setReference(model: string, version: string, profiles: Map<string, FeatureProfile>): void {
    this.references.set(tupleKey(model, version), profiles);
  }

  /**
   * @param model - model name.
   * @param version - model version.
   * @returns the reference profiles, if uploaded.
   */
  reference(model: string, version: string): Map<string, FeatureProfile> | undefined {
    return this.references.get(tupleKey(model, version));
  }

  /** @returns the model versions that have a reference. */
  referenced(): ModelVersion[] {
    return [...this.references.keys()].map((k) => {
      const [model, version] = JSON.parse(k) as [string, string];
      return { model, version };
    });
  }

  /**
   * Each device's profiles merged over device buckets starting in [from, to), `from`
   * rounded down to a device bucket (an hour by default: the per-device breakdown has
   * that granularity). O(devices × device buckets × features).
   * @param model - model name.
   * @param version - model version.
   * @param from - epoch ms, inclusive.
   * @param to - epoch ms, exclusive.
   * @returns per device, the merged profiles and the windows they cover.
   */
  perDevice(model: string, version: string, from: number, to: number): DeviceProfiles[] {
    const key = tupleKey(model, version);
    const m = this.models.get(key);
    if (!m) return [];
    const lo = Math.floor(from / this.limits.deviceBucketMs) * this.limits.deviceBucketMs;
    const out: DeviceProfiles[] = [];
    for (const [device, buckets] of m.devices) {
      const profiles = new Map<string, FeatureProfile>();
      let windows = 0;
      for (const [start, bucket] of buckets) {
        if (start < lo || start >= to) continue;
        windows += this.windowCounts.get(tupleKey(key, device, String(start))) ?? 0;
        mergeInto(profiles, bucket);
      }
      if (windows > 0) out.push({ device, windows, profiles });
    }
    return out;
  }

  /**
   * The fleet's profiles merged per step: step k covers fleet buckets starting in
   * [first + k·step, first + (k + 1)·step) ∩ [first, to). One pass over the buckets:
   * O(buckets × features).
   * @param model - model name.
   * @param version - model version.
   * @param first - start of the first step (a bucket start), epoch ms.
   * @param to - end, exclusive.
   * @param step - step width, ms (a whole number of buckets).
   * @returns one feature → profile map per step.
   */
  perStep(
    model: string,
    version: string,
    first: number,
    to: number,
    step: number,
  ): Map<string, FeatureProfile>[] {
    const n = Math.max(0, Math.ceil((to - first) / step));
    const out = Array.from({ length: n }, () => new Map<string, FeatureProfile>());
    for (const [start, b] of this.timelines.get(tupleKey(model, version)) ?? []) {
      if (start < first || start >= to) continue;
      mergeInto(out[Math.floor((start - first) / step)] as Map<string, FeatureProfile>, b.profiles);
    }
    return out;
  }
}
