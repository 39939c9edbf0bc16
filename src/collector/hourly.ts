/**
 * Hourly aggregates: what the collector keeps of windows older than its
 * retention. The windows of one (model, version, device) whose end falls in
 * one hour are merged into one row — counters, drop counts and alerts added,
 * sketches and feature profiles merged exactly (bucket counts add; sketches of
 * different scales meet at the coarser one) — so range queries over old data
 * still answer, at hour resolution, with the values the windows would give.
 */
import { decodeSketch, encodeSketch } from '../kernel/sketch-format.js';
import { mergeProfiles } from '../profile/feature-profiler.js';
import { decodeProfile, encodeProfile } from '../profile/profile-format.js';
import type { FeatureProfile } from '../profile/profile-types.js';
import { mergeSketches, type SketchContent } from '../profile/sketch-merge.js';
import { base64ToBytes, bytesToBase64 } from '../window/base64.js';
import type { WindowRecord } from '../window/window-record.js';

/** Width of an aggregate, ms. */
export const HOUR_MS = 3_600_000;

/** The merged windows of one (model, version, device) and hour, as `GET /v1/windows` returns them. */
export interface HourlyAggregate {
  /** Model name. */
  model: string;
  /** Model version. */
  version: string;
  /** Device id. */
  device: string;
  /** Start of the hour (window ends in [hour, hour + 1 h)), epoch ms. */
  hour: number;
  /** Windows merged. */
  windows: number;
  /** Of those, the windows that carried feature profiles. */
  profiled: number;
  /** Counters added (e.g. `predictions`). */
  counters: Record<string, number>;
  /** Drop counts added, by reason. */
  drops: Record<string, number>;
  /** Alerts fired, by name and severity. */
  alerts: { name: string; severity: string; count: number }[];
  /** Sketches merged exactly, by name (base64, the window format). */
  sketches: Record<string, string>;
  /** Feature profiles merged, by feature (base64, the window format); a profile of another kind than the first is skipped. */
  profiles: Record<string, string>;
}

/** Reads the hourly aggregate stored so far for a model, version, device and hour start. */
export type StoredHourly = (
  model: string,
  version: string,
  device: string,
  hour: number,
) => HourlyAggregate | undefined;

/** An aggregate being built: sketches and profiles kept decoded until it is stored. */
export class HourlyBuilder {
  private windows = 0;
  private profiled = 0;
  private readonly counters = new Map<string, number>();
  private readonly drops = new Map<string, number>();
  private readonly alerts = new Map<string, { name: string; severity: string; count: number }>();
  private readonly sketches = new Map<string, SketchContent>();
  private readonly profiles = new Map<string, FeatureProfile>();

  /**
   * @param model - model name.
   * @param version - model version.
   * @param device - device id.
   * @param hour - start of the hour, epoch ms.
   * @param stored - the aggregate stored so far for this key, if any (merged first).
   */
  constructor(
    readonly model: string,
    readonly version: string,
    readonly device: string,
    readonly hour: number,
    stored?: HourlyAggregate,
  ) {
    if (!stored) return;
    this.windows = stored.windows;
    this.profiled = stored.profiled;
    for (const [k, v] of Object.entries(stored.counters)) this.counters.set(k, v);
    for (const [k, v] of Object.entries(stored.drops)) this.drops.set(k, v);
    for (const a of stored.alerts) this.alerts.set(JSON.stringify([a.name, a.severity]), { ...a });
    for (const [k, b64] of Object.entries(stored.sketches)) this.addSketch(k, b64);
    for (const [k, b64] of Object.entries(stored.profiles)) this.addProfile(k, b64);
  }

  private addSketch(name: string, b64: string): void {
    const { version: _v, ...s } = decodeSketch(base64ToBytes(b64));
    const prev = this.sketches.get(name);
    this.sketches.set(name, prev ? mergeSketches(prev, s) : s);
  }

  private addProfile(feature: string, b64: string): void {
    const p = decodeProfile(base64ToBytes(b64));
    const prev = this.profiles.get(feature);
    if (!prev) this.profiles.set(feature, p);
    else if (prev.kind === p.kind) this.profiles.set(feature, mergeProfiles(prev, p));
  }

  /**
   * Merges one window in (its sketches and profiles were checked at ingest).
   *
   * @param rec - a window of this key's model, version, device and hour.
   */
  add(rec: WindowRecord): void {
    this.windows++;
    for (const [k, v] of Object.entries(rec.counters))
      if (typeof v === 'number') this.counters.set(k, (this.counters.get(k) ?? 0) + v);
    for (const [k, v] of Object.entries(rec.drops)) this.drops.set(k, (this.drops.get(k) ?? 0) + v);
    for (const a of rec.alerts) {
      const key = JSON.stringify([a.name, a.severity]);
      const e = this.alerts.get(key) ?? { name: a.name, severity: a.severity, count: 0 };
      e.count++;
      this.alerts.set(key, e);
    }
    for (const [k, b64] of Object.entries(rec.sketches)) this.addSketch(k, b64);
    const profiles = Object.entries(rec.profiles ?? {});
    if (profiles.length > 0) this.profiled++;
    for (const [k, b64] of profiles) this.addProfile(k, b64);
  }

  /** @returns the aggregate, sketches and profiles encoded. */
  build(): HourlyAggregate {
    return {
      model: this.model,
      version: this.version,
      device: this.device,
      hour: this.hour,
      windows: this.windows,
      profiled: this.profiled,
      counters: Object.fromEntries(this.counters),
      drops: Object.fromEntries(this.drops),
      alerts: [...this.alerts.values()],
      sketches: Object.fromEntries(
        [...this.sketches].map(([k, s]) => [k, bytesToBase64(encodeSketch(s))]),
      ),
      profiles: Object.fromEntries(
        [...this.profiles].map(([k, p]) => [k, bytesToBase64(encodeProfile(p))]),
      ),
    };
  }
}

/**
 * The start of the hour a window belongs to (by its end).
 *
 * @param end - window end, epoch ms.
 * @returns the hour's start, epoch ms.
 */
export function hourOf(end: number): number {
  return Math.floor(end / HOUR_MS) * HOUR_MS;
}

/**
 * Merges windows into hourly aggregates, each key starting from what is stored for it.
 *
 * @param windows - windows, oldest first.
 * @param stored - reads the aggregate stored so far for a key.
 * @returns one aggregate per key touched.
 */
export function rollupWindows(
  windows: readonly WindowRecord[],
  stored: StoredHourly,
): HourlyAggregate[] {
  const builders = new Map<string, HourlyBuilder>();
  for (const w of windows) {
    const hour = hourOf(w.end);
    const key = JSON.stringify([w.model.name, w.model.version, w.deviceId, hour]);
    let b = builders.get(key);
    if (!b) {
      b = new HourlyBuilder(
        w.model.name,
        w.model.version,
        w.deviceId,
        hour,
        stored(w.model.name, w.model.version, w.deviceId, hour),
      );
      builders.set(key, b);
    }
    b.add(w);
  }
  return [...builders.values()].map((b) => b.build());
}
