/**
 * L2-regularised logistic regression, as sklearn's `LogisticRegression()`
 * defaults: minimise ½‖w‖² + C·Σ log-loss, intercept not penalised, solved
 * by L-BFGS. Used by the domain classifier.
 */

/** A fitted logistic model. */
export interface LogisticModel {
  /** One weight per feature. */
  coef: Float64Array;
  /** The intercept. */
  intercept: number;
}

/**
 * log(1 + eᶠ) without overflow.
 *
 * @param f - any number.
 * @returns softplus(f).
 */
export function softplus(f: number): number {
  return f > 0 ? f + Math.log1p(Math.exp(-f)) : Math.log1p(Math.exp(f));
}

/**
 * The logistic function 1 / (1 + e⁻ᶠ) without overflow.
 *
 * @param f - any number.
 * @returns σ(f) in [0, 1].
 */
export function sigmoid(f: number): number {
  return f >= 0 ? 1 / (1 + Math.exp(-f)) : Math.exp(f) / (1 + Math.exp(f));
}

/**
 * Fits the model. O(iterations · n · d).
 *
 * @param x - features, row-major n×d.
 * @param n - rows.
 * @param d - features per row.
 * @param y - labels 0/1 (length n).
 * @param c - inverse regularisation strength C (> 0; sklearn's default 1).
 * @param maxIter - L-BFGS iterations at most (default 200).
 * @returns coefficients and intercept.
 */
export function fitLogistic(
  x: Float64Array,
  n: number,
  d: number,
  y: ArrayLike<number>,
  c = 1,
  maxIter = 200,
): LogisticModel {
  const dim = d + 1; // last = intercept
  const margin = new Float64Array(n);
  const evaluate = (w: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let j = 0; j < d; j++) loss += 0.5 * w[j]! * w[j]!;
    for (let i = 0; i < n; i++) {
      let f = w[d]!;
      const base = i * d;
      for (let j = 0; j < d; j++) f += x[base + j]! * w[j]!;
      margin[i] = f;
      const yi = y[i] as number;
      loss += c * (softplus(f) - yi * f);
      const r = c * (sigmoid(f) - yi);
      for (let j = 0; j < d; j++) grad[j]! += r * x[base + j]!;
      grad[d]! += r;
    }
    for (let j = 0; j < d; j++) grad[j]! += w[j]!;
    return loss;
  };
  const w = lbfgs(evaluate, new Float64Array(dim), maxIter);
  return { coef: w.slice(0, d), intercept: w[d]! };
}

/**
 * The decision value w·x + b of one row.
 *
 * @param m - the model.
 * @param x - features, row-major.
 * @param row - the row index.
 * @returns the logit.
 */
export function logit(m: LogisticModel, x: Float64Array, row: number): number {
  const d = m.coef.length;
  let f = m.intercept;
  for (let j = 0; j < d; j++) f += x[row * d + j]! * m.coef[j]!;
  return f;
}

/** Limited-memory BFGS (m = 10) with a backtracking Armijo line search. */
function lbfgs(
  evaluate: (w: Float64Array, grad: Float64Array) => number,
  w0: Float64Array,
  maxIter: number,
): Float64Array {
  const dim = w0.length;
  const memory = 10;
  const s: Float64Array[] = [];
  const yv: Float64Array[] = [];
  const rho: number[] = [];
  let w = w0.slice();
  let g = new Float64Array(dim);
  let f = evaluate(w, g);
  const dir = new Float64Array(dim);
  const alphaH = new Float64Array(memory);
  const gNew = new Float64Array(dim);
  for (let iter = 0; iter < maxIter; iter++) {
    let gmax = 0;
    for (let j = 0; j < dim; j++) gmax = Math.max(gmax, Math.abs(g[j]!));
    if (gmax < 1e-6) break;
    // Two-loop recursion: dir = −H·g.
    dir.set(g);
    for (let k = s.length - 1; k >= 0; k--) {
      let a = 0;
      for (let j = 0; j < dim; j++) a += s[k]![j]! * dir[j]!;
      a *= rho[k]!;
      alphaH[k] = a;
      for (let j = 0; j < dim; j++) dir[j]! -= a * yv[k]![j]!;
    }
    if (s.length > 0) {
      const last = s.length - 1;
      let yy = 0;
      for (let j = 0; j < dim; j++) yy += yv[last]![j]! * yv[last]![j]!;
      const gamma = 1 / (rho[last]! * yy);
      for (let j = 0; j < dim; j++) dir[j]! *= gamma;
    } else {
      const scale = 1 / Math.max(1, Math.sqrt(g.reduce((t, v) => t + v * v, 0)));
      for (let j = 0; j < dim; j++) dir[j]! *= scale;
    }
    for (let k = 0; k < s.length; k++) {
      let b = 0;
      for (let j = 0; j < dim; j++) b += yv[k]![j]! * dir[j]!;
      b *= rho[k]!;
      for (let j = 0; j < dim; j++) dir[j]! += s[k]![j]! * (alphaH[k]! - b);
    }
    for (let j = 0; j < dim; j++) dir[j] = -dir[j]!;
    let slope = 0;
    for (let j = 0; j < dim; j++) slope += g[j]! * dir[j]!;
    if (slope >= 0) {
      // Not a descent direction: restart from steepest descent.
      s.length = 0;
      yv.length = 0;
      rho.length = 0;
      continue;
    }
    let step = 1;
    const wNew = new Float64Array(dim);
    let fNew = f;
    for (let tries = 0; tries < 50; tries++) {
      for (let j = 0; j < dim; j++) wNew[j] = w[j]! + step * dir[j]!;
      fNew = evaluate(wNew, gNew);
      if (fNew <= f + 1e-4 * step * slope) break;
      step /= 2;
    }
    const sk = new Float64Array(dim);
    const yk = new Float64Array(dim);
    let sy = 0;
    for (let j = 0; j < dim; j++) {
      sk[j] = wNew[j]! - w[j]!;
      yk[j] = gNew[j]! - g[j]!;
      sy += sk[j]! * yk[j]!;
    }
    const improved = f - fNew;
    w = wNew;
    g = gNew.slice();
    f = fNew;
    if (sy > 1e-12) {
      s.push(sk);
      yv.push(yk);
      rho.push(1 / sy);
      if (s.length > memory) {
        s.shift();
        yv.shift();
        rho.shift();
      }
    }
    if (improved >= 0 && improved < 1e-14 * Math.max(1, Math.abs(f))) break;
  }
  return w;
}
