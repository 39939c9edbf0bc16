/**
 * Reference-calibrated thresholds (NannyML's idea of reference chunks, done by
 * resampling): draw `resamples` random windows of the current sample's size
 * from the reference without replacement, compute the method's statistic of
 * each window against the rest of the reference, and take the (1 − alpha)
 * quantile of the statistic (distances) or the alpha quantile of the p-value
 * (tests). Checks then alarm when strictly beyond it, so undrifted data alarms
 * at about rate alpha even where a method's nominal threshold is off
 * (distances have no nominal rate at all). O(resamples · n).
 */
import { seededUniform, sampleIndices } from '../random.js';
import type { SampleOps } from '../sample-ops.js';
import type { FeatureReference } from './reference.js';
import { binnedReference, referenceCategories } from './reference.js';
import { methodKind, treatsNumericAsCategories } from './methods.js';
import type { DriftStatistics } from './statistic.js';
import type { DriftMethod } from './types.js';

/** Resolved calibration settings. */
export interface Calibration {
  alpha: number;
  resamples: number;
  seed: number;
}

/**
 * Calibrated threshold for one method, reference and current size.
 *
 * @param ref - the reference summary.
 * @param method - the method.
 * @param currentSize - size of the windows (capped at half the reference).
 * @param bins - bins for binned methods.
 * @param cal - alpha, resamples, seed.
 * @param ops - kernel primitives.
 * @param stats - the statistics set that computes `method`.
 * @returns the threshold (a statistic level for distances, a p-value level for tests).
 * @example calibrateThreshold(ref, 'wasserstein', 500, 10, { alpha: 0.05, resamples: 200, seed: 1 }, ops, fullStatistics)
 */
export function calibrateThreshold(
  ref: FeatureReference,
  method: DriftMethod,
  currentSize: number,
  bins: number,
  cal: Calibration,
  ops: SampleOps,
  stats: DriftStatistics,
): number {
  const useCategories = ref.kind === 'categorical' || treatsNumericAsCategories(method);
  // Sorted "codes": the numeric sample itself, or category indices repeated by count.
  let values: Float64Array;
  let keys: string[] = [];
  if (useCategories) {
    const counts = referenceCategories(ref);
    keys = [...counts.keys()];
    let total = 0;
    for (const c of counts.values()) total += c;
    values = new Float64Array(total);
    let k = 0;
    keys.forEach((key, code) => {
      const c = counts.get(key) ?? 0;
      values.fill(code, k, k + c);
      k += c;
    });
  } else values = (ref as { sorted: Float64Array }).sorted;
  const n = values.length;
  const w = Math.max(1, Math.min(currentSize, Math.floor(n / 2)));
  const uniform = seededUniform(cal.seed);
  const picked = new Uint8Array(n);
  const drawn: number[] = [];
  const edges =
    !useCategories && ref.kind === 'numeric' ? binnedReference(ref, bins, ops).edges : undefined;
  for (let r = 0; r < cal.resamples; r++) {
    picked.fill(0);
    for (const i of sampleIndices(n, w, uniform)) picked[i] = 1;
    const win = new Float64Array(w);
    const rest = new Float64Array(n - w);
    let a = 0;
    let b = 0;
    for (let i = 0; i < n; i++) {
      if (picked[i]) win[a++] = values[i] as number;
      else rest[b++] = values[i] as number;
    }
    let s;
    if (useCategories) {
      s = stats.categorical(method, codeCounts(rest, keys), codeCounts(win, keys), ref.feature);
    } else {
      const binned = edges ? { edges, counts: ops.binCounts(rest, edges) } : undefined;
      s = stats.numeric(
        method,
        { sorted: rest, moments: ops.moments(rest) },
        { sorted: win, moments: ops.moments(win) },
        binned,
        ops,
        ref.feature,
      );
    }
    drawn.push(methodKind(method) === 'test' ? (s.pValue ?? NaN) : s.statistic);
  }
  const finite = drawn.filter((v) => !Number.isNaN(v)).sort((x, y) => x - y);
  if (finite.length === 0) return NaN;
  if (methodKind(method) === 'test') {
    return finite[Math.min(finite.length - 1, Math.floor(cal.alpha * finite.length))] as number;
  }
  return finite[
    Math.min(finite.length - 1, Math.ceil((1 - cal.alpha) * finite.length) - 1)
  ] as number;
}

function codeCounts(codes: Float64Array, keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of codes) {
    const k = keys[c] as string;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}
