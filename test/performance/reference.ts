/**
 * From-scratch reference computations over an explicit list of samples: the
 * test oracle for the sliding-window statistics. Deliberately naive (two-pass,
 * O(n²) AUC, filtering per class and per bin) and independent of src/.
 */

export interface RegressionRef {
  mae: number;
  rmse: number;
  mape: number;
  r2: number;
  meanError: number;
  accuracy: number;
}

export function regressionRef(pairs: readonly (readonly [number, number])[]): RegressionRef {
  const n = pairs.length;
  if (n === 0) return { mae: NaN, rmse: NaN, mape: NaN, r2: NaN, meanError: NaN, accuracy: NaN };
  let abs = 0;
  let sq = 0;
  let err = 0;
  let ape = 0;
  let nApe = 0;
  let match = 0;
  let ySum = 0;
  for (const [p, y] of pairs) {
    abs += Math.abs(p - y);
    sq += (p - y) ** 2;
    err += p - y;
    if (y !== 0) {
      ape += Math.abs(p - y) / Math.abs(y);
      nApe++;
    }
    if (p === y) match++;
    ySum += y;
  }
  const mean = ySum / n;
  let sst = 0;
  for (const [, y] of pairs) sst += (y - mean) ** 2;
  const allEqual = pairs.every(([, y]) => y === pairs[0]![1]);
  let r2: number;
  if (n < 2) r2 = NaN;
  else if (allEqual) r2 = sq === 0 ? 1 : 0;
  else r2 = 1 - sq / sst;
  return {
    mae: abs / n,
    rmse: Math.sqrt(sq / n),
    mape: nApe === 0 ? NaN : ape / nApe,
    r2,
    meanError: err / n,
    accuracy: match / n,
  };
}

export interface ClassRef {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export function classificationRef<L>(pairs: readonly (readonly [L, L])[], labels: readonly L[]) {
  const perClass = new Map<L, ClassRef>();
  for (const l of labels) {
    const tp = pairs.filter(([p, y]) => p === l && y === l).length;
    const fp = pairs.filter(([p, y]) => p === l && y !== l).length;
    const fn = pairs.filter(([p, y]) => p !== l && y === l).length;
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perClass.set(l, { precision, recall, f1, support: tp + fn });
  }
  const k = labels.length;
  const vals = [...perClass.values()];
  const matrix = labels.map((a) =>
    labels.map((p) => pairs.filter(([pp, yy]) => yy === a && pp === p).length),
  );
  return {
    accuracy: pairs.length === 0 ? NaN : pairs.filter(([p, y]) => p === y).length / pairs.length,
    macroPrecision: vals.reduce((s, v) => s + v.precision, 0) / k,
    macroRecall: vals.reduce((s, v) => s + v.recall, 0) / k,
    macroF1: vals.reduce((s, v) => s + v.f1, 0) / k,
    perClass,
    matrix,
  };
}

/** O(n²) pairwise AUC, ties = 1/2. */
export function aucRef(pairs: readonly (readonly [number, 0 | 1])[]): number {
  const pos = pairs.filter(([, y]) => y === 1).map(([p]) => p);
  const neg = pairs.filter(([, y]) => y === 0).map(([p]) => p);
  if (pos.length === 0 || neg.length === 0) return NaN;
  let u = 0;
  for (const a of pos) for (const b of neg) u += a > b ? 1 : a === b ? 0.5 : 0;
  return u / (pos.length * neg.length);
}

export function logLossRef(pairs: readonly (readonly [number, 0 | 1])[]): number {
  const eps = 1e-15;
  let s = 0;
  for (const [p, y] of pairs) {
    const q = Math.min(1 - eps, Math.max(eps, p));
    s += y === 1 ? -Math.log(q) : -Math.log(1 - q);
  }
  return s / pairs.length;
}

export function brierRef(pairs: readonly (readonly [number, 0 | 1])[]): number {
  return pairs.reduce((s, [p, y]) => s + (p - y) ** 2, 0) / pairs.length;
}

/** ECE over equal-width bins [b/B, (b+1)/B), the last bin closed. */
export function eceRef(pairs: readonly (readonly [number, 0 | 1])[], bins = 10): number {
  let total = 0;
  for (let b = 0; b < bins; b++) {
    const inBin = pairs.filter(([p]) => {
      const idx = Math.min(Math.floor(p * bins), bins - 1);
      return idx === b;
    });
    if (inBin.length === 0) continue;
    const acc = inBin.reduce((s, [, y]) => s + y, 0) / inBin.length;
    const conf = inBin.reduce((s, [p]) => s + p, 0) / inBin.length;
    total += (inBin.length / pairs.length) * Math.abs(acc - conf);
  }
  return total;
}

/** |a − b| <= tol · max(1, |b|), NaN matching NaN. */
export function close(a: number | undefined, b: number, tol = 1e-9): boolean {
  if (a === undefined) return false;
  if (Number.isNaN(b)) return Number.isNaN(a);
  if (!Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
}
