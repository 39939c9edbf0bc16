/**
 * Comparing a current profile with a reference profile, from the summaries alone.
 *
 * Numeric, KS: the sketch knows each cumulative count exactly at every bucket
 * boundary, and nothing inside a bucket. Walking the cells (negative buckets, the zero
 * bucket, positive buckets) in value order, |F_ref − F_cur| at the end of each cell is
 * attained by the exact ECDFs (at the largest value of either sample inside the cell),
 * so the largest of these is a lower bound `lo` of the exact two-sample KS statistic.
 * Inside a cell each ECDF stays between its values before and after the cell, so
 * `hi = max over cells of max(F_ref,after − F_cur,before, F_cur,after − F_ref,before)` is an
 * upper bound. The exact statistic lies in [lo, hi]; the report gives `lo` and the
 * error bound `hi − lo`. The bound follows from the sketch's relative error α: a cell is
 * (L, L·b] with b = (1 + α)/(1 − α), so it is the KS mass that fits within a relative
 * shift of 2α/(1 − α) of the values; fine scales give small bounds.
 *
 * PSI and Jensen–Shannon use the same cells, grouped into at most `bins` runs of
 * about equal reference mass (cells are never split), so both sides share bins.
 * Categorical: Pearson chi-square (2×k homogeneity) over the reference's top-K items
 * plus one "other" column, with counts from the top-K upper bounds.
 */
import { contingencyTest } from '../stats/categorical-tests.js';
import { jensenShannonFromCounts, psiFromCounts } from '../stats/divergences.js';
import { ksPValue } from '../stats/ks-test.js';
import { newCategories } from './profile-quality.js';
import type { CategoricalProfile, NumericProfile } from './profile-types.js';
import { downscaleSketch, type SketchContent } from './sketch-merge.js';

/** KS from two sketches. */
export interface SketchKs {
  /** Lower bound of the exact statistic (the value reported). */
  statistic: number;
  /** Exact statistic ∈ [statistic, statistic + errorBound]. */
  errorBound: number;
  /** Asymptotic p-value of `statistic` (counts of both sides). */
  pValue: number;
}

/** Counts per shared bin. */
export interface SharedBins {
  /** Reference counts. */
  reference: number[];
  /** Current counts. */
  current: number[];
}

/** A chi-square test result. */
export interface ChiSquareResult {
  /** Pearson's statistic. */
  statistic: number;
  /** Its p-value. */
  pValue: number;
}

/** Numeric comparison of a current profile with a reference. */
export interface NumericComparison {
  /** KS from the sketches, with its bound. */
  ks: SketchKs;
  /** Population stability index on the shared bins. */
  psi: number;
  /** Jensen–Shannon distance (base e) on the shared bins. */
  jensenShannon: number;
  /** Bin counts used for PSI / JS. */
  bins: SharedBins;
}

/** Categorical comparison. */
export interface CategoricalComparison {
  /** Pearson chi-square homogeneity test over the reference top-K plus "other". */
  chiSquare: ChiSquareResult;
  /** PSI on the same columns. */
  psi: number;
  /** Jensen–Shannon distance on the same columns. */
  jensenShannon: number;
  /** Current categories with an upper bound above the reference's absent bound that the reference does not list. */
  newCategories: string[];
}

/** Cells in ascending value order: counts of both sketches (same scale) per cell. */
function cells(a: SketchContent, b: SketchContent): { ca: number[]; cb: number[]; zeroAt: number } {
  const ca: number[] = [];
  const cb: number[] = [];
  const sideCells = (neg: boolean): void => {
    const sa = neg ? a.negative : a.positive;
    const sb = neg ? b.negative : b.positive;
    const sides = [sa, sb].filter((s) => s.counts.length > 0);
    if (sides.length === 0) return;
    const lo = Math.min(...sides.map((s) => s.offset));
    const hi = Math.max(...sides.map((s) => s.offset + s.counts.length - 1));
    const at = (s: typeof sa, i: number): number => s.counts[i - s.offset] ?? 0;
    for (let k = 0; k <= hi - lo; k++) {
      const i = neg ? hi - k : lo + k;
      ca.push(at(sa, i));
      cb.push(at(sb, i));
    }
  };
  sideCells(true);
  const zeroAt = ca.length;
  ca.push(a.zeroCount);
  cb.push(b.zeroCount);
  sideCells(false);
  return { ca, cb, zeroAt };
}

function common(a: SketchContent, b: SketchContent): [SketchContent, SketchContent] {
  const scale = Math.min(a.scale, b.scale);
  return [downscaleSketch(a, scale), downscaleSketch(b, scale)];
}

/**
 * Two-sample KS between the values behind two sketches, with a guaranteed bound. O(buckets).
 * @param reference - one sketch.
 * @param current - the other.
 * @returns lower bound, error bound and p-value (NaN statistic when either is empty).
 * @example sketchKs(s, s).statistic // => 0
 */
export function sketchKs(reference: SketchContent, current: SketchContent): SketchKs {
  const n = reference.count;
  const m = current.count;
  if (n === 0 || m === 0) return { statistic: NaN, errorBound: NaN, pValue: NaN };
  const [a, b] = common(reference, current);
  const { ca, cb, zeroAt } = cells(a, b);
  let fa = 0;
  let fb = 0;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < ca.length; i++) {
    const na = fa + (ca[i] as number) / n;
    const nb = fb + (cb[i] as number) / m;
    lo = Math.max(lo, Math.abs(na - nb));
    // the zero cell is a single point: no ECDF value lies strictly inside it
    if (i !== zeroAt) hi = Math.max(hi, na - fb, nb - fa);
    fa = na;
    fb = nb;
  }
  hi = Math.min(1, Math.max(hi, lo));
  return { statistic: lo, errorBound: hi - lo, pValue: ksPValue(lo, n, m, 'asymp').pValue };
}

/**
 * Cells grouped into at most `bins` runs of about equal reference mass. O(cells).
 * @returns reference and current counts per group.
 */
function groupedBins(a: SketchContent, b: SketchContent, bins: number): SharedBins {
  const { ca, cb } = cells(a, b);
  const target = a.count / bins;
  const reference: number[] = [];
  const current: number[] = [];
  let ra = 0;
  let rb = 0;
  for (let i = 0; i < ca.length; i++) {
    ra += ca[i] as number;
    rb += cb[i] as number;
    if (ra >= target && reference.length < bins - 1) {
      reference.push(ra);
      current.push(rb);
      ra = 0;
      rb = 0;
    }
  }
  if (ra > 0 || rb > 0 || reference.length === 0) {
    reference.push(ra);
    current.push(rb);
  }
  return { reference, current };
}

/**
 * Compares a numeric profile with a reference: sketch KS with its bound, PSI and
 * Jensen–Shannon on shared bins. O(buckets).
 * @param reference - the reference profile.
 * @param current - the current (e.g. fleet-merged) profile.
 * @param bins - most bins for PSI / JS (default 10).
 * @returns the comparison (NaN statistics when either side has no values).
 * @example compareNumeric(ref, cur).ks.statistic
 */
export function compareNumeric(
  reference: NumericProfile,
  current: NumericProfile,
  bins = 10,
): NumericComparison {
  const ks = sketchKs(reference.sketch, current.sketch);
  if (reference.sketch.count === 0 || current.sketch.count === 0)
    return { ks, psi: NaN, jensenShannon: NaN, bins: { reference: [], current: [] } };
  const [a, b] = common(reference.sketch, current.sketch);
  const grouped = groupedBins(a, b, bins);
  return {
    ks,
    psi: psiFromCounts(grouped.reference, grouped.current),
    jensenShannon: jensenShannonFromCounts(grouped.reference, grouped.current),
    bins: grouped,
  };
}

/**
 * Compares a categorical profile with a reference. O(k).
 * @param reference - the reference profile.
 * @param current - the current profile.
 * @returns chi-square, PSI, JS and the new categories.
 * @example compareCategorical(ref, cur).chiSquare.pValue
 */
export function compareCategorical(
  reference: CategoricalProfile,
  current: CategoricalProfile,
): CategoricalComparison {
  const curCount = new Map(current.topK.entries.map((e) => [e.item, e.count]));
  const refCounts: number[] = [];
  const curCounts: number[] = [];
  let refListed = 0;
  let curListed = 0;
  for (const e of reference.topK.entries) {
    const c = Math.min(curCount.get(e.item) ?? 0, current.topK.total - curListed);
    refCounts.push(e.count);
    curCounts.push(c);
    refListed += e.count;
    curListed += c;
  }
  refCounts.push(Math.max(0, reference.topK.total - refListed));
  curCounts.push(Math.max(0, current.topK.total - curListed));
  return {
    chiSquare: contingencyTest(refCounts, curCounts),
    psi: psiFromCounts(refCounts, curCounts),
    jensenShannon: jensenShannonFromCounts(refCounts, curCounts),
    newCategories: newCategories(reference, current),
  };
}
