/**
 * Maximum mean discrepancy with a Gaussian kernel, k(x, y) = exp(−‖x − y‖² / (2σ²)),
 * as alibi-detect's `MMDDrift`: the unbiased MMD² estimator, σ from the median
 * heuristic on the reference (σ² = median of its pairwise squared distances / 2,
 * fixed when prepared, as alibi-detect's default `configure_kernel_from_x_ref`),
 * and a permutation p-value. The cost is bounded three ways: the reference is
 * subsampled to `maxReference` rows when prepared and its kernel block is
 * computed once; a permutation costs O(m²) for a window of m rows (sums over
 * the smaller group and precomputed row sums), not O(N²); and `method: 'rff'`
 * swaps the kernel matrix for D random Fourier features (O(m·d·D) per window,
 * O(m·D) per permutation; the statistic is then the feature-space estimate
 * ‖mean φ(X) − mean φ(Y)‖², biased, with the same permutation test).
 */
import { ConfigError, describeValue } from '../errors.js';
import { normalDraws, sampleIndices, seededUniform } from '../stats/random.js';
import { numberOptions, optionalNumber } from '../util/options.js';
import type { Matrix } from './matrix.js';
import { pickRows, toMatrix } from './matrix.js';

/** Options of {@link prepareMmd}. */
export interface MmdOptions {
  /** `'exact'` (kernel matrix, default) or `'rff'` (random Fourier features). */
  method?: 'exact' | 'rff';
  /** Permutations behind the p-value (default 100). */
  permutations?: number;
  /** Reference rows kept (a seeded subsample above this; default 1000). */
  maxReference?: number;
  /** Kernel bandwidth σ; default: the median heuristic on the reference. */
  bandwidth?: number;
  /** Random features for `'rff'` (default 256). */
  features?: number;
  /** Significance level (default 0.05). */
  alpha?: number;
  /** Seed of the subsample, the permutations and the features (default 1). */
  seed?: number;
}

/** A prepared MMD reference (plain data). */
export interface MmdModel {
  /** The (subsampled) reference. */
  reference: Matrix;
  /** Resolved options. */
  method: 'exact' | 'rff';
  /** Permutations. */
  permutations: number;
  /** The bandwidth σ. */
  bandwidth: number;
  /** Random features. */
  features: number;
  /** Significance level. */
  alpha: number;
  /** Seed. */
  seed: number;
  /** Exact: the reference's kernel matrix, n×n. */
  referenceKernel: Float64Array | undefined;
  /** RFF: the feature map (d×D weights, then D phases) and the reference's features, n×D. */
  rff: RffMap | undefined;
}

/** A random Fourier feature map and the reference's features. */
export interface RffMap {
  /** W, d×D row-major, drawn N(0, σ⁻²). */
  weights: Float64Array;
  /** b, D phases drawn U[0, 2π). */
  phases: Float64Array;
  /** φ of the reference rows, n×D row-major. */
  reference: Float64Array;
}

/** A window's MMD result. */
export interface MmdResult {
  /** MMD² (unbiased for `'exact'`). */
  statistic: number;
  /** Permutation p-value, (1 + #{permuted ≥ observed}) / (1 + permutations). */
  pValue: number;
  /** pValue < alpha. */
  isDrift: boolean;
  /** The bandwidth σ used. */
  bandwidth: number;
  /** Rows of the window used. */
  n: number;
  /** Rows dropped for a non-finite value. */
  dropped: number;
}

function rowOf(m: Matrix, i: number): Float64Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

function squaredDistance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) {
    const t = a[k]! - b[k]!;
    s += t * t;
  }
  return s;
}

/** Squared distances of every pair of rows of one matrix, n×n. O(n²·d). */
function selfSquaredDistances(x: Matrix): Float64Array {
  const n = x.rows;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const a = rowOf(x, i);
    for (let j = i + 1; j < n; j++) {
      const v = squaredDistance(a, rowOf(x, j));
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
  return out;
}

/** σ = √(median{‖xᵢ − xⱼ‖², i < j} / 2); 1 when every distance is 0. */
function medianBandwidth(sq: Float64Array, n: number): number {
  const upper = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) upper[k++] = sq[i * n + j]!;
  upper.sort();
  const m = upper.length;
  const med = m % 2 === 1 ? upper[(m - 1) / 2]! : (upper[m / 2 - 1]! + upper[m / 2]!) / 2;
  return med > 0 ? Math.sqrt(med / 2) : 1;
}

/**
 * Prepares a reference: subsample, bandwidth, and the reference's kernel block
 * (exact) or features (RFF). O(n²·d) exact, O(n²·d + n·d·D) RFF (the median heuristic).
 *
 * @param reference - the reference vectors.
 * @param options - method, permutations, subsample size, bandwidth, level, seed.
 * @returns the model for {@link mmdTest}.
 * @throws ConfigError for bad options; DataError for bad vectors or fewer than 2 rows.
 * @example const model = prepareMmd(referenceRows, { permutations: 200 });
 */
export function prepareMmd(reference: unknown, options: MmdOptions = {}): MmdModel {
  const where = 'prepareMmd';
  const method = options.method ?? 'exact';
  if (method !== 'exact' && method !== 'rff')
    throw new ConfigError(
      `${where}: expected method to be 'exact' or 'rff', got ${describeValue(method)}`,
    );
  const { permutations, maxReference } = numberOptions(
    options,
    {
      permutations: [100, { min: 1, max: 100_000, integer: true }],
      maxReference: [1000, { min: 2, integer: true }],
    },
    where,
  );
  const fixed =
    options.bandwidth === undefined
      ? undefined
      : optionalNumber('bandwidth', options.bandwidth, 1, { above: 0 }, where);
  const { features, alpha, seed } = numberOptions(
    options,
    {
      features: [256, { min: 1, max: 65_536, integer: true }],
      alpha: [0.05, { above: 0, max: 1 }],
      seed: [1, { min: 0, integer: true }],
    },
    where,
  );
  let { matrix } = toMatrix(reference, 'reference', undefined, 2);
  const uniform = seededUniform(seed);
  if (matrix.rows > maxReference)
    matrix = pickRows(matrix, sampleIndices(matrix.rows, maxReference, uniform));
  const sq = fixed === undefined || method === 'exact' ? selfSquaredDistances(matrix) : undefined;
  const bandwidth = fixed ?? medianBandwidth(sq!, matrix.rows);
  let referenceKernel: Float64Array | undefined;
  let rff: MmdModel['rff'];
  if (method === 'exact') {
    referenceKernel = sq!;
    const g = -1 / (2 * bandwidth * bandwidth);
    for (let i = 0; i < referenceKernel.length; i++)
      referenceKernel[i] = Math.exp(g * referenceKernel[i]!);
  } else {
    const normal = normalDraws(uniform);
    const weights = new Float64Array(matrix.cols * features);
    for (let i = 0; i < weights.length; i++) weights[i] = normal() / bandwidth;
    const phases = new Float64Array(features);
    for (let f = 0; f < features; f++) phases[f] = 2 * Math.PI * uniform();
    rff = { weights, phases, reference: fourierFeatures(matrix, weights, phases) };
  }
  return {
    reference: matrix,
    method,
    permutations,
    bandwidth,
    features,
    alpha,
    seed,
    referenceKernel,
    rff,
  };
}

/**
 * The pooled Gaussian kernel matrix of x then y (N×N), reusing x's block when given. O((N² − n²)·d).
 */
function pooledKernel(x: Matrix, y: Matrix, sigma: number, xKernel?: Float64Array): Float64Array {
  const nx = x.rows;
  const n = nx + y.rows;
  const g = -1 / (2 * sigma * sigma);
  const k = new Float64Array(n * n);
  const xx = xKernel ?? selfSquaredDistances(x);
  for (let i = 0; i < nx; i++)
    for (let j = 0; j < nx; j++)
      k[i * n + j] = xKernel ? xx[i * nx + j]! : Math.exp(g * xx[i * nx + j]!);
  for (let i = 0; i < nx; i++) k[i * n + i] = 1;
  for (let i = nx; i < n; i++) {
    const a = rowOf(y, i - nx);
    for (let j = 0; j < nx; j++) {
      const v = Math.exp(g * squaredDistance(a, rowOf(x, j)));
      k[i * n + j] = v;
      k[j * n + i] = v;
    }
    k[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      const v = Math.exp(g * squaredDistance(a, rowOf(y, j - nx)));
      k[i * n + j] = v;
      k[j * n + i] = v;
    }
  }
  return k;
}

/**
 * Unbiased MMD² of splits of a pooled kernel matrix, each given by the indices of its
 * smaller-or-window group Y (the rest is X): with row sums R and total T,
 * ΣYY = A, ΣXY = ΣR_Y − A, ΣXX = T − 2ΣR_Y + A, diagonals 1. O(m²) per split.
 */
function kernelSplits(k: Float64Array, n: number, ny: number): (yIdx: ArrayLike<number>) => number {
  const rowSums = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    const base = i * n;
    for (let j = 0; j < n; j++) s += k[base + j]!;
    rowSums[i] = s;
    total += s;
  }
  const nx = n - ny;
  return (yIdx) => {
    let a = 0;
    let ry = 0;
    for (let p = 0; p < ny; p++) {
      const i = yIdx[p]!;
      ry += rowSums[i]!;
      const base = i * n;
      for (let q = 0; q < ny; q++) a += k[base + yIdx[q]!]!;
    }
    const sxx = total - 2 * ry + a;
    return (sxx - nx) / (nx * (nx - 1)) + (a - ny) / (ny * (ny - 1)) - (2 * (ry - a)) / (nx * ny);
  };
}

function windowIndices(nx: number, ny: number): Uint32Array {
  return Uint32Array.from({ length: ny }, (_, i) => nx + i);
}

/**
 * Unbiased MMD² between two samples with a Gaussian kernel of bandwidth σ. O((n + m)²·d).
 *
 * @param x - first sample (≥ 2 rows).
 * @param y - second sample (≥ 2 rows, same dimension).
 * @param bandwidth - σ > 0.
 * @returns MMD²ᵤ (can be slightly negative when the samples agree).
 * @throws DataError for bad vectors, mismatched dimensions or fewer than 2 rows.
 * @example mmd2Unbiased([[0], [1]], [[0], [1]], 1) // ≈ −0.3935 (unbiased: below 0 for identical samples)
 */
export function mmd2Unbiased(x: unknown, y: unknown, bandwidth: number): number {
  const a = toMatrix(x, 'x', undefined, 2).matrix;
  const b = toMatrix(y, 'y', a.cols, 2).matrix;
  const n = a.rows + b.rows;
  return kernelSplits(pooledKernel(a, b, bandwidth), n, b.rows)(windowIndices(a.rows, b.rows));
}

/**
 * Tests a window against a prepared reference. Exact: O(n·m·d + m²·d + n² + permutations·m²),
 * n reference and m window rows; RFF: O(m·d·D + permutations·m·D).
 *
 * @param model - from {@link prepareMmd}.
 * @param current - the window's vectors (≥ 2 finite rows).
 * @returns MMD², permutation p-value, verdict and bandwidth.
 * @throws DataError for vectors of another dimension or fewer than 2 finite rows.
 * @example mmdTest(model, windowRows).pValue
 */
export function mmdTest(model: MmdModel, current: unknown): MmdResult {
  const x = model.reference;
  const { matrix: y, dropped } = toMatrix(current, 'current', x.cols, 2);
  const n = x.rows + y.rows;
  const uniform = seededUniform(model.seed + 1);
  let stat: (yIdx: ArrayLike<number>) => number;
  if (model.rff === undefined) {
    stat = kernelSplits(pooledKernel(x, y, model.bandwidth, model.referenceKernel), n, y.rows);
  } else {
    const { weights, phases, reference } = model.rff;
    const dFeat = phases.length;
    const phi = new Float64Array(n * dFeat);
    phi.set(reference);
    phi.set(fourierFeatures(y, weights, phases), reference.length);
    stat = featureSplits(phi, n, dFeat, y.rows);
  }
  const observed = stat(windowIndices(x.rows, y.rows));
  let atLeast = 0;
  for (let p = 0; p < model.permutations; p++) {
    if (stat(sampleIndices(n, y.rows, uniform)) >= observed) atLeast++;
  }
  const pValue = (1 + atLeast) / (1 + model.permutations);
  return {
    statistic: observed,
    pValue,
    isDrift: pValue < model.alpha,
    bandwidth: model.bandwidth,
    n: y.rows,
    dropped,
  };
}

/** φ(z) = √(2/D)·cos(Wᵀz + b) for every row: rows×D. W ~ N(0, σ⁻²), b ~ U[0, 2π). O(rows·d·D). */
function fourierFeatures(m: Matrix, weights: Float64Array, phases: Float64Array): Float64Array {
  const d = m.cols;
  const dFeat = phases.length;
  const out = new Float64Array(m.rows * dFeat);
  const scale = Math.sqrt(2 / dFeat);
  const acc = new Float64Array(dFeat);
  for (let i = 0; i < m.rows; i++) {
    const z = rowOf(m, i);
    acc.set(phases);
    for (let k = 0; k < d; k++) {
      const v = z[k]!;
      if (v === 0) continue;
      const base = k * dFeat;
      for (let f = 0; f < dFeat; f++) acc[f]! += v * weights[base + f]!;
    }
    for (let f = 0; f < dFeat; f++) out[i * dFeat + f] = scale * Math.cos(acc[f]!);
  }
  return out;
}

/** ‖mean φ(X) − mean φ(Y)‖² of splits given by Y's indices, from the pooled feature sum. O(m·D) per split. */
function featureSplits(
  phi: Float64Array,
  n: number,
  dFeat: number,
  ny: number,
): (yIdx: ArrayLike<number>) => number {
  const total = new Float64Array(dFeat);
  for (let i = 0; i < n; i++) for (let f = 0; f < dFeat; f++) total[f]! += phi[i * dFeat + f]!;
  const nx = n - ny;
  const sy = new Float64Array(dFeat);
  return (yIdx) => {
    sy.fill(0);
    for (let p = 0; p < ny; p++) {
      const base = yIdx[p]! * dFeat;
      for (let f = 0; f < dFeat; f++) sy[f]! += phi[base + f]!;
    }
    let s = 0;
    for (let f = 0; f < dFeat; f++) {
      const diff = (total[f]! - sy[f]!) / nx - sy[f]! / ny;
      s += diff * diff;
    }
    return s;
  };
}
