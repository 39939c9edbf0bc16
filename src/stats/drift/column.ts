/**
 * Normalization of one column of user data: decides numeric or categorical,
 * counts missing values (NaN, null, undefined) and drops them, and rejects
 * mixed types with an error naming the feature. O(n); runs in the engine.
 */
import { DataError, describeValue } from '../../errors.js';

/** A column after normalization. A numeric column may share the caller's Float64Array: read it, never write. */
export type Column =
  | { kind: 'numeric'; values: Float64Array; missing: number }
  | { kind: 'categorical'; values: string[]; missing: number };

/**
 * Normalizes a column.
 *
 * @param values - a typed array, or an array of numbers, strings, booleans, null/undefined.
 * @param feature - the feature's name (for messages).
 * @param categorical - take every value as a category label (numbers → strings).
 * @returns the column with missing values removed and counted.
 * @throws DataError for mixed numbers and strings, or values of other types.
 * @example normalizeColumn([1, NaN, null, 2], 'x', false) // numeric [1, 2], missing 2
 */
export function normalizeColumn(values: unknown, feature: string, categorical: boolean): Column {
  if (values instanceof Float64Array && !categorical) {
    // the common case (and what crosses the worker boundary): no per-element conversion,
    // and no copy at all when nothing is missing — callers only read the column
    let k = 0;
    while (k < values.length && values[k] === values[k]) k++;
    if (k === values.length) return { kind: 'numeric', values, missing: 0 };
    const out = values.slice();
    for (let i = k + 1; i < values.length; i++) {
      const v = values[i] as number;
      if (v === v) out[k++] = v;
    }
    return { kind: 'numeric', values: out.slice(0, k), missing: values.length - k };
  }
  if (ArrayBuffer.isView(values) && !(values instanceof DataView)) {
    const src = values as unknown as ArrayLike<number | bigint>;
    if (categorical)
      return categoricalFrom(
        Array.from(src, (v) => Number(v)),
        feature,
      );
    const out = new Float64Array(src.length);
    let k = 0;
    for (let i = 0; i < src.length; i++) {
      const v = Number(src[i]);
      if (v === v) out[k++] = v;
    }
    return {
      kind: 'numeric',
      values: k === out.length ? out : out.slice(0, k),
      missing: src.length - k,
    };
  }
  if (!Array.isArray(values)) {
    throw new DataError(
      `feature "${feature}": expected an array or typed array of values, got ${describeValue(values)}`,
    );
  }
  let firstNumber = -1;
  let firstString = -1;
  for (let i = 0; i < values.length; i++) {
    const v: unknown = values[i];
    if (v === null || v === undefined) continue;
    const t = typeof v;
    if (t === 'number') {
      if (firstNumber < 0) firstNumber = i;
    } else if (t === 'string' || t === 'boolean') {
      if (firstString < 0) firstString = i;
    } else {
      throw new DataError(
        `feature "${feature}": expected numbers or strings, got ${describeValue(v)} at index ${i}`,
      );
    }
  }
  if (firstNumber >= 0 && firstString >= 0) {
    throw new DataError(
      `feature "${feature}": expected all numbers or all strings, got a number at index ${firstNumber} and a ${typeof values[firstString]} at index ${firstString}`,
    );
  }
  if (categorical || firstString >= 0) return categoricalFrom(values as unknown[], feature);
  const out = new Float64Array(values.length);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number | null | undefined;
    if (v === null || v === undefined || v !== v) continue;
    out[k++] = v;
  }
  return {
    kind: 'numeric',
    values: k === out.length ? out : out.slice(0, k),
    missing: values.length - k,
  };
}

function categoricalFrom(values: readonly unknown[], _feature: string): Column {
  const out: string[] = [];
  for (const v of values) {
    if (v === null || v === undefined || (typeof v === 'number' && v !== v)) continue;
    out.push(String(v));
  }
  return { kind: 'categorical', values: out, missing: values.length - out.length };
}
