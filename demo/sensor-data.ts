/**
 * Synthetic robot-perception sensor stream: what is in front of a warehouse robot?
 * Four classes, six sensor features, each class a Gaussian blob in feature space
 * (overlapping, so a linear model reaches ~90 %, not 100 %). The generator applies
 * the page's injected faults — input drift, label shift, a broken sensor — so the
 * monitors see exactly what the user asked for.
 */
import type { Rng } from './rng.js';

/** Feature (column) names, in row order. */
export const FEATURES = [
  'distance_m',
  'speed_mps',
  'lidar_intensity',
  'thermal_c',
  'vibration_g',
  'width_m',
] as const;
/** One feature name. */
export type FeatureName = (typeof FEATURES)[number];
/** Class labels, by class index. */
export const CLASSES = ['clear', 'person', 'obstacle', 'vehicle'] as const;
/** Number of features per row. */
export const NUM_FEATURES = FEATURES.length;
/** Number of classes. */
export const NUM_CLASSES = CLASSES.length;

const VEHICLE = 3;
/** Class priors in normal operation. */
const BASE_PRIORS = [0.4, 0.25, 0.2, 0.15];
/** Class priors at full label shift (the robot moved to the loading dock: vehicles everywhere). */
const SHIFTED_PRIORS = [0.1, 0.1, 0.15, 0.65];
// Per class: mean and std of each feature (row = class, column = feature).
const MEANS = [
  [6.0, 0.1, 0.25, 21, 0.05, 0.9],
  [3.5, 1.1, 0.45, 31, 0.1, 0.6],
  [3.0, 0.1, 0.7, 22, 0.05, 1.1],
  [5.0, 1.6, 0.75, 30, 0.35, 1.9],
];
/** Forklifts: the loading dock's vehicles, slow and narrow (the model, trained elsewhere, mistakes many for obstacles). */
const FORKLIFT_MEANS = [3.8, 0.5, 0.72, 24, 0.1, 1.2];
/** Share of vehicles that are forklifts at full label shift. */
const FORKLIFT_SHARE = 0.6;
const STDS = [
  [2.0, 0.5, 0.12, 4.0, 0.05, 0.6],
  [1.5, 0.5, 0.15, 4.0, 0.06, 0.3],
  [1.5, 0.4, 0.15, 4.0, 0.05, 0.5],
  [2.0, 0.7, 0.15, 5.0, 0.15, 0.6],
];

/** A fault injected into one feature. Shift and noise are in units of the feature's reference σ. */
export interface FeatureInjection {
  /** Added to every value, in reference σ (sensor miscalibration). */
  shift: number;
  /** Multiplies the deviation from the reference mean (1 = unchanged; gain drift). */
  scale: number;
  /** σ of extra Gaussian noise, in reference σ (a degraded sensor). */
  noise: number;
}

/** Everything the page can inject into the stream. */
export interface Scenario {
  /** Per-feature input drift. */
  features: Record<FeatureName, FeatureInjection>;
  /** 0 = normal class mix, 1 = fully shifted class mix (label shift). */
  labelShift: number;
  /** Extra inference latency of the model, ms per batch (a slow device). */
  latencyMs: number;
  /** Feature whose sensor is broken, or null. */
  brokenSensor: FeatureName | null;
  /** Fraction of rows where the broken sensor reads NaN. */
  nanRate: number;
}

/** A batch of labelled rows, row-major (`rows[i * NUM_FEATURES + j]`). */
export interface Batch {
  rows: Float64Array;
  labels: Int32Array;
}

/** @returns a scenario with nothing injected. */
export function normalScenario(): Scenario {
  const features = {} as Record<FeatureName, FeatureInjection>;
  for (const f of FEATURES) features[f] = { shift: 0, scale: 1, noise: 0 };
  return { features, labelShift: 0, latencyMs: 0, brokenSensor: null, nanRate: 0 };
}

/** @returns true when the scenario injects anything. */
export function isNormal(s: Scenario): boolean {
  return (
    s.labelShift === 0 &&
    s.latencyMs === 0 &&
    (s.brokenSensor === null || s.nanRate === 0) &&
    FEATURES.every(
      (f) => s.features[f].shift === 0 && s.features[f].scale === 1 && s.features[f].noise === 0,
    )
  );
}

/** Mean and σ of each feature under the normal class mix (the mixture's exact moments). */
export const REFERENCE_MOMENTS: { mean: number[]; std: number[] } = (() => {
  const mean: number[] = [];
  const std: number[] = [];
  for (let j = 0; j < NUM_FEATURES; j++) {
    let m = 0;
    let m2 = 0;
    for (let k = 0; k < NUM_CLASSES; k++) {
      const p = BASE_PRIORS[k]!;
      const mu = MEANS[k]![j]!;
      const sd = STDS[k]![j]!;
      m += p * mu;
      m2 += p * (sd * sd + mu * mu);
    }
    mean.push(m);
    std.push(Math.sqrt(m2 - m * m));
  }
  return { mean, std };
})();

function drawClass(rng: Rng, labelShift: number): number {
  const u = rng.next();
  let acc = 0;
  for (let k = 0; k < NUM_CLASSES; k++) {
    acc += (1 - labelShift) * BASE_PRIORS[k]! + labelShift * SHIFTED_PRIORS[k]!;
    if (u < acc) return k;
  }
  return NUM_CLASSES - 1;
}

/**
 * Draws `n` labelled rows under a scenario. O(n · features).
 *
 * @param rng - the random source (advanced by the call).
 * @param n - number of rows (≥ 0).
 * @param scenario - faults to inject; {@link normalScenario} for clean data.
 * @returns the batch (rows row-major, labels as class indices).
 * @example
 * const b = sampleBatch(createRng(1), 100, normalScenario());
 * b.rows.length; // => 600
 */
export function sampleBatch(rng: Rng, n: number, scenario: Scenario): Batch {
  const rows = new Float64Array(n * NUM_FEATURES);
  const labels = new Int32Array(n);
  const broken = scenario.brokenSensor === null ? -1 : FEATURES.indexOf(scenario.brokenSensor);
  for (let i = 0; i < n; i++) {
    const k = drawClass(rng, scenario.labelShift);
    labels[i] = k;
    const forklift =
      k === VEHICLE && scenario.labelShift > 0 && rng.next() < scenario.labelShift * FORKLIFT_SHARE;
    for (let j = 0; j < NUM_FEATURES; j++) {
      const inj = scenario.features[FEATURES[j]!];
      const refMean = REFERENCE_MOMENTS.mean[j]!;
      const refStd = REFERENCE_MOMENTS.std[j]!;
      let x = (forklift ? FORKLIFT_MEANS : MEANS[k]!)[j]! + STDS[k]![j]! * rng.normal();
      x = refMean + (x - refMean) * inj.scale + inj.shift * refStd;
      if (inj.noise > 0) x += inj.noise * refStd * rng.normal();
      rows[i * NUM_FEATURES + j] = x;
    }
    if (broken >= 0 && rng.next() < scenario.nanRate) rows[i * NUM_FEATURES + broken] = Number.NaN;
  }
  return { rows, labels };
}

/**
 * Splits row-major rows into named columns (the table shape `DriftDetector` takes).
 *
 * @param rows - row-major values, `NUM_FEATURES` per row.
 * @returns one Float64Array per feature name.
 */
export function toColumns(rows: Float64Array): Record<FeatureName, Float64Array> {
  const n = rows.length / NUM_FEATURES;
  const out = {} as Record<FeatureName, Float64Array>;
  FEATURES.forEach((f, j) => {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = rows[i * NUM_FEATURES + j]!;
    out[f] = col;
  });
  return out;
}
