/**
 * The feature rows of the open window, kept column by column in the shape the
 * `DriftDetector` wants (numeric columns as `Float64Array` with NaN for
 * missing, categorical columns as strings or null). Bounded: rows past
 * `maxRows` are dropped and counted, never grown without limit.
 */

/** The kind of each reference column. */
export type ColumnKinds = Readonly<Record<string, 'numeric' | 'categorical'>>;

/** What {@link FeatureBuffer.push} did with one row. */
export interface PushOutcome {
  /** The row was stored. */
  stored: boolean;
  /** Values of columns the reference does not have (ignored). */
  unknown: number;
}

/** A table of the window's feature rows. */
export type FeatureTable = Record<string, Float64Array | (string | null)[]>;

/**
 * Column kinds of a reference table: a column listed in `categorical`, or
 * whose first non-missing value is a string, is categorical.
 *
 * @param reference - column name -> values.
 * @param categorical - columns the user declared categorical.
 * @returns the kinds. Cost: O(columns) plus the scan to the first present value.
 * @example
 * columnKinds({ speed: [1, 2], gear: ['a', 'b'] }, []); // => { speed: 'numeric', gear: 'categorical' }
 */
export function columnKinds(
  reference: Readonly<Record<string, ArrayLike<unknown>>>,
  categorical: readonly string[] = [],
): ColumnKinds {
  const kinds: Record<string, 'numeric' | 'categorical'> = {};
  for (const [name, values] of Object.entries(reference)) {
    let kind: 'numeric' | 'categorical' = categorical.includes(name) ? 'categorical' : 'numeric';
    if (kind === 'numeric' && !ArrayBuffer.isView(values)) {
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v === null || v === undefined) continue;
        if (typeof v === 'string') kind = 'categorical';
        break;
      }
    }
    kinds[name] = kind;
  }
  return kinds;
}

/** The open window's feature rows, column by column. */
export class FeatureBuffer {
  private numeric = new Map<string, Float64Array>();
  private categorical = new Map<string, (string | null)[]>();
  private invalid: Record<string, number> = Object.create(null) as Record<string, number>;
  private rows = 0;

  /**
   * @param kinds - the reference's columns and their kinds.
   * @param maxRows - most rows kept per window.
   */
  constructor(
    private readonly kinds: ColumnKinds,
    private readonly maxRows: number,
  ) {}

  /** Rows held. */
  get size(): number {
    return this.rows;
  }

  /**
   * Appends one row. A missing column, NaN, ±Infinity or a value of the wrong
   * kind is stored as missing (the drift tests count missing values); ±Infinity
   * and wrong kinds are also counted (`invalidCounts`). O(columns).
   *
   * @param features - column name -> value.
   * @returns whether it was stored (false when full) and how many values were unknown.
   */
  push(features: Readonly<Record<string, unknown>>): PushOutcome {
    let unknown = 0;
    for (const k in features) if (this.kinds[k] === undefined) unknown++;
    if (this.rows >= this.maxRows) return { stored: false, unknown };
    const r = this.rows++;
    for (const [name, kind] of Object.entries(this.kinds)) {
      const v = features[name];
      const finite = typeof v === 'number' && Number.isFinite(v);
      let ok: boolean;
      if (kind === 'numeric') {
        ok = finite;
        this.numericColumn(name, r + 1)[r] = finite ? v : NaN;
      } else {
        let col = this.categorical.get(name);
        if (col === undefined) this.categorical.set(name, (col = []));
        ok = finite || typeof v === 'string' || typeof v === 'boolean';
        col.push(ok ? String(v) : null);
      }
      // Stored as missing either way; a present value of the wrong kind is also counted
      // invalid (an own property only: `constructor` or `__proto__` columns are inherited otherwise).
      if (
        !ok &&
        v != null &&
        !(typeof v === 'number' && Number.isNaN(v)) &&
        Object.hasOwn(features, name)
      )
        this.invalid[name] = (this.invalid[name] ?? 0) + 1;
    }
    return { stored: true, unknown };
  }

  /**
   * Per column, how many of the buffered rows held a value of the wrong kind (a
   * string in a numeric column, ±Infinity, an object), stored as missing. Reset by `take`.
   *
   * @returns column name -> count (columns without any are absent).
   */
  invalidCounts(): Record<string, number> {
    return this.invalid;
  }

  /**
   * Hands the rows over as a table and empties the buffer. O(columns): the
   * numeric columns are trimmed copies (exactly `size` rows).
   *
   * @returns column name -> values (exactly `size` rows each).
   */
  take(): FeatureTable {
    return this.takeBoth().table;
  }

  /**
   * {@link FeatureBuffer.take}, plus the same rows in `own`: the numeric columns
   * as views of the buffer's own storage, which the buffer lets go of (nothing
   * else holds them, so their buffers can be transferred to a worker without a
   * copy); the categorical columns are the same arrays as in `table`.
   *
   * @returns the table and the owned columns.
   */
  takeBoth(): { table: FeatureTable; own: FeatureTable } {
    const n = this.rows;
    const table: FeatureTable = {};
    const own: FeatureTable = {};
    for (const [name, kind] of Object.entries(this.kinds)) {
      if (kind === 'numeric') {
        const storage = this.numeric.get(name) ?? new Float64Array(0);
        table[name] = storage.slice(0, n);
        own[name] = storage.subarray(0, n);
      } else table[name] = own[name] = this.categorical.get(name) ?? [];
    }
    this.numeric = new Map();
    this.categorical = new Map();
    this.invalid = Object.create(null) as Record<string, number>;
    this.rows = 0;
    return { table, own };
  }

  private numericColumn(name: string, need: number): Float64Array {
    let col = this.numeric.get(name);
    if (col === undefined || col.length < need) {
      const grown = new Float64Array(Math.min(this.maxRows, Math.max(64, need * 2)));
      if (col !== undefined) grown.set(col);
      this.numeric.set(name, (col = grown));
    }
    return col;
  }
}
