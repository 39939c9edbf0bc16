/**
 * Row-major matrices of float64 for the multivariate methods: checked input,
 * row selection and column standardisation. Everything here is
 * structured-clone safe, so a matrix can be handed to the engine worker as is.
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
 * @param minRows - the fewest finite rows the caller can work with (default 0).
 * @returns the matrix of finite rows and the number dropped.
 * @throws DataError when the input is not vectors, rows differ in length, `dims`
 *   differs, or fewer than `minRows` rows are finite.
 * @example toMatrix([[1, 2], [3, NaN]], 'reference') // => { matrix: { rows: 1, cols: 2, … }, dropped: 1 }
 */
export function toMatrix(input: unknown, name: string, dims?: number, minRows = 0): CheckedMatrix {
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
  if (kept < minRows)
    throw new DataError(
      `${name}: expected at least ${minRows} finite row${minRows === 1 ? '' : 's'}, got ${kept}`,
    );
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
