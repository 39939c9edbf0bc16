/**
 * A sketch as a Prometheus native histogram (remote-write `Histogram`).
 *
 * Both are base-2 exponential histograms with `base = 2^(2^-scale)`; the
 * sketch's scale is the histogram's schema. They differ in two ways:
 *
 * - Index: sketch bucket `i` covers `(base^i, base^(i+1)]`; Prometheus bucket
 *   `i` covers `(base^(i-1), base^i]`. The same bucket therefore has
 *   Prometheus index `i + 1`.
 * - Range: Prometheus takes schemas −4…8; sketch scales run to 10. Lowering the
 *   scale by one merges buckets pairwise: sketch bucket `i` at scale `s` lies
 *   in bucket `i >> 1` at `s − 1` (the edges `base^(2j)` survive), so a sketch
 *   above 8 is downscaled by `i >> (scale − 8)` before the shift.
 *
 * The zero bucket holds exact zeros (`zero_threshold` 0), the negative side
 * mirrors the positive one by absolute value, as in both formats. Counts go as
 * integer deltas (the sketch's counts are whole numbers).
 */
import type { DecodedSide, DecodedSketch } from '../kernel/sketch-format.js';

/** Highest schema Prometheus accepts. */
export const MAX_NATIVE_SCHEMA = 8;
/** Lowest schema Prometheus accepts. */
export const MIN_NATIVE_SCHEMA = -4;

/** A run of consecutive buckets: `offset` is the gap from the previous span's end (from 0 for the first). */
export interface BucketSpan {
  /** Gap to the previous span, or the first bucket's index for the first span. */
  offset: number;
  /** Buckets in the span. */
  length: number;
}

/** One side of a native histogram in Prometheus' sparse form. */
export interface NativeSide {
  /** Spans of populated buckets. */
  spans: BucketSpan[];
  /** Count of each bucket minus the previous bucket's (the first minus 0), in span order. */
  deltas: number[];
}

/** A Prometheus native histogram sample (integer counts). */
export interface NativeHistogram {
  /** Observations. */
  count: number;
  /** Sum of observations. */
  sum: number;
  /** Resolution, in [−4, 8]. */
  schema: number;
  /** Width of the zero bucket (0: exact zeros only). */
  zeroThreshold: number;
  /** Observations in the zero bucket. */
  zeroCount: number;
  /** Positive buckets. */
  positive: NativeSide;
  /** Negative buckets, by absolute value. */
  negative: NativeSide;
  /** Sample time, epoch ms. */
  timestamp: number;
}

/** Sketch-side counts merged to Prometheus indexes at the target schema. */
function toPrometheusIndexes(side: DecodedSide, shift: number): Map<number, number> {
  const out = new Map<number, number>();
  for (let j = 0; j < side.counts.length; j++) {
    const c = side.counts[j] as number;
    if (c === 0) continue;
    const idx = (Math.floor((side.offset + j) / 2 ** shift) + 1) | 0;
    out.set(idx, (out.get(idx) ?? 0) + c);
  }
  return out;
}

/** Sparse spans and deltas of index → count (ascending; gaps of up to 2 empty buckets stay inside a span). */
function sparse(counts: Map<number, number>): NativeSide {
  const idx = [...counts.keys()].sort((a, b) => a - b);
  const spans: BucketSpan[] = [];
  const deltas: number[] = [];
  let prevCount = 0;
  let end = 0; // one past the last index covered
  for (const i of idx) {
    const gap = i - end;
    if (spans.length > 0 && gap <= 2) {
      // Fill a short gap with empty buckets: cheaper than a new span.
      const last = spans[spans.length - 1] as BucketSpan;
      for (let k = 0; k < gap; k++) {
        deltas.push(-prevCount);
        prevCount = 0;
      }
      last.length += gap + 1;
    } else {
      spans.push({ offset: spans.length === 0 ? i : gap, length: 1 });
    }
    const c = counts.get(i) as number;
    deltas.push(c - prevCount);
    prevCount = c;
    end = i + 1;
  }
  return { spans, deltas };
}

/**
 * Converts a decoded sketch to a native histogram sample.
 *
 * @param s - the sketch.
 * @param timestamp - sample time, epoch ms.
 * @returns the histogram, or undefined when the sketch cannot be one (scale
 *   below −4, a non-integer count, or no values).
 * @example
 * // one value 1.5 at scale 0: sketch bucket 0 = (1, 2] = Prometheus bucket 1
 * nativeHistogramFromSketch(decodeSketch(bytes), Date.now())?.positive;
 * // => { spans: [{ offset: 1, length: 1 }], deltas: [1] }
 */
export function nativeHistogramFromSketch(
  s: DecodedSketch,
  timestamp: number,
): NativeHistogram | undefined {
  if (s.count === 0 || s.scale < MIN_NATIVE_SCHEMA) return undefined;
  const whole = (x: number): boolean => Number.isSafeInteger(x) && x >= 0;
  if (!whole(s.count) || !whole(s.zeroCount)) return undefined;
  for (const side of [s.positive, s.negative])
    for (const c of side.counts) if (!whole(c)) return undefined;
  const schema = Math.min(s.scale, MAX_NATIVE_SCHEMA);
  const shift = s.scale - schema;
  return {
    count: s.count,
    sum: s.sum,
    schema,
    zeroThreshold: 0,
    zeroCount: s.zeroCount,
    positive: sparse(toPrometheusIndexes(s.positive, shift)),
    negative: sparse(toPrometheusIndexes(s.negative, shift)),
    timestamp,
  };
}
