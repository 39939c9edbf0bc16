/**
 * Maximum mean discrepancy with a Gaussian kernel, k(x, y) = exp(−‖x − y‖² / (2σ²)),
 * as alibi-detect's `MMDDrift`: the unbiased MMD² estimator, σ from the median
 * heuristic (σ² = median of the pooled pairwise squared distances / 2), and a
 * permutation p-value. The cost is bounded two ways: the reference is
 * subsampled to `maxReference` rows when prepared, and `method: 'rff'` swaps
 * the O(N²·d) kernel matrix for D random Fourier features (O(N·d·D), then
 * O(N·D) per permutation; the statistic becomes the feature-space estimate
 * ‖mean φ(X) − mean φ(Y)‖², biased, with the same permutation test).
 */
import { ConfigError, DataError, describeValue } from '../errors.js';
import { normalDraws, sampleIndices, seededUniform } from '../stats/random.js';
import { optionalNumber } from '../util/options.js';
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
  /** Kernel bandwidth σ; default: the median heuristic on each window's pooled sample. */
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
  /** Fixed bandwidth, or undefined for the median heuristic. */
  bandwidth: number | undefined;
  /** Random features. */
  features: number;
  /** Significance level. */
  alpha: number;
  /** Seed. */
  seed: number;
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

/**
 * Prepares a reference. O(n·d).
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
  const permutations = optionalNumber(
    'permutations',
    options.permutations,
    100,
    { min: 1, max: 100_000, integer: true },
    where,
  );
  const maxReference = optionalNumber(
    'maxReference',
    options.maxReference,
    1000,
    { min: 2, integer: true },
    where,
  );
  const bandwidth =
    options.bandwidth === undefined
      ? undefined
      : optionalNumber('bandwidth', options.bandwidth, 1, { above: 0 }, where);
  const features = optionalNumber(
    'features',
    options.features,
    256,
    { min: 1, max: 65_536, integer: true },
    where,
  );
  const alpha = optionalNumber('alpha', options.alpha, 0.05, { above: 0, max: 1 }, where);
  const seed = optionalNumber('seed', options.seed, 1, { min: 0, integer: true }, where);
  let { matrix } = toMatrix(reference, 'reference');
  if (matrix.rows < 2)
    throw new DataError(`reference: expected at least 2 finite rows, got ${matrix.rows}`);
  if (matrix.rows > maxReference)
    matrix = pickRows(matrix, sampleIndices(matrix.rows, maxReference, seededUniform(seed)));
  return { reference: matrix, method, permutations, bandwidth, features, alpha, seed };
}

/** Squared distances of every pair of pooled rows (x then y), N×N. O(N²·d). */
function pooledSquaredDistances(x: Matrix, y: Matrix): Float64Array {
  const d = x.cols;
  const n = x.rows + y.rows;
  const row = (i: number): Float64Array =>
    i < x.rows
      ? x.data.subarray(i * d, (i + 1) * d)
      : y.data.subarray((i - x.rows) * d, (i - x.rows + 1) * d);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const a = row(i);
    for (let j = i + 1; j < n; j++) {
      const b = row(j);
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = a[k]! - b[k]!;
        s += t * t;
      }
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}

/**
 * The median-heuristic bandwidth: σ = √(median{‖zᵢ − zⱼ‖², i < j} / 2) over the pooled rows.
 *
 * @param sq - pooled squared distances, N×N.
 * @param n - N.
 * @returns σ (1 when every distance is 0).
 */
function medianBandwidth(sq: Float64Array, n: number): number {
  const upper = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) upper[k++] = sq[i * n + j]!;
  upper.sort();
  const m = upper.length;
  const med = m % 2 === 1 ? upper[(m - 1) / 2]! : (upper[m / 2 - 1]! + upper[m / 2]!) / 2;
  return med > 0 ? Math.sqrt(med / 2) : 1;
}

/** Unbiased MMD² of the split `inX` (true = first sample) over a pooled kernel matrix. O(N²). */
function splitStatistic(kernel: Float64Array, n: number, inX: Uint8Array, nx: number): number {
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const gi = inX[i]!;
    const base = i * n;
    for (let j = i + 1; j < n; j++) {
      const v = kernel[base + j]!;
      const gj = inX[j]!;
      if (gi === 1 && gj === 1) sxx += v;
      else if (gi === 0 && gj === 0) syy += v;
      else sxy += v;
    }
  }
  const ny = n - nx;
  return (2 * sxx) / (nx * (nx - 1)) + (2 * syy) / (ny * (ny - 1)) - (2 * sxy) / (nx * ny);
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
  const a = toMatrix(x, 'x').matrix;
  const b = toMatrix(y, 'y', a.cols).matrix;
  if (a.rows < 2 || b.rows < 2)
    throw new DataError(
      `expected at least 2 finite rows in each sample, got ${a.rows} and ${b.rows}`,
    );
  const n = a.rows + b.rows;
  const kernel = gaussianKernel(pooledSquaredDistances(a, b), bandwidth);
  const inX = new Uint8Array(n);
  inX.fill(1, 0, a.rows);
  return splitStatistic(kernel, n, inX, a.rows);
}

function gaussianKernel(sq: Float64Array, sigma: number): Float64Array {
  const out = new Float64Array(sq.length);
  const g = -1 / (2 * sigma * sigma);
  for (let i = 0; i < sq.length; i++) out[i] = Math.exp(g * sq[i]!);
  return out;
}

/**
 * Tests a window against a prepared reference. Exact: O(N²·d + permutations·N²), N = reference + window rows;
 * RFF: O(N·d·D + permutations·N·D).
 *
 * @param model - from {@link prepareMmd}.
 * @param current - the window's vectors (≥ 2 finite rows).
 * @returns MMD², permutation p-value, verdict and bandwidth.
 * @throws DataError for vectors of another dimension or fewer than 2 finite rows.
 * @example mmdTest(model, windowRows).pValue
 */
export function mmdTest(model: MmdModel, current: unknown): MmdResult {
  const x = model.reference;
  const { matrix: y, dropped } = toMatrix(current, 'current', x.cols);
  if (y.rows < 2) throw new DataError(`current: expected at least 2 finite rows, got ${y.rows}`);
  const n = x.rows + y.rows;
  const uniform = seededUniform(model.seed);
  let sq: Float64Array | undefined;
  let sigma = model.bandwidth;
  if (sigma === undefined) {
    sq = pooledSquaredDistances(x, y);
    sigma = medianBandwidth(sq, n);
  }
  let stat: (inX: Uint8Array) => number;
  if (model.method === 'exact') {
    const kernel = gaussianKernel(sq ?? pooledSquaredDistances(x, y), sigma);
    stat = (inX) => splitStatistic(kernel, n, inX, x.rows);
  } else {
    const phi = fourierFeatures(x, y, sigma, model.features, uniform);
    stat = (inX) => featureStatistic(phi, n, model.features, inX, x.rows);
  }
  const inX = new Uint8Array(n);
  inX.fill(1, 0, x.rows);
  const observed = stat(inX);
  let atLeast = 0;
  for (let p = 0; p < model.permutations; p++) {
    const idx = sampleIndices(n, x.rows, uniform);
    inX.fill(0);
    for (const i of idx) inX[i] = 1;
    if (stat(inX) >= observed) atLeast++;
  }
  const pValue = (1 + atLeast) / (1 + model.permutations);
  return {
    statistic: observed,
    pValue,
    isDrift: pValue < model.alpha,
    bandwidth: sigma,
    n: y.rows,
    dropped,
  };
}

/** φ(z) = √(2/D)·cos(Wᵀz + b), W ~ N(0, σ⁻²), b ~ U[0, 2π), for every pooled row: N×D. */
function fourierFeatures(
  x: Matrix,
  y: Matrix,
  sigma: number,
  dFeat: number,
  uniform: () => number,
): Float64Array {
  const d = x.cols;
  const normal = normalDraws(uniform);
  const w = new Float64Array(d * dFeat);
  for (let i = 0; i < w.length; i++) w[i] = normal() / sigma;
  const b = new Float64Array(dFeat);
  for (let f = 0; f < dFeat; f++) b[f] = 2 * Math.PI * uniform();
  const n = x.rows + y.rows;
  const out = new Float64Array(n * dFeat);
  const scale = Math.sqrt(2 / dFeat);
  const acc = new Float64Array(dFeat);
  for (let i = 0; i < n; i++) {
    const z =
      i < x.rows
        ? x.data.subarray(i * d, (i + 1) * d)
        : y.data.subarray((i - x.rows) * d, (i - x.rows + 1) * d);
    acc.set(b);
    for (let k = 0; k < d; k++) {
      const v = z[k]!;
      if (v === 0) continue;
      const base = k * dFeat;
      for (let f = 0; f < dFeat; f++) acc[f]! += v * w[base + f]!;
    }
    for (let f = 0; f < dFeat; f++) out[i * dFeat + f] = scale * Math.cos(acc[f]!);
  }
  return out;
}

/** ‖mean φ(X) − mean φ(Y)‖² for the split `inX`. O(N·D). */
function featureStatistic(
  phi: Float64Array,
  n: number,
  dFeat: number,
  inX: Uint8Array,
  nx: number,
): number {
  const diff = new Float64Array(dFeat);
  const ny = n - nx;
  for (let i = 0; i < n; i++) {
    const wgt = inX[i] === 1 ? 1 / nx : -1 / ny;
    const base = i * dFeat;
    for (let f = 0; f < dFeat; f++) diff[f]! += wgt * phi[base + f]!;
  }
  let s = 0;
  for (let f = 0; f < dFeat; f++) s += diff[f]! * diff[f]!;
  return s;
}
