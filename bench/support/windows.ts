/**
 * Window records for the collector benches: real serialized latency sketches
 * and feature profiles, built once and shared by every window that uses them,
 * so a bench can make a million windows cheaply.
 */
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { CategoricalProfiler, NumericProfiler, profilesToWire } from '../../src/entry/stats.js';
import { bytesToBase64 } from '../../src/window/base64.js';
import type { WindowRecord } from '../../src/window/window-record.js';
import { driftResult } from '../../test/window/make-record.js';

const kernel = createReferenceKernel();
let sketchCache: string[] | undefined;
let profileCache: Record<string, string>[] | undefined;

/** 16 base64 latency sketches of 200 values each (16 value patterns). */
export function latencySketches(): readonly string[] {
  sketchCache ??= Array.from({ length: 16 }, (_, i) => {
    const h = kernel.sketchCreate();
    kernel.sketchRecord(
      h,
      Float64Array.from({ length: 200 }, (_, j) => 1 + ((i * 37 + j * 13) % 97)),
    );
    const b = bytesToBase64(kernel.sketchSerialize(h));
    kernel.sketchFree(h);
    return b;
  });
  return sketchCache;
}

/** 8 wire profile sets, each a numeric (`speed`) and a categorical (`colour`) profile of 200 values. */
export function profileSets(): readonly Record<string, string>[] {
  profileCache ??= Array.from({ length: 8 }, (_, i) => {
    const speed = new NumericProfiler(kernel);
    speed.add(Array.from({ length: 200 }, (_, j) => 10 + i + ((j * 7) % 13)));
    const colour = new CategoricalProfiler();
    colour.add(Array.from({ length: 200 }, (_, j) => ['red', 'green', 'blue'][(i + j) % 3]));
    const wire = profilesToWire({ speed: speed.profile(), colour: colour.profile() });
    speed.close();
    return wire;
  });
  return profileCache;
}

/** What varies between the windows of a bench. */
export interface BenchWindowOptions {
  windowId: string;
  deviceId: string;
  /** Window end, ms since the epoch. */
  end: number;
  /** Which of the 16 latency sketches (taken modulo 16). */
  sketch: number;
  /** Model version (default '1'). */
  version?: string;
  /** Window length, ms (default 60 s). */
  spanMs?: number;
  /** One drift result (no drift) per feature (default x, y, z). */
  features?: readonly string[];
  /** Which of the 8 profile sets (modulo 8); none when undefined. */
  profiles?: number;
}

/** A valid window of model `perception` with 200 predictions. */
export function benchWindow(o: BenchWindowOptions): WindowRecord {
  const rec: WindowRecord = {
    schemaVersion: 1,
    windowId: o.windowId,
    deviceId: o.deviceId,
    model: { name: 'perception', version: o.version ?? '1' },
    start: o.end - (o.spanMs ?? 60_000),
    end: o.end,
    sketches: { latency: latencySketches()[o.sketch % 16]! },
    counters: { predictions: 200 },
    performance: { accuracy: 0.9 },
    drift: (o.features ?? ['x', 'y', 'z']).map(driftResult),
    alerts: [],
    drops: { nan: 0 },
  };
  if (o.profiles !== undefined) rec.profiles = profileSets()[o.profiles % 8]!;
  return rec;
}
