/**
 * Row-major matrices of float64 for the multivariate methods, and the small
 * linear algebra they need (column standardisation, symmetric eigen
 * decomposition). Everything here is structured-clone safe, so a matrix can be
 * handed to the engine worker as is.
 */
import { DataError, describeValue } from '../errors.js';

/** A dense row-major matrix: row `i`, column `j` is `data[i * cols + j]`. */
export interface Matrix {
  /** Number of rows (observations). */
  readonly rows: number;
  /** Number of columns (dimensions). */
  readonly cols: number;
  /** The values, `rows * cols` of them, row after row. */
  readonly data: Float64Array;
}

/** Vectors as the public functions accept them: an array of rows, or a {@link Matrix}. */
export type Vectors = readonly ArrayLike<number>[] | Matrix;

/** A matrix built from user input, with the rows dropped for holding a non-finite value. */
export interface CheckedMatrix {
  /** The finite rows. */
  matrix: Matrix;
  /** Rows dropped because a value was NaN, ±Infinity or not a number. */
  dropped: number;
}

function isMatrix(v: unknown): v is Matrix {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    (v as Matrix).data instanceof Float64Array &&
    Number.isInteger((v as Matrix).rows) &&
    Number.isInteger((v as Matrix).cols)
  );
}

/**
 * Checks and copies vectors into a {@link Matrix}. Rows holding a non-finite
 * value are dropped and counted. O(rows · cols).
 *
 * @param input - an array of equal-length vectors, or a matrix.
 * @param name - the argument's name, for messages.
 * @param dims - the dimension every row must have (default: the first row's).
 * @returns the matrix of finite rows and the number dropped.
 * @throws DataError when the input is not vectors, rows differ in length, or `dims` differs.
 * @example toMatrix([[1, 2], [3, NaN]], 'reference') // => { matrix: { rows: 1, cols: 2, … }, dropped: 1 }
 */
export function toMatrix(input: unknown, name: string, dims?: number): CheckedMatrix {
  let rows: number;
  let cols: number;
  let get: (i: number) => ArrayLike<number>;
  if (isMatrix(input)) {
    rows = input.rows;
    cols = input.cols;
    if (input.data.length !== rows * cols)
      throw new DataError(
        `${name}: expected ${rows}×${cols} = ${rows * cols} values, got ${input.data.length}`,
      );
    get = (i) => input.data.subarray(i * cols, (i + 1) * cols);
  } else if (Array.isArray(input)) {
    const arr = input as unknown[];
    rows = arr.length;
    const first = arr[0];
    cols = rows === 0 ? (dims ?? 0) : rowLength(first, name, 0);
    get = (i) => {
      const row = arr[i];
      const len = rowLength(row, name, i);
      if (len !== cols)
        throw new DataError(
          `${name}: expected every vector to hold ${cols} values, got ${len} at row ${i}`,
        );
      return row as ArrayLike<number>;
    };
  } else {
    throw new DataError(
      `${name}: expected an array of vectors or a matrix, got ${describeValue(input)}`,
    );
  }
  if (dims !== undefined && rows > 0 && cols !== dims)
    throw new DataError(`${name}: expected vectors of ${dims} dimensions, got ${cols}`);
  const data = new Float64Array(rows * cols);
  let kept = 0;
  for (let i = 0; i < rows; i++) {
    const row = get(i);
    let finite = true;
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        finite = false;
        break;
      }
      data[kept * cols + j] = v;
    }
    if (finite) kept++;
  }
  return {
    matrix: { rows: kept, cols, data: kept === rows ? data : data.slice(0, kept * cols) },
    dropped: rows - kept,
  };
}

function rowLength(row: unknown, name: string, i: number): number {
  if (Array.isArray(row) || ArrayBuffer.isView(row)) return (row as ArrayLike<number>).length;
  throw new DataError(
    `${name}: expected row ${i} to be an array of numbers, got ${describeValue(row)}`,
  );
}

/**
 * Rows `idx` of a matrix, copied. O(idx.length · cols).
 *
 * @param m - the matrix.
 * @param idx - row indices.
 * @returns a new matrix.
 */
export function pickRows(m: Matrix, idx: ArrayLike<number>): Matrix {
  const out = new Float64Array(idx.length * m.cols);
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r] as number;
    out.set(m.data.subarray(i * m.cols, (i + 1) * m.cols), r * m.cols);
  }
  return { rows: idx.length, cols: m.cols, data: out };
}

/** Column means and standard deviations (population, ddof = 0, as sklearn's `StandardScaler`). */
export interface ColumnScale {
  /** Mean per column. */
  mean: Float64Array;
  /** Standard deviation per column; a constant column gets 1 (as sklearn). */
  scale: Float64Array;
}

/**
 * Column means and population standard deviations. O(rows · cols).
 *
 * @param m - the matrix (at least one row).
 * @returns mean and scale per column.
 */
export function columnScale(m: Matrix): ColumnScale {
  const { rows, cols, data } = m;
  const mean = new Float64Array(cols);
  const scale = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j]! += data[i * cols + j]!;
  for (let j = 0; j < cols; j++) mean[j]! /= rows;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const d = data[i * cols + j]! - mean[j]!;
      scale[j]! += d * d;
    }
  for (let j = 0; j < cols; j++) {
    const s = Math.sqrt(scale[j]! / rows);
    scale[j] = s > 1e-12 * Math.max(1, Math.abs(mean[j]!)) ? s : 1;
  }
  return { mean, scale };
}

/**
 * `(x − mean) / scale` per column, as a new matrix. O(rows · cols).
 *
 * @param m - the matrix.
 * @param s - the scale from {@link columnScale}.
 * @returns the standardised matrix.
 */
export function standardize(m: Matrix, s: ColumnScale): Matrix {
  const { rows, cols, data } = m;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++)
      out[i * cols + j] = (data[i * cols + j]! - s.mean[j]!) / s.scale[j]!;
  return { rows, cols, data: out };
}

/**
 * Eigen decomposition of a symmetric matrix: Householder reduction to
 * tridiagonal form, then the implicit QL algorithm (the EISPACK tred2/tql2
 * pair, as in JAMA). O(d³), about 10·d³ flops.
 *
 * @param a - a symmetric d×d matrix, row-major (not modified).
 * @param d - its order.
 * @returns eigenvalues in decreasing order and the eigenvectors as the columns of a d×d row-major matrix.
 */
export function symmetricEigen(
  a: Float64Array,
  d: number,
): { values: Float64Array; vectors: Float64Array } {
  const n = d;
  const v = a.slice();
  const e = new Float64Array(n);
  const w = new Float64Array(n);
  if (n > 0) {
    tridiagonalize(v, w, e, n);
    implicitQl(v, w, e, n);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => w[y]! - w[x]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = w[src]!;
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src]!;
  });
  return { values, vectors };
}

/** Householder tridiagonalisation (tred2): V ← Q, d ← diagonal, e ← subdiagonal. */
function tridiagonalize(V: Float64Array, dg: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) dg[j] = V[(n - 1) * n + j]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(dg[k]!);
    if (scale === 0) {
      e[i] = dg[i - 1]!;
      for (let j = 0; j < i; j++) {
        dg[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        dg[k]! /= scale;
        h += dg[k]! * dg[k]!;
      }
      let f = dg[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      dg[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = dg[j]!;
        V[j * n + i] = f;
        g = e[j]! + V[j * n + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j]! * dg[k]!;
          e[k]! += V[k * n + j]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j]! /= h;
        f += e[j]! * dg[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j]! -= hh * dg[j]!;
      for (let j = 0; j < i; j++) {
        f = dg[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) V[k * n + j]! -= f * e[k]! + g * dg[k]!;
        dg[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
      }
    }
    dg[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i]!;
    V[i * n + i] = 1;
    const h = dg[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) dg[k] = V[k * n + i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1]! * V[k * n + j]!;
        for (let k = 0; k <= i; k++) V[k * n + j]! -= g * dg[k]!;
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    dg[j] = V[(n - 1) * n + j]!;
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL on the tridiagonal form (tql2), accumulating the rotations into V. */
function implicitQl(V: Float64Array, dg: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(dg[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]!) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) break;
        let g = dg[l]!;
        let p = (dg[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        dg[l] = e[l]! / (p + r);
        dg[l + 1] = e[l]! * (p + r);
        const dl1 = dg[l + 1]!;
        let h = g - dg[l]!;
        for (let i = l + 2; i < n; i++) dg[i]! -= h;
        f += h;
        p = dg[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * dg[i]! - s * g;
          dg[i + 1] = h + s * (c * g + s * dg[i]!);
          for (let k = 0; k < n; k++) {
            const vk = k * n;
            h = V[vk + i + 1]!;
            V[vk + i + 1] = s * V[vk + i]! + c * h;
            V[vk + i] = c * V[vk + i]! - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        dg[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    dg[l] = dg[l]! + f;
    e[l] = 0;
  }
}
